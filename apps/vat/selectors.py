"""Read queries of the VAT app."""

from __future__ import annotations

from apps.vat.models import VatCategoryRate, VatRate
from apps.vat.rates import CategoryPeriod, RatePeriod, RateTable


def rate_table_load() -> RateTable:
    """The whole rate table (a few hundred rows) as the decision engine reads it."""
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
