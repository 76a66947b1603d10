"""An in-memory, effective-dated rate table. Built from the database by vat.selectors, or from
plain rows in tests; the decision engine reads it and nothing else.

Two kinds of rows: ``RatePeriod`` gives the rates of a rate area (standard, reduced...) for a
period, ``CategoryPeriod`` the rate of one goods category in one rate area for a period. A rate
area is a member state (``FR``), Northern Ireland (``XI``) or a region of a state with rates of
its own (``PT-30`` Madeira, ``PT-20`` the Azores, ``AT-JM`` Jungholz and Mittelberg).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.vat.codes import GOODS_CATEGORIES, TaxClass

ZERO = Decimal("0")


def parent_area(area: str) -> str | None:
    """The member state of a regional rate area (``PT-30`` -> ``PT``), None for a state."""
    return area.split("-", 1)[0] if "-" in area else None


@dataclass(frozen=True)
class RatePeriod:
    country: str  # the rate area
    valid_from: date
    valid_to: date | None
    standard: Decimal
    reduced: Decimal | None = None
    reduced_2: Decimal | None = None
    super_reduced: Decimal | None = None
    parking: Decimal | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def rate_for(self, tax_class: str) -> tuple[Decimal, str]:
        """The rate for a rate kind (or ``standard``), and which rate of the table it is.

        A state without the asked-for rate falls back to the next higher rate it has: a
        super-reduced product in Germany pays its reduced 7%, a parking-rate one its standard
        rate (charging too little VAT would be the merchant's loss at an audit). Goods
        categories need the category table: ask ``RateTable.resolve``.
        """
        if tax_class == TaxClass.ZERO:
            return ZERO, "zero"
        if tax_class in GOODS_CATEGORIES and tax_class != TaxClass.STANDARD:
            raise ValueError(f"{tax_class!r} is a goods category: use RateTable.resolve().")
        reduced_rates = [r for r in (self.reduced, self.reduced_2) if r is not None]
        if tax_class == TaxClass.REDUCED and self.reduced is not None:
            return self.reduced, "reduced"
        if tax_class == TaxClass.REDUCED_2:
            if self.reduced_2 is not None:
                return self.reduced_2, "reduced_2"
            if self.reduced is not None:
                return self.reduced, "reduced"
        if tax_class == TaxClass.SUPER_REDUCED:
            if self.super_reduced is not None:
                return self.super_reduced, "super_reduced"
            if reduced_rates:
                return min(reduced_rates), "reduced"
        if tax_class == TaxClass.PARKING and self.parking is not None:
            return self.parking, "parking"
        return self.standard, "standard"


@dataclass(frozen=True)
class CategoryPeriod:
    country: str  # the rate area
    category: str
    valid_from: date
    valid_to: date | None
    rate: Decimal | None  # None: the standard rate of the area on that day

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class ResolvedRate:
    rate: Decimal
    source: str  # which rate it is, for the decision's reasons ("books rate", "reduced"...)


class RateNotFound(LookupError):
    pass


class RateTable:
    def __init__(
        self, periods: Iterable[RatePeriod], category_periods: Iterable[CategoryPeriod] = ()
    ):
        self._by_country: dict[str, list[RatePeriod]] = {}
        for period in periods:
            self._by_country.setdefault(period.country, []).append(period)
        for rows in self._by_country.values():
            rows.sort(key=lambda p: p.valid_from)
        self._by_category: dict[tuple[str, str], list[CategoryPeriod]] = {}
        for row in category_periods:
            self._by_category.setdefault((row.country, row.category), []).append(row)
        for rows in self._by_category.values():
            rows.sort(key=lambda p: p.valid_from)

    def period(self, *, country: str, day: date) -> RatePeriod:
        for period in self._by_country.get(country, ()):
            if period.covers(day):
                return period
        raise RateNotFound(f"No VAT rates for {country} on {day.isoformat()}.")

    def _category_rows(self, *, country: str, category: str) -> list[CategoryPeriod]:
        # A regional area lists only the categories whose rate differs from its state's; the
        # others take the state's row, and a row "at the standard rate" then means the area's
        # standard rate (Jungholz: 19%, not Austria's 20%).
        rows = self._by_category.get((country, category))
        if rows is None and (parent := parent_area(country)) is not None:
            rows = self._by_category.get((parent, category))
        return rows or []

    def resolve(self, *, country: str, day: date, tax_class: str) -> ResolvedRate:
        """The rate of a goods category or rate kind in a rate area on a day."""
        if tax_class == TaxClass.ZERO_RATED:
            return ResolvedRate(ZERO, "zero-rated goods")
        period = self.period(country=country, day=day)
        if tax_class not in GOODS_CATEGORIES or tax_class == TaxClass.STANDARD:
            rate, kind = period.rate_for(tax_class)
            return ResolvedRate(rate, kind)
        for row in self._category_rows(country=country, category=tax_class):
            if row.covers(day):
                if row.rate is None:
                    return ResolvedRate(period.standard, f"standard rate for {tax_class}")
                return ResolvedRate(row.rate, f"{tax_class} rate")
        raise RateNotFound(f"No VAT rate for {tax_class} in {country} on {day.isoformat()}.")

    def rate(self, *, country: str, day: date, tax_class: str) -> Decimal:
        return self.resolve(country=country, day=day, tax_class=tax_class).rate

    def countries(self) -> list[str]:
        return sorted(self._by_country)
