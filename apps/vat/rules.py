"""The VAT regime of one supply of goods by an EU-established seller: one pure function.

``vat_decide`` reads only its arguments (the case and a rate table): no database, no clock, no
network, so every decision can be replayed and explained. The rules and their legal basis are in
docs/vat.md (from ../shared/reference/regime_rules.md, section 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from apps.vat.codes import (
    DISTANCE_SALES_THRESHOLD,
    EU_MEMBER_STATES,
    Category,
    ExemptionCode,
    Regime,
    TaxClass,
)
from apps.vat.numbers import VatNumber
from apps.vat.rates import RateTable
from apps.vat.territories import Territory, normalise_country, territory_of

THRESHOLD = Decimal(DISTANCE_SALES_THRESHOLD)
CENT = Decimal("0.01")

# Legal mentions printed on the invoice, in the three languages of Orion's documents. They name
# the Directive article (Art. 226(11)); wording per ../shared/reference/invoice_mentions.md.
MENTIONS = {
    Regime.INTRA_COMMUNITY: {
        "en": "Exempt intra-Community supply of goods – Article 138(1) of Directive "
        "2006/112/EC. Reverse charge: the customer accounts for the VAT.",
        "fr": "Livraison intracommunautaire exonérée – article 138, paragraphe 1, de la "
        "directive 2006/112/CE. Autoliquidation par le preneur.",
        "de": "Steuerfreie innergemeinschaftliche Lieferung – Artikel 138 Absatz 1 der "
        "Richtlinie 2006/112/EG. Steuerschuldnerschaft des Leistungsempfängers.",
    },
    Regime.EXPORT: {
        "en": "VAT exempt export – Article 146(1)(a) of Directive 2006/112/EC.",
        "fr": "Exportation exonérée de TVA – article 146, paragraphe 1, point a), de la "
        "directive 2006/112/CE.",
        "de": "Steuerfreie Ausfuhrlieferung – Artikel 146 Absatz 1 Buchstabe a der "
        "Richtlinie 2006/112/EG.",
    },
}


class VatRuleError(ValueError):
    """The case cannot be decided (e.g. the seller is not established in the EU)."""


@dataclass(frozen=True)
class VatCase:
    seller_country: str
    buyer_country: str
    supply_date: date
    tax_class: str = TaxClass.STANDARD
    postal_code: str = ""
    buyer_vat_number: VatNumber | None = None
    # True when the buyer's number may be relied on (VIES said valid, or the caller accepts
    # a format check); a number that is not valid never earns the exemption.
    buyer_vat_number_valid: bool = False
    is_business: bool = False
    oss_registered: bool = False
    # Cross-border B2C EU sales, net of VAT, in EUR: this calendar year before this sale, and
    # the whole previous year. ``amount`` is this sale's net amount.
    eu_sales_this_year: Decimal = Decimal("0")
    eu_sales_last_year: Decimal = Decimal("0")
    amount: Decimal = Decimal("0")
    # The merchant's rate for this product in some countries (country or rate area -> percent),
    # used instead of the table when that country's VAT applies: the rate area's entry first
    # (PT-30), then the VAT country's (PT, which then covers Madeira and the Azores too).
    rate_overrides: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class VatDecision:
    regime: str
    vat_country: str | None
    rate: Decimal
    category: str
    exemption_reason_code: str | None
    mention: dict[str, str] | None
    reasons: tuple[str, ...] = field(default=())
    # Whose rates were applied when not the VAT country's own (PT-30 Madeira, AT-JM).
    rate_area: str | None = None

    @property
    def is_taxed(self) -> bool:
        return self.category in (Category.STANDARD, Category.ZERO)

    @property
    def counts_toward_threshold(self) -> bool:
        """Intra-EU B2C distance sales count toward the EUR 10,000 threshold (Art. 59c)."""
        return self.regime in (Regime.ORIGIN, Regime.OSS)

    def as_dict(self) -> dict:
        return {
            "regime": self.regime,
            "vat_country": self.vat_country,
            "rate_area": self.rate_area,
            "rate": f"{self.rate.quantize(CENT)}",
            "category": self.category,
            "exemption_reason_code": self.exemption_reason_code,
            "mention": self.mention,
            "reasons": list(self.reasons),
        }


def _override(case: VatCase, *keys: str | None) -> tuple[str, Decimal] | None:
    """The first of ``keys`` the case has an override for, and its rate."""
    overrides = {normalise_country(k): v for k, v in (case.rate_overrides or {}).items()}
    for key in keys:
        if key and key in overrides:
            try:
                rate = Decimal(overrides[key])
                valid = rate.is_finite() and 0 <= rate < 100
            except (InvalidOperation, TypeError, ValueError):
                valid = False
            if not valid:
                raise VatRuleError(
                    f"The rate override for {key} must be a percentage from 0 to 100."
                )
            return key, rate
    return None


def _taxed(
    regime: str,
    country: str,
    case: VatCase,
    rates: RateTable,
    reasons: list[str],
    territory: Territory | None = None,
) -> VatDecision:
    area = territory.rate_area if territory is not None else None
    if area:
        reasons.append(
            f"Delivery to {territory.name}: rates of the rate area {area} ({country} VAT)."
        )
    day = case.supply_date.isoformat()
    override = _override(case, area, country)
    if override is not None:
        key, rate = override
        reasons.append(f"{key} {case.tax_class}: this product's override: {rate}%")
    else:
        resolved = rates.resolve(
            country=area or country, day=case.supply_date, tax_class=case.tax_class
        )
        rate = resolved.rate
        reasons.append(f"{area or country} {case.tax_class} ({resolved.source}) on {day}: {rate}%")
    category = Category.STANDARD if rate > 0 else Category.ZERO
    return VatDecision(
        regime=str(regime),
        vat_country=country,
        rate=rate,
        category=str(category),
        exemption_reason_code=None,
        mention=None,
        reasons=tuple(reasons),
        rate_area=area,
    )


def vat_decide(case: VatCase, rates: RateTable) -> VatDecision:
    seller = normalise_country(case.seller_country)
    if seller not in EU_MEMBER_STATES:
        raise VatRuleError(f"The seller must be established in an EU member state, not {seller!r}.")
    territory = territory_of(country=case.buyer_country, postal_code=case.postal_code)
    reasons: list[str] = []

    if not territory.in_eu_vat_area:
        where = territory.name or territory.country
        reasons.append(f"Delivery to {where}: outside the EU VAT area (Art. 146).")
        return VatDecision(
            regime=str(Regime.EXPORT),
            vat_country=None,
            rate=Decimal("0"),
            category=str(Category.EXPORT),
            exemption_reason_code=str(ExemptionCode.EXPORT),
            mention=MENTIONS[Regime.EXPORT],
            reasons=tuple(reasons),
        )

    destination = territory.vat_country
    if destination == seller:
        reasons.append(f"Seller and delivery both in {seller}: domestic supply.")
        return _taxed(Regime.DOMESTIC, seller, case, rates, reasons)

    number = case.buyer_vat_number
    if case.is_business and number is not None:
        if number.country == seller:
            reasons.append(
                f"Buyer's VAT number {number} is from {seller}, the dispatch state: "
                "no intra-Community exemption."
            )
        elif not case.buyer_vat_number_valid:
            reasons.append(f"Buyer's VAT number {number} is not confirmed valid: VAT charged.")
        else:
            reasons.append(
                f"Business buyer with valid VAT number {number}, goods to {destination}: "
                "exempt intra-Community supply (Art. 138)."
            )
            return VatDecision(
                regime=str(Regime.INTRA_COMMUNITY),
                vat_country=destination,
                rate=Decimal("0"),
                category=str(Category.INTRA_COMMUNITY),
                exemption_reason_code=str(ExemptionCode.INTRA_COMMUNITY),
                mention=MENTIONS[Regime.INTRA_COMMUNITY],
                reasons=tuple(reasons),
            )

    total = case.eu_sales_this_year + case.amount
    if case.oss_registered:
        reasons.append("Seller registered for the OSS: destination VAT (Art. 33(a), 59c(3)).")
    elif case.eu_sales_last_year > THRESHOLD:
        reasons.append(
            f"EU distance sales last year {case.eu_sales_last_year} > {THRESHOLD}: "
            "destination VAT all this year (Art. 59c)."
        )
    elif total > THRESHOLD:
        reasons.append(
            f"EU distance sales this year {total} (with this sale) > {THRESHOLD}: "
            "destination VAT from this sale on (Art. 59c(2))."
        )
    else:
        reasons.append(
            f"EU distance sales this year {total} (with this sale) <= {THRESHOLD}: "
            f"VAT of the seller's state {seller} (Art. 59c)."
        )
        return _taxed(Regime.ORIGIN, seller, case, rates, reasons)
    # Taxed where the transport ends (Art. 33): the delivery address's rate area applies. A
    # domestic or origin sale is taxed where it begins (Art. 32), at the seller's own rates.
    return _taxed(Regime.OSS, destination, case, rates, reasons, territory)
