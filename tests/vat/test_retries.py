"""A sale is in the VAT ledger once, however often it is recorded: retried calls, redelivered
tasks, and two calls at once on real parallel connections (tests/parallel.py)."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from apps.core.db import advisory_xact_lock
from apps.tenancy.stores.models import Store
from apps.vat.errors import VatError, VatErrorCode
from apps.vat.records.models import VatLedgerEntry
from apps.vat.records.selectors import distance_sales_total
from apps.vat.records.services import Buyer, QuoteLine, vat_sale_record, vat_settings_update
from tests.parallel import committed, in_parallel, unexpected

pytestmark = pytest.mark.django_db
D = Decimal
DAY = date(2026, 3, 10)
LINES = [
    QuoteLine(quantity=D(2), unit_price=D("50.00")),
    QuoteLine(quantity=D(1), unit_price=D("20.00"), tax_class="reduced"),
]


def record(store, reference="ORDER-1", lines=LINES):
    return vat_sale_record(
        store=store, reference=reference, buyer=Buyer(country="FR"), supply_date=DAY, lines=lines
    )


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        vat_settings_update(store=store, data={"prices_include_vat": False})
        yield store


def test_a_retried_recording_returns_the_recorded_sale_and_writes_nothing(shop):
    first = record(shop)
    assert not first.replayed and len(first.entries) == 2
    assert distance_sales_total(year=2026) == D("120.00")
    again = record(shop, lines=[QuoteLine(quantity=D(9), unit_price=D("9.00"))])
    assert again.replayed
    assert [e.pk for e in again.entries] == [e.pk for e in first.entries]
    assert (again.regime, again.amounts.categories) == (first.regime, first.amounts.categories)
    assert (again.amounts.net_total, again.amounts.vat_total, again.amounts.total) == (
        first.amounts.net_total,
        first.amounts.vat_total,
        first.amounts.total,
    )
    assert VatLedgerEntry.objects.count() == 2
    assert distance_sales_total(year=2026) == D("120.00")  # the threshold moved once
    assert not record(shop, reference="ORDER-2").replayed  # another sale is another sale


@pytest.mark.parametrize("reference", ["", "   ", "X" * 61])
def test_a_sale_needs_a_reference_that_fits(shop, reference):
    with pytest.raises(VatError) as excinfo:
        record(shop, reference=reference)
    assert excinfo.value.code == VatErrorCode.REFERENCE_INVALID
    assert excinfo.value.field == "reference"
    assert not VatLedgerEntry.objects.exists()


def test_the_database_refuses_a_second_recording_of_one_reference(shop):
    """The constraint behind the service: even a writer that skips the service's lock cannot
    put a sale in the ledger twice."""
    first = record(shop)
    entry = first.entries[0]
    entry.pk, entry.recording = None, uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
    # The entries of one recording are many (one per category and rate) and all fine.
    assert VatLedgerEntry.objects.filter(reference="ORDER-1").count() == 2


def test_one_sale_recorded_twice_at_once_is_in_the_ledger_once(race_merchant):
    def setup():
        store = Store.objects.get(slug="shop")
        vat_settings_update(store=store, data={"prices_include_vat": False})
        return store

    store = committed(setup, merchant=race_merchant)
    outcomes = in_parallel(
        lambda: record(store),
        lambda: record(store),
        lambda: record(store),
        merchant=race_merchant,
        # All three find the reference unrecorded, then queue for the merchant's VAT lock.
        behind=lambda: advisory_xact_lock("vat"),
    )
    assert not unexpected(outcomes), outcomes
    assert all(o.ok for o in outcomes), outcomes
    assert sorted(o.result.replayed for o in outcomes) == [False, True, True]
    assert len({tuple(e.pk for e in o.result.entries) for o in outcomes}) == 1
    count, total = committed(
        lambda: (VatLedgerEntry.objects.count(), distance_sales_total(year=2026)),
        merchant=race_merchant,
    )
    assert (count, total) == (2, D("120.00"))
