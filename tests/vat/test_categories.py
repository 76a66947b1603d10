"""VAT by goods category, per member state, on the seeded tables (fixtures/vat_category_rates.csv):
the rate each state gives a category, its changes on their boundary dates, zero-rated categories,
the old rate kinds beside them, regional rate areas and per-product overrides."""

from datetime import date
from decimal import Decimal

import pytest

from apps.vat.rates import RateNotFound
from apps.vat.rules import VatCase, VatRuleError, vat_decide
from apps.vat.selectors import rate_table_load

pytestmark = pytest.mark.django_db
D = Decimal
DAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def rates(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return rate_table_load()


def oss(rates, country, tax_class, day=DAY, postal_code="", **kwargs):
    """A consumer sale from Luxembourg by an OSS-registered seller: the buyer's state's VAT."""
    return vat_decide(
        VatCase(
            seller_country="LU",
            buyer_country=country,
            postal_code=postal_code,
            supply_date=day,
            tax_class=tax_class,
            oss_registered=True,
            **kwargs,
        ),
        rates,
    )


# (state, books, ebooks, newspapers, foodstuffs, non-alcoholic beverages, children's clothing,
#  medicines, medical devices, flowers and plants) on 2026-03-01, from cells the fixture marks
# checked (TEDB 2025, dated news or the Directive); "S" is the state's standard rate.
BY_CATEGORY = [
    ("AT", "10", "10", "10", "10", None, "20", None, None, "13"),
    ("BE", "6", "6", "0", "6", "6", "21", "6", "6", "6"),
    ("DE", "7", None, "7", "7", None, "19", None, "7", "7"),
    ("FR", "5.5", None, "2.1", "5.5", None, "20", "10", "5.5", None),
    ("IE", "0", "0", "0", "0", None, None, "0", "0", None),
    ("IT", "4", None, "4", "10", None, "22", "10", "4", None),
    ("LU", "3", "3", "3", "3", None, "3", "3", "3", "8"),
    ("NL", "9", "9", None, "9", None, "21", "9", "9", "9"),
    ("PL", "5", "5", "8", "5", None, "23", "8", "8", None),
    ("PT", "6", None, "6", "6", None, "23", "6", "6", None),
    ("CZ", "0", "0", "12", "12", None, "21", "12", None, "12"),
    ("FI", "13.5", "13.5", "10", "13.5", None, "25.5", "13.5", "25.5", "25.5"),
    ("SE", "6", "6", "6", "12", None, "25", None, None, "25"),
    ("EE", "9", "9", "9", "24", "24", "24", "9", "9", "24"),
    ("LV", "5", "5", "5", "21", None, "21", "12", "12", "21"),
    ("HU", "5", None, "0", None, None, "27", "5", "5", "27"),
    ("MT", "5", None, "5", "0", None, "18", "0", "5", None),
]
CATEGORIES = (
    "books", "ebooks", "newspapers", "foodstuffs", "non_alcoholic_beverages",
    "children_clothing", "pharmaceuticals", "medical_devices", "flowers_plants",
)  # fmt: skip
CASES = [
    (row[0], category, rate)
    for row in BY_CATEGORY
    for category, rate in zip(CATEGORIES, row[1:], strict=True)
    if rate is not None
]


@pytest.mark.parametrize(("country", "category", "rate"), CASES)
def test_each_state_maps_each_category_to_its_rate(rates, country, category, rate):
    decision = oss(rates, country, category)
    expected_regime = "domestic" if country == "LU" else "oss"
    assert (decision.regime, decision.vat_country, decision.rate) == (
        expected_regime,
        country,
        D(rate),
    )
    assert decision.category == ("Z" if D(rate) == 0 else "S")
    assert category in decision.reasons[-1]


def test_a_luxembourg_book_sold_to_a_french_consumer_pays_the_french_book_rate(rates):
    decision = oss(rates, "FR", "books")
    assert (decision.rate, decision.category) == (D("5.5"), "S")
    # The old rate kind meant "France's super-reduced rate" — 2.1%, VAT undercharged.
    assert oss(rates, "FR", "super_reduced").rate == D("2.1")
    origin = vat_decide(
        VatCase(seller_country="LU", buyer_country="FR", supply_date=DAY, tax_class="books"),
        rates,
    )
    assert (origin.regime, origin.vat_country, origin.rate) == ("origin", "LU", D("3"))


@pytest.mark.parametrize(
    ("country", "rate"), [("FR", "5.5"), ("IT", "5"), ("IE", "9"), ("CY", "5"), ("DE", "7")]
)
def test_the_second_reduced_rate_is_reachable_as_a_rate_kind(rates, country, rate):
    # DE has one reduced rate: reduced_2 falls back to it, never below.
    assert oss(rates, country, "reduced_2").rate == D(rate)


def test_a_new_super_reduced_rate_moves_the_rate_kind_but_not_the_categories(rates):
    before, after = date(2026, 6, 30), date(2026, 7, 1)
    kind_before = oss(rates, "AT", "super_reduced", before).rate
    kind_after = oss(rates, "AT", "super_reduced", after).rate
    assert (kind_before, kind_after) == (D("10"), D("4.9"))
    for category, rate in (("books", "10"), ("foodstuffs", "10"), ("newspapers", "10")):
        assert oss(rates, "AT", category, before).rate == D(rate)
        assert oss(rates, "AT", category, after).rate == D(rate)


@pytest.mark.parametrize(
    ("country", "category", "last_day", "old", "first_day", "new"),
    [
        ("AT", "books", date(2020, 6, 30), "10", date(2020, 7, 1), "5"),
        ("AT", "books", date(2021, 12, 31), "5", date(2022, 1, 1), "10"),
        ("AT", "newspapers", date(2020, 12, 31), "5", date(2021, 1, 1), "10"),
        ("DE", "foodstuffs", date(2020, 6, 30), "7", date(2020, 7, 1), "5"),
        ("DE", "foodstuffs", date(2020, 12, 31), "5", date(2021, 1, 1), "7"),
        # standard-rated goods follow the standard rate's own changes
        ("DE", "children_clothing", date(2020, 6, 30), "19", date(2020, 7, 1), "16"),
        ("IE", "children_clothing", date(2020, 8, 31), "0", date(2020, 9, 1), "0"),
        ("IE", "non_alcoholic_beverages", date(2020, 8, 31), "23", date(2020, 9, 1), "21"),
        ("IE", "newspapers", date(2022, 12, 31), "9", date(2023, 1, 1), "0"),
        ("IE", "ebooks", date(2023, 12, 31), "9", date(2024, 1, 1), "0"),
        ("PL", "foodstuffs", date(2022, 1, 31), "5", date(2022, 2, 1), "0"),
        ("PL", "foodstuffs", date(2024, 3, 31), "0", date(2024, 4, 1), "5"),
        ("CZ", "books", date(2023, 12, 31), "10", date(2024, 1, 1), "0"),
        ("CZ", "foodstuffs", date(2023, 12, 31), "15", date(2024, 1, 1), "12"),
        ("EE", "newspapers", date(2022, 7, 31), "9", date(2022, 8, 1), "5"),
        ("EE", "newspapers", date(2024, 12, 31), "5", date(2025, 1, 1), "9"),
        ("EE", "children_clothing", date(2025, 6, 30), "22", date(2025, 7, 1), "24"),
        ("FI", "books", date(2024, 12, 31), "10", date(2025, 1, 1), "14"),
        ("FI", "books", date(2025, 12, 31), "14", date(2026, 1, 1), "13.5"),
        ("FI", "newspapers", date(2025, 12, 31), "10", date(2026, 1, 1), "10"),
        ("LV", "books", date(2021, 12, 31), "12", date(2022, 1, 1), "5"),
        ("LT", "books", date(2025, 12, 31), "9", date(2026, 1, 1), "5"),
        ("HU", "newspapers", date(2023, 12, 31), "5", date(2024, 1, 1), "0"),
        ("LU", "flowers_plants", date(2022, 12, 31), "8", date(2023, 1, 1), "7"),
        ("LU", "flowers_plants", date(2023, 12, 31), "7", date(2024, 1, 1), "8"),
        ("BG", "books", date(2020, 6, 30), "20", date(2020, 7, 1), "9"),
        ("SK", "books", date(2024, 12, 31), "10", date(2025, 1, 1), "5"),
        ("SK", "foodstuffs", date(2024, 12, 31), "20", date(2025, 1, 1), "19"),
        ("RO", "foodstuffs", date(2025, 7, 31), "9", date(2025, 8, 1), "11"),
        ("CY", "newspapers", date(2023, 7, 20), "5", date(2023, 7, 21), "3"),
        ("SE", "foodstuffs", date(2026, 3, 31), "12", date(2026, 4, 1), "6"),
    ],
)
def test_category_rates_change_on_their_boundary_dates(
    rates, country, category, last_day, old, first_day, new
):
    before = oss(rates, country, category, last_day)
    after = oss(rates, country, category, first_day)
    assert (before.rate, after.rate) == (D(old), D(new))
    assert after.category == ("Z" if D(new) == 0 else "S")


@pytest.mark.parametrize(
    ("country", "kind", "last_day", "old", "first_day", "new"),
    [
        ("EE", "reduced_2", date(2022, 7, 31), "9", date(2022, 8, 1), "5"),
        ("SK", "reduced_2", date(2022, 12, 31), "10", date(2023, 1, 1), "5"),
    ],
)
def test_dated_corrections_of_the_rate_periods(rates, country, kind, last_day, old, first_day, new):
    # EE's 5% press rate from 2022-08-01, SK's 5% from 2023-01-01: before, no such rate
    # (reduced_2 falls back to the reduced rate).
    assert oss(rates, country, kind, last_day).rate == D(old)
    assert oss(rates, country, kind, first_day).rate == D(new)


@pytest.mark.parametrize(
    ("country", "category"),
    [("IE", "books"), ("BE", "newspapers"), ("MT", "foodstuffs"), ("CZ", "books"),
     ("DE", "zero_rated"), ("FR", "zero_rated"), ("LU", "zero")],
)  # fmt: skip
def test_a_zero_rated_category_gives_category_z_and_rate_zero(rates, country, category):
    decision = oss(rates, country, category)
    assert (decision.rate, decision.category, decision.as_dict()["rate"]) == (D("0"), "Z", "0.00")


def test_every_category_and_rate_kind_resolves_in_every_area_today(rates):
    from apps.vat.codes import TaxClass

    for area in rates.countries():
        for tax_class in TaxClass.values:
            assert rates.rate(country=area, day=DAY, tax_class=tax_class) >= 0


def test_a_category_before_the_table_has_no_rate(rates):
    with pytest.raises(RateNotFound, match="books"):
        rates.rate(country="FR", day=date(2019, 12, 31), tax_class="books")


def test_the_standard_class_is_the_standard_rate_as_before(rates):
    assert oss(rates, "HU", "standard").rate == D("27")
    assert oss(rates, "HU", "foodstuffs").rate == D("27")  # most food: standard rate


# -- Rate areas ---------------------------------------------------------------------------------


def test_northern_ireland_from_a_gb_address_with_a_bt_postcode(rates):
    decision = oss(rates, "GB", "standard", postal_code="BT1 5GS")
    assert (decision.regime, decision.vat_country, decision.rate) == ("oss", "XI", D("20"))
    books = oss(rates, "GB", "books", postal_code="bt48 6dq")
    assert (books.vat_country, books.rate, books.category) == ("XI", D("0"), "Z")
    assert oss(rates, "GB", "children_clothing", postal_code="BT7 1NN").category == "Z"
    # Great Britain stays a third country.
    assert oss(rates, "GB", "books", postal_code="SW1A 1AA").regime == "export"
    assert oss(rates, "GB", "books", postal_code="").regime == "export"


@pytest.mark.parametrize(
    ("postal_code", "area", "name"),
    [("9000-001", "PT-30", "Madeira"), ("9499-999", "PT-30", "Madeira"),
     ("9500-150", "PT-20", "Azores"), ("9999", "PT-20", "Azores")],
)  # fmt: skip
def test_madeira_and_the_azores_have_their_own_rates(rates, postal_code, area, name):
    decision = oss(rates, "PT", "standard", postal_code=postal_code)
    assert (decision.vat_country, decision.rate_area) == ("PT", area)
    assert decision.rate == D("22" if area == "PT-30" else "16")
    assert any(name in reason and area in reason for reason in decision.reasons)
    assert decision.as_dict()["rate_area"] == area


@pytest.mark.parametrize(
    ("postal_code", "tax_class", "day", "rate"),
    [
        ("9000-001", "books", date(2024, 9, 30), "5"),
        ("9000-001", "books", date(2024, 10, 1), "4"),
        ("9000-001", "foodstuffs", DAY, "4"),
        ("9000-001", "reduced", DAY, "12"),  # the intermediate rate
        ("9000-001", "reduced_2", date(2024, 9, 30), "5"),
        ("9000-001", "children_clothing", DAY, "22"),  # PT's standard-rated row, Madeira's rate
        ("9000-001", "flowers_plants", DAY, "12"),
        ("9500-150", "standard", date(2021, 6, 30), "18"),
        ("9500-150", "standard", date(2021, 7, 1), "16"),
        ("9500-150", "books", DAY, "4"),
        ("9500-150", "reduced", DAY, "9"),
        ("9500-150", "non_alcoholic_beverages", DAY, "16"),
        ("1100-148", "standard", DAY, "23"),  # Lisbon: mainland
        ("1100-148", "books", DAY, "6"),
    ],
)
def test_portuguese_rate_areas_by_category_and_date(rates, postal_code, tax_class, day, rate):
    assert oss(rates, "PT", tax_class, day, postal_code=postal_code).rate == D(rate)


@pytest.mark.parametrize(
    ("postal_code", "tax_class", "rate", "area"),
    [
        ("6691", "standard", "19", "AT-JM"),  # Jungholz
        ("6991", "standard", "19", "AT-JM"),  # Mittelberg: Riezlern
        ("6992", "children_clothing", "19", "AT-JM"),  # Hirschegg: standard-rated goods
        ("A-6993", "standard", "19", "AT-JM"),  # Mittelberg
        ("6993", "books", "10", "AT-JM"),  # reduced rates as in Austria
        ("6993", "flowers_plants", "13", "AT-JM"),
        ("6020", "standard", "20", None),  # Innsbruck
        ("6990", "standard", "20", None),
        ("6994", "standard", "20", None),
    ],
)
def test_jungholz_and_mittelberg_get_austrias_second_standard_rate(
    rates, postal_code, tax_class, rate, area
):
    decision = oss(rates, "AT", tax_class, postal_code=postal_code)
    assert (decision.vat_country, decision.rate_area, decision.rate) == ("AT", area, D(rate))


def test_a_domestic_sale_is_taxed_where_dispatch_begins(rates):
    # An Austrian seller shipping to Jungholz: the supply is made where transport begins
    # (Art. 32), at the mainland rate; the rate area only applies at destination (OSS).
    decision = vat_decide(
        VatCase(seller_country="AT", buyer_country="AT", postal_code="6691", supply_date=DAY),
        rates,
    )
    assert (decision.regime, decision.rate, decision.rate_area) == ("domestic", D("20"), None)


# -- Per-product overrides ----------------------------------------------------------------------


def test_an_override_replaces_the_table_for_the_country_whose_vat_applies(rates):
    overrides = {"FR": D("20"), "DE": D("19")}
    fr = oss(rates, "FR", "books", rate_overrides=overrides)
    assert (fr.rate, fr.category) == (D("20"), "S")
    assert "override" in fr.reasons[-1]
    # Another state's override is ignored; that state's table applies.
    it = oss(rates, "IT", "books", rate_overrides=overrides)
    assert it.rate == D("4") and "override" not in it.reasons[-1]
    zero = oss(rates, "BE", "foodstuffs", rate_overrides={"be": D("0")})
    assert (zero.rate, zero.category) == (D("0"), "Z")


def test_an_override_applies_at_origin_and_not_to_exempt_sales(rates):
    origin = vat_decide(
        VatCase(
            seller_country="LU",
            buyer_country="DE",
            supply_date=DAY,
            tax_class="books",
            rate_overrides={"LU": D("17")},
        ),
        rates,
    )
    assert (origin.regime, origin.rate) == ("origin", D("17"))
    export = oss(rates, "CH", "books", rate_overrides={"CH": D("8.1")})
    assert (export.regime, export.rate) == ("export", D("0"))


def test_a_rate_area_override_comes_before_its_states(rates):
    overrides = {"PT": D("23"), "PT-30": D("22")}
    assert oss(rates, "PT", "books", postal_code="9000-001", rate_overrides=overrides).rate == 22
    assert oss(rates, "PT", "books", postal_code="9500-150", rate_overrides=overrides).rate == 23
    assert oss(rates, "PT", "books", postal_code="1100-148", rate_overrides=overrides).rate == 23


@pytest.mark.parametrize("bad", [D("-1"), D("100"), D("NaN"), "lots"])
def test_a_malformed_override_is_refused(rates, bad):
    with pytest.raises(VatRuleError, match="override for FR"):
        oss(rates, "FR", "books", rate_overrides={"FR": bad})
