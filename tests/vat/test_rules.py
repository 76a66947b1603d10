"""Table-driven tests of the decision engine, on the seeded rate table."""

from datetime import date
from decimal import Decimal

import pytest

from apps.vat.numbers import vat_number_parse
from apps.vat.rates import RateNotFound
from apps.vat.rules import VatCase, VatRuleError, vat_decide
from apps.vat.selectors import rate_table_load

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def rates():
    return rate_table_load()


def decide(rates, **kwargs):
    kwargs.setdefault("seller_country", "LU")
    kwargs.setdefault("supply_date", TODAY)
    number = kwargs.pop("vat", None)
    if number:
        kwargs["buyer_vat_number"] = vat_number_parse(number)
        kwargs.setdefault("buyer_vat_number_valid", True)
        kwargs.setdefault("is_business", True)
    return vat_decide(VatCase(**kwargs), rates)


# Every member state's standard rate today, charged at destination (OSS).
STANDARD_TODAY = {
    "AT": "20", "BE": "21", "BG": "20", "CY": "19", "CZ": "21", "DE": "19", "DK": "25",
    "EE": "24", "ES": "21", "FI": "25.5", "FR": "20", "GR": "24", "HR": "25", "HU": "27",
    "IE": "23", "IT": "22", "LT": "21", "LU": "17", "LV": "21", "MT": "18", "NL": "21",
    "PL": "23", "PT": "23", "RO": "21", "SE": "25", "SI": "22", "SK": "23",
}  # fmt: skip


@pytest.mark.parametrize(("country", "rate"), sorted(STANDARD_TODAY.items()))
def test_every_member_state_standard_rate_today(rates, country, rate):
    decision = decide(rates, buyer_country=country, oss_registered=True)
    assert decision.rate == Decimal(rate)
    assert decision.category == "S"
    assert decision.vat_country == country
    assert decision.regime == ("domestic" if country == "LU" else "oss")


@pytest.mark.parametrize(
    ("country", "last_day_before", "old", "first_day", "new"),
    [
        ("LU", date(2022, 12, 31), "17", date(2023, 1, 1), "16"),
        ("LU", date(2023, 12, 31), "16", date(2024, 1, 1), "17"),
        ("DE", date(2020, 6, 30), "19", date(2020, 7, 1), "16"),
        ("DE", date(2020, 12, 31), "16", date(2021, 1, 1), "19"),
        ("EE", date(2023, 12, 31), "20", date(2024, 1, 1), "22"),
        ("EE", date(2025, 6, 30), "22", date(2025, 7, 1), "24"),
        ("FI", date(2024, 8, 31), "24", date(2024, 9, 1), "25.5"),
        ("SK", date(2024, 12, 31), "20", date(2025, 1, 1), "23"),
        ("RO", date(2025, 7, 31), "19", date(2025, 8, 1), "21"),
        ("IE", date(2020, 8, 31), "23", date(2020, 9, 1), "21"),
        ("IE", date(2021, 2, 28), "21", date(2021, 3, 1), "23"),
    ],
)
def test_rate_changes_on_their_exact_boundary_dates(
    rates, country, last_day_before, old, first_day, new
):
    before = decide(rates, buyer_country=country, oss_registered=True, supply_date=last_day_before)
    after = decide(rates, buyer_country=country, oss_registered=True, supply_date=first_day)
    assert (before.rate, after.rate) == (Decimal(old), Decimal(new))


@pytest.mark.parametrize(
    ("country", "day", "tax_class", "rate"),
    [
        ("LU", date(2026, 3, 1), "reduced", "8"),
        ("LU", date(2023, 3, 1), "reduced", "7"),
        ("LU", date(2026, 3, 1), "super_reduced", "3"),
        ("LU", date(2026, 3, 1), "parking", "14"),
        ("LU", date(2023, 3, 1), "parking", "13"),
        ("FR", date(2026, 3, 1), "super_reduced", "2.1"),
        ("DE", date(2026, 3, 1), "super_reduced", "7"),  # no super-reduced: lowest reduced
        ("DE", date(2026, 3, 1), "parking", "19"),  # no parking rate: standard
        ("DK", date(2026, 3, 1), "reduced", "25"),  # no reduced rates at all
        ("FI", date(2025, 12, 31), "reduced", "14"),
        ("FI", date(2026, 1, 1), "reduced", "13.5"),
        ("AT", date(2026, 6, 30), "super_reduced", "10"),
        ("AT", date(2026, 7, 1), "super_reduced", "4.9"),
        ("CZ", date(2023, 12, 31), "reduced", "15"),
        ("CZ", date(2024, 1, 1), "reduced", "12"),
        ("BE", date(2026, 3, 1), "zero", "0"),
    ],
)
def test_tax_classes_map_to_each_state_rates(rates, country, day, tax_class, rate):
    decision = decide(
        rates, buyer_country=country, oss_registered=True, supply_date=day, tax_class=tax_class
    )
    assert decision.rate == Decimal(rate)
    assert decision.category == ("Z" if rate == "0" else "S")


def test_domestic_sale_uses_the_seller_state(rates):
    decision = decide(rates, buyer_country="LU", vat="LU15027442")
    assert (decision.regime, decision.vat_country, decision.rate) == ("domestic", "LU", 17)
    assert decision.mention is None


