"""The rate table in the platform console: listed, edited as periods, overlaps refused."""

import pytest
from django.core.management import call_command

from apps.vat.codes import EU_MEMBER_STATES
from apps.vat.models import VatRate

pytestmark = pytest.mark.django_db


def test_every_member_state_xi_and_rate_area_is_seeded_with_an_open_period():
    open_periods = set(
        VatRate.objects.filter(valid_to__isnull=True).values_list("country", flat=True)
    )
    assert open_periods == EU_MEMBER_STATES | {"XI", "PT-30", "PT-20", "AT-JM"}


def test_sync_is_idempotent(capsys):
    before = VatRate.objects.count()
    call_command("vat_rates_sync")
    assert VatRate.objects.count() == before
    assert "0 created" in capsys.readouterr().out


def test_console_lists_rates_by_country(console):
    page = console.get("/admin/vat/vatrate/?country=LU")
    assert page.status_code == 200
    assert "2023-01-01" in page.content.decode() or "Jan. 1, 2023" in page.content.decode()


def test_console_refuses_an_overlapping_period(console):
    response = console.post(
        "/admin/vat/vatrate/add/",
        {"country": "LU", "valid_from": "2026-06-01", "valid_to": "", "standard": "18.00"},
    )
    assert response.status_code == 200
    assert "overlaps" in response.content.decode()
    assert not VatRate.objects.filter(country="LU", valid_from="2026-06-01").exists()


def test_console_records_a_rate_change_as_a_new_period(console):
    current = VatRate.objects.get(country="LU", valid_to__isnull=True)
    change = console.post(
        f"/admin/vat/vatrate/{current.pk}/change/",
        {
            "country": "LU",
            "valid_from": current.valid_from.isoformat(),
            "valid_to": "2027-12-31",
            "standard": "17.00",
            "reduced": "8.00",
            "super_reduced": "3.00",
            "parking": "14.00",
        },
    )
    assert change.status_code == 302
    added = console.post(
        "/admin/vat/vatrate/add/",
        {"country": "LU", "valid_from": "2028-01-01", "standard": "18.00", "reduced": "8.00"},
    )
    assert added.status_code == 302
    from datetime import date

    from apps.vat.selectors import rate_table_load

    table = rate_table_load()
    assert table.rate(country="LU", day=date(2027, 12, 31), tax_class="standard") == 17
    assert table.rate(country="LU", day=date(2028, 1, 1), tax_class="standard") == 18
