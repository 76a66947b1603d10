"""Slugs that collide with a reserved host label are refused for stores and merchants alike."""

import pytest
from django_tenants.utils import tenant_context

from apps.tenancy.domains import LABEL_PATTERN, RESERVED_HOST_LABELS
from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Domain, Merchant
from apps.tenancy.services import RESERVED_SLUGS, merchant_provision
from apps.tenancy.stores.models import Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import store_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "slug", ["www", "api", "admin", "static", "media", "mail", "app", "dashboard", "WWW", " cdn "]
)
def test_a_store_slug_that_is_a_reserved_host_label_is_refused(alpha, slug):
    domains = Domain.objects.count()
    with tenant_context(alpha.merchant), pytest.raises(TenancyError) as excinfo:
        store_create(merchant=alpha.merchant, name="Shop", slug=slug)
    assert excinfo.value.code == TenancyErrorCode.SLUG_RESERVED
    assert excinfo.value.field == "slug"
    assert "is reserved" in excinfo.value.message
    with tenant_context(alpha.merchant):
        assert Store.objects.count() == 1
    assert Domain.objects.count() == domains


def test_the_dashboard_shows_the_refusal_on_the_slug_field(alpha, staff_client):
    client, _owner = staff_client(alpha, Role.OWNER)
    response = client.post(
        "/dashboard/settings/stores/", {"name": "Admin", "slug": "admin", "default_language": "fr"}
    )
    assert response.status_code == 400
    assert "The slug “admin” is reserved" in response.content.decode()
    with tenant_context(alpha.merchant):
        assert not Store.objects.filter(slug="admin").exists()


def test_ordinary_store_slugs_still_work(alpha, host_client):
    # "shop" is every merchant's first store: reserved for merchants, not for stores.
    assert "shop" not in RESERVED_HOST_LABELS and "shop" in RESERVED_SLUGS
    with tenant_context(alpha.merchant):
        store_create(merchant=alpha.merchant, name="Outlet", slug="outlet")
        store_create(merchant=alpha.merchant, name="Web", slug="webshop")
    assert host_client("outlet.alpha.orion.test").get("/").status_code == 200


@pytest.mark.parametrize("slug", sorted(RESERVED_HOST_LABELS))
def test_every_reserved_host_label_is_refused_as_a_merchant_slug(slug):
    with pytest.raises(TenancyError) as excinfo:
        merchant_provision(slug=slug, name="X", owner_email="x@x.lu")
    assert excinfo.value.code == TenancyErrorCode.SLUG_RESERVED
    assert not Merchant.objects.filter(slug=slug).exists()


def test_every_reserved_label_could_otherwise_be_a_slug():
    # A label the slug pattern refuses anyway would be dead weight in the list.
    assert all(LABEL_PATTERN.match(label) for label in RESERVED_SLUGS)
