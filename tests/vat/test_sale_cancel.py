"""Orders: the reference allocated under the threshold lock, and a cancelled sale taken out of
the threshold and the OSS return."""

from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.vat.records.models import VatLedgerEntry
from apps.vat.records.selectors import distance_sales_total, oss_return
from apps.vat.records.services import (
    Buyer,
    QuoteLine,
    vat_sale_cancel,
    vat_sale_record,
    vat_settings_update,
)

pytestmark = pytest.mark.django_db
D = Decimal
DAY = date(2026, 3, 10)


@pytest.fixture
def store(alpha):
    with tenant_context(alpha.merchant):
        shop = alpha.store()
        vat_settings_update(
            store=shop,
            data={"vat_number": "LU12345613", "prices_include_vat": False, "oss_registered": True},
        )
        yield shop


def sale(store, reference, country="DE"):
    return vat_sale_record(
        store=store,
        reference=reference,
        buyer=Buyer(country=country),
        supply_date=DAY,
        lines=[
            QuoteLine(quantity=D(1), unit_price=D("100.00")),
            QuoteLine(quantity=D(2), unit_price=D("10.00"), tax_class="books"),
        ],
    )


def test_the_reference_may_be_given_by_a_function_of_the_quote(store):
    seen = []

    def reference(quote):
        seen.append(quote.regime)
        return "SHOP-2026-00007"

    sale(store, reference)
    assert seen == ["oss"]
    assert set(VatLedgerEntry.objects.values_list("reference", flat=True)) == {"SHOP-2026-00007"}


def test_a_cancelled_sale_leaves_the_threshold_and_the_return(store):
    sale(store, "A")
    sale(store, "B")
    assert distance_sales_total(year=2026) == D("240.00")
    reversed_ = vat_sale_cancel(store=store, reference="A")
    assert sorted(e.taxable for e in reversed_) == [D("-100.00"), D("-20.00")]
    assert distance_sales_total(year=2026) == D("120.00")
    rows = {(r.country, r.rate): (r.taxable, r.vat) for r in oss_return(year=2026, quarter=1)}
    assert rows == {
        ("DE", D("19.00")): (D("100.00"), D("19.00")),
        ("DE", D("7.00")): (D("20.00"), D("1.40")),
    }
    # Idempotent, and a reference without entries is nothing to reverse.
    assert vat_sale_cancel(store=store, reference="A") == []
    assert vat_sale_cancel(store=store, reference="NONE") == []
    assert VatLedgerEntry.objects.filter(reference="A").count() == 4


def test_a_reference_function_is_checked_like_a_reference_and_the_quote_says_how_prices_read(
    store,
):
    from apps.vat.errors import VatError, VatErrorCode

    with pytest.raises(VatError) as excinfo:
        sale(store, lambda quote: "x" * 61)
    assert excinfo.value.code == VatErrorCode.REFERENCE_INVALID
    assert not VatLedgerEntry.objects.exists()
    assert sale(store, "OK-1").prices_include_vat is False


def test_the_reversal_belongs_to_the_sale_s_one_recording(store):
    sale(store, "R-1")
    vat_sale_cancel(store=store, reference="R-1")
    recordings = set(VatLedgerEntry.objects.filter(reference="R-1").values_list("recording"))
    assert len(recordings) == 1
    # Recording the reference again replays the (cancelled) sale; it writes nothing.
    again = sale(store, "R-1")
    assert again.replayed and again.amounts.net_total == D("0.00")
    assert VatLedgerEntry.objects.filter(reference="R-1").count() == 4