def test_b2b_with_valid_number_of_another_state_is_an_exempt_ic_supply(rates):
    decision = decide(rates, buyer_country="DE", vat="DE136695976")
    assert decision.regime == "intra_community"
    assert (decision.category, decision.exemption_reason_code, decision.rate) == (
        "K",
        "VATEX-EU-IC",
        0,
    )
    assert "Article 138" in decision.mention["en"]
    assert "article 138" in decision.mention["fr"] and "Artikel 138" in decision.mention["de"]


def test_b2b_greek_and_northern_irish_numbers(rates):
    assert decide(rates, buyer_country="GR", vat="EL094259216").regime == "intra_community"
    ni = decide(rates, buyer_country="XI", vat="XI980780684")
    assert (ni.regime, ni.vat_country) == ("intra_community", "XI")


def test_b2b_number_not_confirmed_valid_pays_vat(rates):
    decision = decide(rates, buyer_country="DE", vat="DE136695976", buyer_vat_number_valid=False)
    assert decision.regime == "origin" and decision.rate == 17


def test_b2b_number_of_the_dispatch_state_earns_no_exemption(rates):
    decision = decide(rates, buyer_country="DE", vat="LU15027442")
    assert decision.regime == "origin"


def test_a_business_without_number_is_treated_like_a_consumer(rates):
    decision = decide(
        rates, buyer_country="FR", is_business=True, eu_sales_last_year=Decimal("20000")
    )
    assert (decision.regime, decision.vat_country, decision.rate) == ("oss", "FR", 20)


@pytest.mark.parametrize(
    ("this_year", "amount", "regime"),
    [
        ("0", "100", "origin"),
        ("9900", "100", "origin"),  # reaching 10,000 exactly does not exceed it
        ("9900", "100.01", "oss"),  # the sale that crosses is taxed at destination
        ("10000.01", "0", "oss"),
        ("12000", "50", "oss"),
    ],
)
def test_threshold_crossing_within_the_year(rates, this_year, amount, regime):
    decision = decide(
        rates,
        buyer_country="BE",
        eu_sales_this_year=Decimal(this_year),
        amount=Decimal(amount),
    )
    assert decision.regime == regime
    assert decision.vat_country == ("LU" if regime == "origin" else "BE")
    assert decision.rate == (17 if regime == "origin" else 21)


def test_threshold_crossed_last_year_carries_into_this_year(rates):
    decision = decide(
        rates,
        buyer_country="BE",
        eu_sales_this_year=Decimal("0"),
        eu_sales_last_year=Decimal("10000.01"),
    )
    assert decision.regime == "oss"
    at_threshold = decide(rates, buyer_country="BE", eu_sales_last_year=Decimal("10000"))
    assert at_threshold.regime == "origin"


def test_oss_registration_means_destination_vat_from_the_first_euro(rates):
    assert decide(rates, buyer_country="IT", oss_registered=True).rate == 22


@pytest.mark.parametrize(
    ("country", "postal_code", "territory"),
    [
        ("ES", "35001", "Canary Islands"),
        ("ES", "38650", "Canary Islands"),
        ("ES", "51001", "Ceuta"),
        ("ES", "52006", "Melilla"),
        ("FR", "97110", "French overseas"),
        ("FR", "97400", "French overseas"),
        ("FI", "22100", "Åland"),
        ("FI", "FI-22100", "Åland"),
        ("AX", "", "Åland"),
        ("GR", "63086", "Mount Athos"),
        ("DE", "27498", "Heligoland"),
        ("DE", "78266", "Büsingen"),
        ("IT", "23041", "Livigno"),
        ("IT", "22061", "Campione"),
        ("CH", "8001", "CH"),
        ("GB", "SW1A 1AA", "GB"),
        ("NO", "0150", "NO"),
        ("US", "10001", "US"),
    ],
)
def test_special_territories_and_third_countries_are_exports(
    rates, country, postal_code, territory
):
    decision = decide(rates, buyer_country=country, postal_code=postal_code, oss_registered=True)
    assert decision.regime == "export"
    assert (decision.category, decision.exemption_reason_code) == ("G", "VATEX-EU-G")
    assert decision.vat_country is None and decision.rate == 0
    assert territory in decision.reasons[0]
    assert "146" in decision.mention["en"]


@pytest.mark.parametrize(
    ("country", "postal_code"),
    [
        ("ES", "28001"),
        ("FR", "75001"),
        ("FI", "00100"),
        ("DE", "10115"),
        ("IT", "00184"),
        ("PT", "9000-001"),
    ],
)
def test_mainland_postcodes_stay_in_the_eu_vat_area(rates, country, postal_code):
    decision = decide(rates, buyer_country=country, postal_code=postal_code, oss_registered=True)
    assert decision.regime == "oss" and decision.vat_country == country


def test_monaco_is_treated_as_france(rates):
    decision = decide(rates, buyer_country="MC", oss_registered=True)
    assert (decision.vat_country, decision.rate) == ("FR", 20)


def test_northern_ireland_follows_eu_rules_for_goods_with_uk_rates(rates):
    decision = decide(rates, buyer_country="XI", oss_registered=True)
    assert (decision.regime, decision.vat_country, decision.rate) == ("oss", "XI", 20)


def test_seller_outside_the_eu_is_refused(rates):
    with pytest.raises(VatRuleError, match="established in an EU member state"):
        decide(rates, seller_country="CH", buyer_country="DE")


def test_a_date_before_the_table_has_no_rate(rates):
    with pytest.raises(RateNotFound):
        decide(rates, buyer_country="LU", supply_date=date(1980, 1, 1))
