"""The rate table is built once per process and again only after a period changes."""

from datetime import date
from decimal import Decimal

import pytest

from apps.vat.models import VatRate
from apps.vat.selectors import rate_table_load

pytestmark = pytest.mark.django_db


def test_an_unchanged_table_is_reused_with_one_query(django_assert_num_queries):
    first = rate_table_load()
    with django_assert_num_queries(1):
        assert rate_table_load() is first


def test_an_edited_added_or_deleted_period_is_seen_at_once():
    day = date(2026, 11, 23)
    assert rate_table_load().rate(country="LU", day=day, tax_class="standard") == Decimal("17")
    period = VatRate.objects.get(country="LU", valid_to__isnull=True)
    period.standard = Decimal("18")
    period.save()
    assert rate_table_load().rate(country="LU", day=day, tax_class="standard") == Decimal("18")
    period.delete()
    with pytest.raises(LookupError):
        rate_table_load().rate(country="LU", day=day, tax_class="standard")
