import pytest
from django.test import override_settings
from django_tenants.utils import tenant_context

from apps.tenancy.services import merchant_archive, merchant_restore
from apps.tenancy.stores.models import Store

pytestmark = pytest.mark.django_db


def test_platform_host_serves_the_landing_page_and_the_console(host_client):
    client = host_client("orion.test")
    assert client.get("/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_dashboard_host_redirects_to_the_dashboard_login(alpha, host_client):
    client = host_client(alpha.dashboard_host)
    assert client.get("/")["Location"] == "/dashboard/"
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_storefront_host_serves_its_own_store(alpha, beta, host_client):
    page = host_client(alpha.storefront_host).get("/")
    assert page.status_code == 200
    assert "Welcome to Alpha SARL" in page.content.decode()
    assert "Beta SARL" not in page.content.decode()


@pytest.mark.parametrize("host", ["nobody.orion.test", "shop.nobody.orion.test", "orion.test.evil"])
def test_unknown_host_is_a_404_page_not_an_error(host, host_client, alpha):
    with override_settings(ALLOWED_HOSTS=["*"]):
        response = host_client(host).get("/dashboard/")
    assert response.status_code == 404
    assert "does not belong to any shop" in response.content.decode()


def test_host_outside_allowed_hosts_is_a_404_too(host_client):
    assert host_client("example.com").get("/").status_code == 404


def test_admin_is_not_reachable_on_merchant_hosts(alpha, host_client):
    assert host_client(alpha.dashboard_host).get("/admin/").status_code == 404
    assert host_client(alpha.storefront_host).get("/admin/").status_code == 404


def test_archiving_takes_every_host_offline_and_restoring_brings_them_back(alpha, host_client):
    merchant_archive(merchant=alpha.merchant)
    assert host_client(alpha.dashboard_host).get("/dashboard/").status_code == 404
    assert host_client(alpha.storefront_host).get("/").status_code == 404

    merchant_restore(merchant=alpha.merchant)
    assert host_client(alpha.storefront_host).get("/").status_code == 200


def test_an_inactive_store_has_no_storefront(alpha, host_client):
    with tenant_context(alpha.merchant):
        Store.objects.filter(slug="shop").update(is_active=False)
    assert host_client(alpha.storefront_host).get("/").status_code == 404
    # the merchant's dashboard is still there
    assert host_client(alpha.dashboard_host).get("/dashboard/").status_code == 302
