"""An in-memory, effective-dated rate table. Built from the database by vat.selectors, or from
plain rows in tests; the decision engine reads it and nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.vat.codes import TaxClass


@dataclass(frozen=True)
class RatePeriod:
    country: str
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
        """The rate for a tax class, and which rate of the table it is.

        A state without the asked-for rate falls back to the next higher rate it has: a
        super-reduced product in Germany pays its reduced 7%, a parking-rate one its standard
        rate (charging too little VAT would be the merchant's loss at an audit).
        """
        if tax_class == TaxClass.ZERO:
            return Decimal("0"), "zero"
        reduced_rates = [r for r in (self.reduced, self.reduced_2) if r is not None]
        if tax_class == TaxClass.REDUCED and self.reduced is not None:
            return self.reduced, "reduced"
        if tax_class == TaxClass.SUPER_REDUCED:
            if self.super_reduced is not None:
                return self.super_reduced, "super_reduced"
            if reduced_rates:
                return min(reduced_rates), "reduced"
        if tax_class == TaxClass.PARKING and self.parking is not None:
            return self.parking, "parking"
        return self.standard, "standard"


class RateNotFound(LookupError):
    pass


class RateTable:
    def __init__(self, periods: Iterable[RatePeriod]):
        self._by_country: dict[str, list[RatePeriod]] = {}
        for period in periods:
            self._by_country.setdefault(period.country, []).append(period)
        for rows in self._by_country.values():
            rows.sort(key=lambda p: p.valid_from)

    def period(self, *, country: str, day: date) -> RatePeriod:
        for period in self._by_country.get(country, ()):
            if period.covers(day):
                return period
        raise RateNotFound(f"No VAT rates for {country} on {day.isoformat()}.")

    def rate(self, *, country: str, day: date, tax_class: str) -> Decimal:
        return self.period(country=country, day=day).rate_for(tax_class)[0]

    def countries(self) -> list[str]:
        return sorted(self._by_country)
