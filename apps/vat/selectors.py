"""Read queries of the VAT app."""

from __future__ import annotations

from django.db import connection

from apps.vat.models import VatCategoryRate, VatRate
from apps.vat.rates import CategoryPeriod, RatePeriod, RateTable

# The last table built in this process, with the version it was built from: every order quotes
# VAT, and rebuilding a few hundred rows each time cost more than the rest of the quote.
_BUILT: tuple[tuple, RateTable] | None = None


def _rate_table_version() -> tuple:
    """Changes whenever a period is added, edited (updated_at) or deleted (count): one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), max(updated_at) FROM {VatRate._meta.db_table} "
            f"UNION ALL SELECT count(*), max(updated_at) FROM {VatCategoryRate._meta.db_table}"
        )
        return tuple(cursor.fetchall())


def rate_table_load() -> RateTable:
    """The whole rate table (a few hundred rows) as the decision engine reads it; built again
    only when the periods changed since this process last built it."""
    global _BUILT
    version = _rate_table_version()
    if _BUILT is not None and _BUILT[0] == version:
        return _BUILT[1]
    table = _rate_table_build()
    _BUILT = (version, table)
    return table


def _rate_table_build() -> RateTable:
    return RateTable(
        (
            RatePeriod(
                country=row.country,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                standard=row.standard,
                reduced=row.reduced,
                reduced_2=row.reduced_2,
                super_reduced=row.super_reduced,
                parking=row.parking,
            )
            for row in VatRate.objects.all()
        ),
        (
            CategoryPeriod(
                country=row.country,
                category=row.category,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                rate=row.rate,
            )
            for row in VatCategoryRate.objects.all()
        ),
    )
