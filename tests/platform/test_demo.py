import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from apps.accounts.models import User
from apps.platform.demo import DEMO_PASSWORD, STAFF_EMAILS
from apps.tenancy.models import Domain, Merchant
from apps.tenancy.stores.models import StaffMember, Store
from apps.vat.records.models import VatLedgerEntry

pytestmark = pytest.mark.django_db


def _snapshot():
    merchant = Merchant.objects.get(slug="demo")
    with tenant_context(merchant):
        inside = (
            Store.objects.count(),
            User.objects.count(),
            StaffMember.objects.count(),
            VatLedgerEntry.objects.count(),
        )
    return (Merchant.objects.count(), Domain.objects.count(), User.objects.count(), *inside)


def test_load_demo_twice_adds_nothing_the_second_time(capsys, host_client):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first
    assert "nothing added" in capsys.readouterr().out
    # two stores, one account per role
    assert first[3:6] == (2, len(STAFF_EMAILS), len(STAFF_EMAILS))
    assert first[6] >= 90  # the VAT ledger has a year and a half of sales

    client = host_client("demo.orion.test")
    client.post("/accounts/login/", {"login": "viewer@demo.lu", "password": DEMO_PASSWORD})
    assert client.get("/dashboard/").status_code == 200
    assert host_client("outlet.demo.orion.test").get("/").status_code == 200
    assert "threshold is exceeded" in client.get("/dashboard/vat/").content.decode()
