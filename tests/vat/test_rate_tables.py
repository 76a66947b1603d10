"""The rate tables themselves: overlapping periods refused by PostgreSQL (exclusion constraints),
and by the console as form errors; the idempotent sync; the fixture's coverage and the list of
unverified cells in docs/vat.md."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from apps.vat.codes import EU_MEMBER_STATES, TABLE_CATEGORIES, Verification
from apps.vat.models import VatCategoryRate, VatRate
from apps.vat.rates import parent_area
from apps.vat.seed import RateFileError, category_rate_rows, rate_rows

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def _refused(statement):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        statement()
    return excinfo.value


# -- The database refuses overlaps --------------------------------------------------------------


def test_an_overlapping_rate_period_is_refused_by_the_database_through_the_orm():
    error = _refused(
        lambda: VatRate.objects.create(country="LU", valid_from=date(2026, 6, 1), standard=18)
    )
    assert "vat_rate_no_overlap" in str(error)
    # ... also when an existing period is stretched over its successor.
    first = VatRate.objects.get(country="DE", valid_from=date(2020, 7, 1))
    error = _refused(lambda: VatRate.objects.filter(pk=first.pk).update(valid_to=date(2021, 1, 1)))
    assert "vat_rate_no_overlap" in str(error)


def test_an_overlapping_rate_period_is_refused_by_the_database_in_raw_sql():
    def insert():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO vat_vatrate (country, valid_from, valid_to, standard, sources, "
                "notes, updated_at) VALUES ('DE', '2020-12-01', '2021-01-31', 19, '', '', now())"
            )

    error = _refused(insert)
    assert getattr(error.__cause__, "sqlstate", None) == "23P01"  # exclusion_violation


def test_adjacent_periods_and_other_areas_are_accepted():
    current = VatRate.objects.get(country="LU", valid_to__isnull=True)
    current.valid_to = date(2030, 12, 31)
    current.save()
    VatRate.objects.create(country="LU", valid_from=date(2031, 1, 1), standard=18)
    assert VatRate.objects.filter(country="LU", valid_from__gte=date(2024, 1, 1)).count() == 2


def test_an_overlapping_category_period_is_refused_by_the_database():
    def insert():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO vat_vatcategoryrate (country, category, valid_from, valid_to, rate,"
                " sources, verification, notes, updated_at) VALUES ('FR', 'books', '2030-01-01',"
                " NULL, 7, '', 'unverified', '', now())"
            )

    assert getattr(_refused(insert).__cause__, "sqlstate", None) == "23P01"
    error = _refused(
        lambda: VatCategoryRate.objects.create(
            country="IE", category="ebooks", valid_from=date(2023, 6, 1), rate=Decimal("5")
        )
    )
    assert "vat_category_rate_no_overlap" in str(error)
    # The same period as FR's e-books and BE's books (another category, another area) is fine.
    VatCategoryRate.objects.filter(country="FR", category="books").delete()
    VatCategoryRate.objects.create(
        country="FR", category="books", valid_from=date(2020, 1, 1), rate=Decimal("5.5")
    )
    assert VatCategoryRate.objects.filter(valid_from=date(2020, 1, 1), valid_to=None).count() > 100


def test_a_rate_outside_0_to_100_is_refused_by_the_database():
    VatCategoryRate.objects.filter(country="FR", category="books").delete()
    _refused(
        lambda: VatCategoryRate.objects.create(
            country="FR", category="books", valid_from=date(2020, 1, 1), rate=Decimal("100")
        )
    )


# -- The console shows form errors --------------------------------------------------------------


def test_console_refuses_an_overlapping_category_period_with_a_form_error(console):
    response = console.post(
        "/admin/vat/vatcategoryrate/add/",
        {
            "country": "fr",
            "category": "books",
            "valid_from": "2027-01-01",
            "rate": "7.00",
            "verification": "unverified",
        },
    )
    assert response.status_code == 200
    assert "overlaps another period of the same category" in response.content.decode()
    assert not VatCategoryRate.objects.filter(valid_from=date(2027, 1, 1)).exists()


@pytest.mark.parametrize("model", ["vatrate", "vatcategoryrate"])
def test_console_refuses_a_reversed_period_with_a_form_error(console, model):
    data = {
        "country": "LU",
        "valid_from": "2040-01-01",
        "valid_to": "2039-12-31",
        "standard": "17.00",
        "category": "books",
        "rate": "3.00",
        "verification": "unverified",
    }
    response = console.post(f"/admin/vat/{model}/add/", data)
    assert response.status_code == 200
    assert "must end on or after the day it starts" in response.content.decode()


def test_console_records_a_category_rate_change_as_a_new_period(console):
    current = VatCategoryRate.objects.get(country="FR", category="books", valid_to__isnull=True)
    change = console.post(
        f"/admin/vat/vatcategoryrate/{current.pk}/change/",
        {
            "country": "FR",
            "category": "books",
            "valid_from": current.valid_from.isoformat(),
            "valid_to": "2027-12-31",
            "rate": "5.50",
            "verification": current.verification,
        },
    )
    assert change.status_code == 302
    added = console.post(
        "/admin/vat/vatcategoryrate/add/",
        {
            "country": "FR",
            "category": "books",
            "valid_from": "2028-01-01",
            "rate": "",  # the standard rate
            "verification": "unverified",
        },
    )
    assert added.status_code == 302
    from apps.vat.selectors import rate_table_load

    table = rate_table_load()
    assert table.rate(country="FR", day=date(2027, 12, 31), tax_class="books") == Decimal("5.5")
    assert table.rate(country="FR", day=date(2028, 1, 1), tax_class="books") == 20
    page = console.get("/admin/vat/vatcategoryrate/?country=FR")
    assert page.status_code == 200 and "2028" in page.content.decode()


# -- Sync -------------------------------------------------------------------------------------


def test_sync_of_both_tables_is_idempotent(capsys):
    before = (VatRate.objects.count(), VatCategoryRate.objects.count())
    call_command("vat_rates_sync")
    assert (VatRate.objects.count(), VatCategoryRate.objects.count()) == before
    out = capsys.readouterr().out
    assert "rate periods: 0 created" in out and "category rate periods: 0 created" in out


def test_sync_restores_a_changed_row_and_a_split_period():
    VatRate.objects.filter(country="EE", valid_from=date(2022, 8, 1)).delete()
    VatRate.objects.filter(country="EE", valid_from=date(2009, 7, 1)).update(
        valid_to=date(2023, 12, 31)
    )
    VatCategoryRate.objects.filter(country="PL", category="foodstuffs").update(rate=Decimal("8"))
    call_command("vat_rates_sync")
    ee = list(VatRate.objects.filter(country="EE").order_by("valid_from")[:2])
    assert [(p.valid_to, p.reduced_2) for p in ee] == [
        (date(2022, 7, 31), None),
        (date(2023, 12, 31), Decimal("5")),
    ]
    assert set(
        VatCategoryRate.objects.filter(country="PL", category="foodstuffs").values_list(
            "rate", flat=True
        )
    ) == {Decimal("5"), Decimal("0")}


def test_sync_stops_cleanly_on_a_console_row_the_file_overlaps():
    current = VatCategoryRate.objects.get(country="FR", category="books", valid_to__isnull=True)
    current.valid_to = date(2029, 12, 31)
    current.save()
    VatCategoryRate.objects.create(
        country="FR", category="books", valid_from=date(2030, 1, 1), rate=Decimal("7")
    )
    with pytest.raises(CommandError, match="in the database but not in the file"):
        call_command("vat_rates_sync")
    current.refresh_from_db()
    assert current.valid_to == date(2029, 12, 31)  # nothing half-written


def test_a_rate_file_whose_periods_overlap_is_refused(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "country,category,valid_from,valid_to,rate,verification,sources,notes\n"
        "FR,books,2020-01-01,2024-12-31,5.5,news,,\n"
        "FR,books,2024-06-01,,7,news,,\n"
    )
    with pytest.raises(RateFileError, match="FR books"):
        category_rate_rows(path)


# -- The fixture ----------------------------------------------------------------------------------


def test_every_rate_area_has_every_category_from_2020_to_today():
    rows = category_rate_rows()
    chains: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        chains.setdefault((row["country"], row["category"]), []).append(row)
    areas = {row["country"] for row in rate_rows()} & (EU_MEMBER_STATES | {"XI"}) | {
        "PT-30",
        "PT-20",
        "AT-JM",
    }
    assert areas == EU_MEMBER_STATES | {"XI", "PT-30", "PT-20", "AT-JM"}
    for area in areas:
        for category in TABLE_CATEGORIES:
            chain = chains.get((area, category)) or chains.get((parent_area(area), category))
            assert chain, (area, category)
            start = date(2021, 1, 1) if area == "XI" else date(2020, 1, 1)
            assert min(r["valid_from"] for r in chain) == start, (area, category)
            assert any(r["valid_to"] is None for r in chain), (area, category)
            days = sum(
                ((r["valid_to"] or date(2030, 1, 1)) - r["valid_from"] + timedelta(1)).days
                for r in chain
            )
            assert days == (date(2030, 1, 1) - start).days + 1, (area, category)  # no gap


def test_every_rate_area_has_rate_periods_from_2020():
    for area in EU_MEMBER_STATES | {"PT-30", "PT-20", "AT-JM"}:
        assert VatRate.objects.filter(country=area, valid_from__lte=date(2020, 1, 1)).exists()


def test_every_unverified_cell_is_listed_in_the_docs():
    docs = (ROOT / "docs" / "vat.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (\S+) \| (\w+) \| (\d{4}-\d{2}-\d{2}) \|", docs, re.MULTILINE))
    unverified = {
        (row["country"], row["category"], row["valid_from"].isoformat())
        for row in category_rate_rows()
        if row["verification"] == Verification.UNVERIFIED
    }
    assert unverified and unverified == listed
