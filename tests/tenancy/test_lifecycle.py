"""Archiving, deleting, and the platform console's merchant pages."""

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from apps.accounts.services import user_create
from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Domain, Merchant
from apps.tenancy.services import merchant_archive, merchant_delete, merchant_provision
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return merchant_provision(slug="acme", name="Acme", owner_email="o@acme.lu")


def test_delete_needs_an_archived_merchant_and_the_slug_typed_again(acme):
    with pytest.raises(TenancyError) as excinfo:
        merchant_delete(merchant=acme, confirmation="acme")
    assert excinfo.value.code == TenancyErrorCode.NOT_ARCHIVED
    merchant_archive(merchant=acme)
    with pytest.raises(TenancyError) as excinfo:
        merchant_delete(merchant=acme, confirmation="acme-typo")
    assert excinfo.value.code == TenancyErrorCode.CONFIRMATION_MISMATCH
    assert schema_exists("acme")

    merchant_delete(merchant=acme, confirmation="acme")
    assert not schema_exists("acme")
    assert not Merchant.objects.filter(slug="acme").exists()
    assert not Domain.objects.filter(domain__endswith="acme.orion.test").exists()


def test_delete_merchant_command_archives_then_deletes(acme):
    call_command("delete_merchant", "--slug=acme")
    assert Merchant.objects.get(slug="acme").is_archived
    with pytest.raises(CommandError, match="Type the merchant's slug"):
        call_command("delete_merchant", "--slug=acme", "--delete")
    assert schema_exists("acme")
    call_command("delete_merchant", "--slug=acme", "--delete", "--confirm=acme")
    assert not schema_exists("acme")
    with pytest.raises(CommandError, match="No merchant"):
        call_command("delete_merchant", "--slug=acme")


def test_console_lists_merchants(console, alpha, beta):
    page = console.get("/admin/tenancy/merchant/")
    assert page.status_code == 200
    assert "Alpha SARL" in page.content.decode() and "Beta SARL" in page.content.decode()


def test_console_provisions_a_merchant_through_the_service(console):
    form = {
        "slug": "epsilon",
        "name": "Epsilon",
        "legal_name": "",
        "country": "BE",
        "plan": "starter",
        "store_name": "",
        "store_language": "fr",
        "owner_email": "o@epsilon.be",
        "owner_password": "",
    }
    response = console.post("/admin/tenancy/merchant/add/", form)
    assert response.status_code == 302
    merchant = Merchant.objects.get(slug="epsilon")
    assert schema_exists("epsilon") and merchant.plan == "starter"
    assert Domain.objects.filter(tenant=merchant).count() == 2

    again = console.post("/admin/tenancy/merchant/add/", form)
    assert again.status_code == 200
    assert "already exists" in again.content.decode()
    bad = console.post("/admin/tenancy/merchant/add/", {**form, "slug": "Bad Slug!"})
    assert "is not a valid slug" in bad.content.decode()


def test_console_deletes_only_after_archive_and_confirmation(console, acme):
    url = f"/admin/tenancy/merchant/{acme.pk}/delete-permanently/"
    refused = console.post(url, {"confirmation": "acme"})
    assert "Archive the merchant" in refused.content.decode()
    merchant_archive(merchant=acme)
    assert console.post(url, {"confirmation": "nope"}).status_code == 200
    assert schema_exists("acme")
    assert console.post(url, {"confirmation": "acme"}).status_code == 302
    assert not schema_exists("acme")


def test_console_archive_action(console, acme):
    console.post(
        "/admin/tenancy/merchant/",
        {"action": "archive_selected", "_selected_action": [acme.pk]},
    )
    acme.refresh_from_db()
    assert acme.is_archived


def test_console_is_closed_to_non_platform_users(client):
    user_create(email="plain@orion.test", password=PASSWORD, email_verified=True)
    client.defaults["HTTP_HOST"] = "orion.test"
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "plain@orion.test", "password": PASSWORD}
    )
    assert response.status_code == 200  # login refused: not platform staff
    assert client.get("/admin/tenancy/merchant/").status_code == 302


def test_console_refuses_malformed_host_names(console, alpha):
    response = console.post(
        "/admin/tenancy/domain/add/",
        {"domain": "bad host!.lu", "tenant": alpha.merchant.pk, "is_primary": "", "store_id": ""},
    )
    assert response.status_code == 200
    assert "is not a valid host name" in response.content.decode()
    assert not Domain.objects.filter(domain__startswith="bad").exists()
