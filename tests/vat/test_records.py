"""VAT inside a merchant: settings, VIES evidence and policy, the ledger, threshold, OSS return."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.vat.errors import VatError, VatErrorCode
from apps.vat.records.models import StoreVatSettings, VatLedgerEntry, VatNumberCheck
from apps.vat.records.selectors import oss_return, oss_return_csv, oss_threshold_status
from apps.vat.records.services import (
    Buyer,
    QuoteLine,
    vat_quote,
    vat_sale_record,
    vat_settings_update,
)

pytestmark = pytest.mark.django_db
D = Decimal
DAY = date(2026, 3, 10)
SELLER_NUMBER = "LU12345613"


@pytest.fixture
def store(alpha):
    with tenant_context(alpha.merchant):
        shop = alpha.store()
        vat_settings_update(
            store=shop, data={"vat_number": SELLER_NUMBER, "prices_include_vat": False}
        )
        yield shop


def lines(*specs):
    return [QuoteLine(quantity=D(q), unit_price=D(p), tax_class=c) for q, p, c in specs]


def sale(store, ref, country, net, day=DAY, **buyer):
    return vat_sale_record(
        store=store,
        reference=ref,
        buyer=Buyer(country=country, **buyer),
        supply_date=day,
        lines=lines(("1", net, "standard")),
    )


def test_settings_refuse_a_malformed_or_foreign_vat_number(store):
    with pytest.raises(VatError) as excinfo:
        vat_settings_update(store=store, data={"vat_number": "LU12345614"})
    assert (
        excinfo.value.code == VatErrorCode.VAT_NUMBER_INVALID
        and excinfo.value.field == "vat_number"
    )
    with pytest.raises(VatError, match="country of establishment"):
        vat_settings_update(store=store, data={"vat_number": "DE136695976"})
    store.vat_settings.refresh_from_db()
    assert store.vat_settings.vat_number == SELLER_NUMBER


def test_domestic_quote(store):
    quote = vat_quote(
        store=store,
        buyer=Buyer(country="LU"),
        supply_date=DAY,
        lines=lines(("2", "10.00", "standard"), ("1", "5.00", "super_reduced")),
    )
    assert quote.regime == "domestic"
    cats = {(c.category, c.rate): (c.taxable, c.vat) for c in quote.amounts.categories}
    assert cats == {("S", D("17")): (D("20.00"), D("3.40")), ("S", D("3")): (D("5.00"), D("0.15"))}
    assert quote.amounts.total == D("28.55")


def test_valid_vies_number_exempts_the_sale_and_keeps_evidence(store, fake_vies):
    quote = vat_quote(
        store=store,
        supply_date=DAY,
        lines=lines(("1", "100.00", "standard")),
        buyer=Buyer(country="DE", vat_number="DE 136 695 976", is_business=True),
    )
    assert (quote.regime, quote.amounts.vat_total, quote.needs_review) == (
        "intra_community",
        D("0.00"),
        False,
    )
    check = VatNumberCheck.objects.get()
    assert (check.vat_number, check.status, check.name) == (
        "DE136695976",
        "valid",
        "Musterfirma GmbH",
    )
    assert check.consultation_number.startswith("WAPI") and check.requester == SELLER_NUMBER
    assert check.request_date is not None
    # A second sale the same day reuses the evidence instead of asking VIES again.
    vat_quote(
        store=store,
        supply_date=DAY,
        lines=lines(("1", "1.00", "standard")),
        buyer=Buyer(country="DE", vat_number="DE136695976", is_business=True),
    )
    assert len(fake_vies.requests) == 1


def test_invalid_vies_number_pays_vat(store, fake_vies):
    quote = vat_quote(
        store=store,
        supply_date=DAY,
        lines=lines(("1", "100.00", "standard")),
        buyer=Buyer(country="BE", vat_number="BE0403019261", is_business=True),
    )
    assert quote.regime == "origin" and quote.amounts.vat_total == D("17.00")
    assert VatNumberCheck.objects.get().status == "invalid"


@pytest.mark.parametrize("mode", ["down", "slow", "ms_unavailable"])
def test_vies_down_or_slow_never_fails_checkout_default_policy_charges_vat(
    store, fake_vies, settings, mode
):
    settings.VIES_TIMEOUT, settings.VIES_RETRIES = 0.3, 1
    fake_vies.mode, fake_vies.delay = mode, 2.0
    quote = vat_quote(
        store=store,
        supply_date=DAY,
        lines=lines(("1", "100.00", "standard")),
        buyer=Buyer(country="DE", vat_number="DE136695976", is_business=True),
    )
    assert quote.regime == "origin" and quote.amounts.vat_total == D("17.00")
    assert quote.needs_review and "could not confirm" in quote.review_reason
    assert VatNumberCheck.objects.get().status == "unavailable"


def test_vies_down_with_the_trusting_policy_exempts_and_flags(store, fake_vies):
    vat_settings_update(store=store, data={"vies_unavailable_policy": "exempt_and_review"})
    fake_vies.mode = "down"
    quote = vat_quote(
        store=store,
        supply_date=DAY,
        lines=lines(("1", "100.00", "standard")),
        buyer=Buyer(country="DE", vat_number="DE136695976", is_business=True),
    )
    assert quote.regime == "intra_community" and quote.needs_review


def test_a_malformed_buyer_number_is_a_clear_error(store):
    with pytest.raises(VatError) as excinfo:
        vat_quote(
            store=store,
            supply_date=DAY,
            lines=lines(("1", "1.00", "standard")),
            buyer=Buyer(country="DE", vat_number="DE123", is_business=True),
        )
    assert excinfo.value.code == VatErrorCode.VAT_NUMBER_INVALID


@pytest.mark.parametrize(
    "bad",
    [
        lines(),
        lines(("0", "1.00", "standard")),
        lines(("1", "-1", "standard")),
        lines(("1", "1", "luxury")),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(store, bad):
    with pytest.raises(VatError) as excinfo:
        vat_sale_record(
            store=store, reference="X", buyer=Buyer(country="LU"), supply_date=DAY, lines=bad
        )
    assert excinfo.value.code == VatErrorCode.BAD_LINE
    assert not VatLedgerEntry.objects.exists()


def test_threshold_crossing_within_the_year_and_carried_into_the_next(store):
    assert sale(store, "A1", "FR", "6000.00").regime == "origin"
    assert sale(store, "A2", "DE", "3999.99").regime == "origin"  # 9,999.99 so far
    status = oss_threshold_status(year=2026)
    assert (status.this_year, status.state, status.percent) == (D("9999.99"), "warning", D("100.0"))
    crossing = sale(store, "A3", "BE", "0.02")  # 10,000.01: this sale crosses
    assert (crossing.regime, crossing.amounts.vat_total) == ("oss", D("0.00"))  # 21% of 0.02
    assert sale(store, "A4", "BE", "100.00").amounts.vat_total == D("21.00")
    assert sale(store, "A5", "LU", "100.00").regime == "domestic"  # domestic sales do not count
    assert oss_threshold_status(year=2026).state == "exceeded"
    # The next year starts at destination VAT because last year exceeded the threshold.
    next_year = sale(store, "B1", "FR", "10.00", day=date(2027, 1, 2))
    assert (next_year.regime, next_year.amounts.vat_total) == ("oss", D("2.00"))
    # ... and the year after that is back below until it crosses again.
    assert sale(store, "C1", "FR", "10.00", day=date(2028, 1, 2)).regime == "origin"


def test_threshold_warning_starts_at_80_percent(store):
    sale(store, "W1", "FR", "7999.99")
    assert oss_threshold_status(year=2026).state == "below"
    sale(store, "W2", "FR", "0.01")
    assert oss_threshold_status(year=2026).state == "warning"


def test_exports_and_exempt_supplies_do_not_count_toward_the_threshold(store, fake_vies):
    sale(store, "E1", "CH", "20000.00")
    sale(store, "E2", "DE", "20000.00", vat_number="DE136695976", is_business=True)
    assert oss_threshold_status(year=2026).this_year == D("0.00")
    assert sale(store, "E3", "FR", "10.00").regime == "origin"


def test_oss_return_per_country_and_rate_with_csv(store):
    vat_settings_update(store=store, data={"oss_registered": True})
    vat_sale_record(
        store=store,
        reference="O1",
        buyer=Buyer(country="FR"),
        supply_date=date(2026, 1, 5),
        lines=lines(("1", "100.00", "standard"), ("2", "10.00", "reduced")),
    )
    sale(store, "O2", "FR", "50.00", day=date(2026, 3, 31))
    sale(store, "O3", "DE", "200.00", day=date(2026, 2, 1))
    sale(store, "O4", "DE", "999.00", day=date(2026, 4, 1))  # next quarter
    sale(store, "O5", "LU", "999.00", day=date(2026, 2, 1))  # domestic, not OSS
    rows = oss_return(year=2026, quarter=1)
    assert [(r.country, r.rate, r.taxable, r.vat) for r in rows] == [
        ("DE", D("19.00"), D("200.00"), D("38.00")),
        ("FR", D("20.00"), D("150.00"), D("30.00")),
        ("FR", D("10.00"), D("20.00"), D("2.00")),
    ]
    csv_text = oss_return_csv(year=2026, quarter=1, rows=rows, vat_number=SELLER_NUMBER)
    assert csv_text.splitlines() == [
        "vat_number,period,member_state_of_consumption,rate,taxable_amount_eur,vat_amount_eur",
        "LU12345613,2026-Q1,DE,19.00,200.00,38.00",
        "LU12345613,2026-Q1,FR,20.00,150.00,30.00",
        "LU12345613,2026-Q1,FR,10.00,20.00,2.00",
    ]


@pytest.mark.parametrize(
    ("policy", "net", "vat", "payable"),
    [("keep_gross", "97.50", "19.50", "117.00"), ("keep_net", "100.00", "20.00", "120.00")],
)
def test_vat_inclusive_prices_for_a_french_consumer_under_both_policies(
    store, policy, net, vat, payable
):
    vat_settings_update(
        store=store,
        data={"prices_include_vat": True, "cross_border_prices": policy, "oss_registered": True},
    )
    quote = vat_quote(
        store=store,
        buyer=Buyer(country="FR"),
        supply_date=DAY,
        lines=lines(("1", "117.00", "standard")),
    )
    assert quote.regime == "oss"
    assert (quote.amounts.net_total, quote.amounts.vat_total, quote.amounts.payable) == (
        D(net),
        D(vat),
        D(payable),
    )
    # At home the shopper pays the catalogue price whatever the policy.
    home = vat_quote(
        store=store,
        buyer=Buyer(country="LU"),
        supply_date=DAY,
        lines=lines(("1", "117.00", "standard")),
    )
    assert (home.amounts.net_total, home.amounts.vat_total, home.amounts.payable) == (
        D("100.00"),
        D("17.00"),
        D("117.00"),
    )


def test_two_parallel_sales_cannot_both_stay_below_the_threshold(alpha):
    """Real parallel connections: each thread records a sale that alone stays below the
    threshold but together they cross it; the advisory lock makes exactly one of them cross."""
    # Everything here runs in threads with their own connections, which commit for real: the
    # main thread's test transaction must hold no lock or row they would wait for.
    store = alpha.store()
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def run(ref):
        try:
            with tenant_context(alpha.merchant):
                barrier.wait()
                results[ref] = sale(store, ref, "BE", "400.00").regime
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    # The threads see only committed rows, so they start from a committed 9,500 on their own.
    def seed():
        try:
            with tenant_context(alpha.merchant):
                vat_settings_update(store=store, data={"prices_include_vat": False})
                sale(store, "P-seed", "FR", "9500.00")
        finally:
            connection.close()

    seeder = threading.Thread(target=seed)
    seeder.start()
    seeder.join()
    threads = [threading.Thread(target=run, args=(ref,)) for ref in ("P1", "P2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert not errors, errors
        assert sorted(results.values()) == ["origin", "oss"]
    finally:

        def cleanup():
            try:
                with tenant_context(alpha.merchant):
                    VatLedgerEntry.objects.filter(reference__startswith="P").delete()
                    StoreVatSettings.objects.filter(store=store).delete()
            finally:
                connection.close()

        cleaner = threading.Thread(target=cleanup)
        cleaner.start()
        cleaner.join()


def test_quote_lines_carry_goods_categories_and_per_country_overrides(store):
    vat_settings_update(store=store, data={"oss_registered": True})
    quote = vat_quote(
        store=store,
        supply_date=DAY,
        buyer=Buyer(country="FR"),
        lines=[
            QuoteLine(quantity=D(1), unit_price=D("10.00"), tax_class="books"),
            QuoteLine(
                quantity=D(1),
                unit_price=D("10.00"),
                tax_class="books",
                rate_overrides={"FR": D("20"), "DE": D("7")},
            ),
            QuoteLine(quantity=D(2), unit_price=D("10.00"), tax_class="zero_rated"),
        ],
    )
    assert [d.rate for d in quote.line_decisions] == [D("5.5"), D("20"), D("0")]
    assert "override" in quote.line_decisions[1].reasons[-1]
    assert set(quote.decisions) == {"books", "zero_rated"}  # lines without an override
    assert quote.decisions["books"].rate == D("5.5")
    cats = {(c.category, c.rate): (c.taxable, c.vat) for c in quote.amounts.categories}
    assert cats == {
        ("S", D("5.5")): (D("10.00"), D("0.55")),
        ("S", D("20")): (D("10.00"), D("2.00")),
        ("Z", D("0")): (D("20.00"), D("0.00")),
    }


def test_an_override_for_the_sellers_country_prices_vat_inclusive_lines(store):
    vat_settings_update(store=store, data={"prices_include_vat": True})
    quote = vat_sale_record(
        store=store,
        reference="OV1",
        buyer=Buyer(country="LU"),
        supply_date=DAY,
        lines=[
            QuoteLine(quantity=D(1), unit_price=D("117.00"), rate_overrides={"LU": D("17")}),
            QuoteLine(
                quantity=D(1),
                unit_price=D("103.00"),
                tax_class="standard",
                rate_overrides={"lu": D("3")},
            ),
        ],
    )
    assert [d.rate for d in quote.line_decisions] == [D("17"), D("3")]
    assert quote.amounts.net_total == D("200.00") and quote.amounts.total == D("220.00")
    assert set(VatLedgerEntry.objects.values_list("rate", flat=True)) == {D("17"), D("3")}


@pytest.mark.parametrize("overrides", [{"FR": D("-1")}, {"FR": "lots"}, {"": D("5")}])
def test_a_malformed_override_is_a_bad_line(store, overrides):
    with pytest.raises(VatError) as excinfo:
        vat_quote(
            store=store,
            supply_date=DAY,
            buyer=Buyer(country="FR"),
            lines=[QuoteLine(quantity=D(1), unit_price=D(1), rate_overrides=overrides)],
        )
    assert (excinfo.value.code, excinfo.value.field) == (VatErrorCode.BAD_LINE, "lines")
