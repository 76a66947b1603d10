"""VAT use cases inside a merchant's schema: settings, VIES checks with evidence, quoting the VAT
of a sale, and recording a sale in the VAT ledger (which moves the OSS threshold)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.db import advisory_xact_lock, violated_constraint
from apps.core.validation import field_errors
from apps.tenancy.stores.models import Store
from apps.vat.amounts import CategoryAmounts, DocumentAmounts, PricedLine, document_amounts
from apps.vat.codes import TaxClass
from apps.vat.errors import VatError, VatErrorCode
from apps.vat.numbers import InvalidVatNumber, VatNumber, vat_number_parse
from apps.vat.rates import RateNotFound, RateTable
from apps.vat.records.models import (
    CrossBorderPrices,
    StoreVatSettings,
    VatLedgerEntry,
    VatNumberCheck,
    ViesUnavailablePolicy,
)
from apps.vat.records.selectors import (
    distance_sales_total,
    vat_number_check_latest,
    vat_settings_get,
)
from apps.vat.rules import VatCase, VatDecision, VatRuleError, vat_decide
from apps.vat.selectors import rate_table_load
from apps.vat.territories import normalise_country
from apps.vat.vies import ViesStatus, vies_check

HUNDRED = Decimal("100")
VAT_SETTINGS_FIELDS = (
    "vat_number",
    "oss_registered",
    "oss_registered_since",
    "prices_include_vat",
    "cross_border_prices",
    "vies_unavailable_policy",
)


@dataclass(frozen=True)
class Buyer:
    country: str
    postal_code: str = ""
    vat_number: str = ""
    is_business: bool = False


@dataclass(frozen=True)
class QuoteLine:
    quantity: Decimal
    unit_price: Decimal
    tax_class: str = TaxClass.STANDARD
    reference: str = ""
    # The product's own rate in some countries (country or rate area -> percent), used instead
    # of the rate table when that country's VAT applies (see VatCase.rate_overrides).
    rate_overrides: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class VatQuote:
    regime: str
    # Per tax class present in the lines without a rate override.
    decisions: dict[str, VatDecision]
    amounts: DocumentAmounts
    needs_review: bool = False
    review_reason: str = ""
    vies_check: VatNumberCheck | None = None
    eu_sales_this_year: Decimal = Decimal("0")
    notes: list[str] = field(default_factory=list)
    line_decisions: tuple[VatDecision, ...] = ()  # one per line, in the order of the lines
    # Set by vat_sale_record: the ledger entries of the sale. ``replayed``: the reference was
    # already recorded (a retry); the quote then holds what the ledger kept — the regime and the
    # amounts per category — and no decisions, lines or threshold figure.
    entries: tuple[VatLedgerEntry, ...] = ()
    replayed: bool = False
    # Whether the unit prices were taken as including VAT (the store's setting when decided):
    # an order keeps it to read its unit prices later.
    prices_include_vat: bool | None = None


def parse_vat_number(raw: str, *, field_name: str = "vat_number") -> VatNumber:
    try:
        return vat_number_parse(raw)
    except InvalidVatNumber as exc:
        raise VatError(
            VatErrorCode.VAT_NUMBER_INVALID,
            _("“%(number)s” is not a valid EU VAT number: %(reason)s")
            % {"number": raw, "reason": exc},
            field=field_name,
        ) from exc


@transaction.atomic
def vat_settings_update(*, store: Store, data: Mapping[str, Any]) -> StoreVatSettings:
    settings_row = vat_settings_get(store=store)
    changed = [name for name in VAT_SETTINGS_FIELDS if name in data]
    for name in changed:
        setattr(settings_row, name, data[name])
    if settings_row.vat_number:
        number = parse_vat_number(settings_row.vat_number)
        if number.country != store.country.code:
            raise VatError(
                VatErrorCode.VAT_NUMBER_INVALID,
                _("The store's VAT number must be from its country of establishment (%(c)s).")
                % {"c": store.country.code},
                field="vat_number",
            )
        settings_row.vat_number = str(number)
    if settings_row.oss_registered and not settings_row.vat_number:
        raise VatError(
            VatErrorCode.VAT_NUMBER_INVALID,
            _("An OSS registration needs the store's VAT number."),
            field="vat_number",
        )
    settings_row.full_clean()
    settings_row.save()
    return settings_row


def vat_number_check(*, store: Store, number: VatNumber) -> VatNumberCheck:
    """Ask VIES (at most once a day per number with a conclusive answer) and keep the evidence."""
    cached = vat_number_check_latest(vat_number=str(number), on=timezone.localdate())
    if cached is not None:
        return cached
    own = vat_settings_get(store=store).vat_number
    requester = vat_number_parse(own) if own else None
    result = vies_check(number=number, requester=requester)
    return VatNumberCheck.objects.create(
        vat_number=str(number),
        status=result.status,
        name=result.name,
        address=result.address,
        request_date=result.request_date,
        consultation_number=result.consultation_number,
        requester=str(requester) if requester else "",
        error=result.error,
        attempts=result.attempts,
        raw=result.raw,
    )


@dataclass(frozen=True)
class _BuyerNumber:
    number: VatNumber | None
    valid: bool
    check: VatNumberCheck | None
    needs_review: bool
    review_reason: str


def _buyer_number(*, store: Store, buyer: Buyer, policy: str) -> _BuyerNumber:
    if not buyer.vat_number:
        return _BuyerNumber(None, False, None, False, "")
    number = parse_vat_number(buyer.vat_number)
    if not buyer.is_business or number.country == store.country.code:
        return _BuyerNumber(number, False, None, False, "")
    check = vat_number_check(store=store, number=number)
    if check.status == ViesStatus.VALID:
        return _BuyerNumber(number, True, check, False, "")
    if check.status == ViesStatus.INVALID:
        return _BuyerNumber(number, False, check, False, "")
    # VIES could not answer: checkout goes on; the store's policy decides, a person reviews.
    exempt = policy == ViesUnavailablePolicy.EXEMPT_AND_REVIEW
    reason = _("VIES could not confirm %(number)s (%(error)s).") % {
        "number": number,
        "error": check.error or "unavailable",
    }
    return _BuyerNumber(number, exempt, check, True, reason)


def _overrides(line: QuoteLine) -> tuple[tuple[str, Decimal], ...] | None:
    """The line's overrides, normalised (country code, rate), or None when one is malformed."""
    try:
        pairs = tuple(
            sorted(
                (normalise_country(str(country)), Decimal(rate))
                for country, rate in (line.rate_overrides or {}).items()
            )
        )
    except (TypeError, ValueError, InvalidOperation, AttributeError):
        return None
    if any(not code or not rate.is_finite() or not 0 <= rate < 100 for code, rate in pairs):
        return None
    return pairs


def _validated_lines(lines: Sequence[QuoteLine]) -> list[QuoteLine]:
    if not lines:
        raise VatError(VatErrorCode.BAD_LINE, _("A sale needs at least one line."), field="lines")
    for index, line in enumerate(lines, start=1):
        try:
            bad = line.quantity <= 0 or line.unit_price < 0
        except (TypeError, InvalidOperation):
            bad = True
        if bad or line.tax_class not in TaxClass.values:
            raise VatError(
                VatErrorCode.BAD_LINE,
                _(
                    "Line %(n)d: the quantity must be positive, the price zero or more and the "
                    "tax class one of %(classes)s."
                )
                % {"n": index, "classes": ", ".join(TaxClass.values)},
                field="lines",
            )
        if _overrides(line) is None:
            raise VatError(
                VatErrorCode.BAD_LINE,
                _("Line %(n)d: a rate override maps a country code to a percentage from 0 to 100.")
                % {"n": index},
                field="lines",
            )
    return list(lines)


def _line_key(line: QuoteLine) -> tuple[str, tuple[tuple[str, Decimal], ...]]:
    return line.tax_class, _overrides(line) or ()


def _home_rate(key: tuple, *, seller: str, day: date, rates: RateTable) -> Decimal:
    overrides = dict(key[1])
    if seller in overrides:
        return overrides[seller]
    return rates.rate(country=seller, day=day, tax_class=key[0])


def _quote(
    *,
    store: Store,
    settings_row: StoreVatSettings,
    buyer: Buyer,
    buyer_number: _BuyerNumber,
    supply_date: date,
    lines: list[QuoteLine],
    rates: RateTable,
) -> VatQuote:
    seller = store.country.code
    # Lines of the same tax class and overrides share one decision.
    keys = list(dict.fromkeys(_line_key(line) for line in lines))
    try:
        # The seller's own rate of each line (VAT-inclusive prices include it): its override for
        # the seller's country, else the table's.
        home_rates = {
            key: _home_rate(key, seller=seller, day=supply_date, rates=rates) for key in keys
        }
    except RateNotFound as exc:
        raise VatError(VatErrorCode.NO_RATE, str(exc)) from exc
    inclusive = settings_row.prices_include_vat
    # This sale's net amount for the threshold, at the seller's own rates.
    amount = sum(
        (
            line.quantity * line.unit_price / (1 + home_rates[_line_key(line)] / HUNDRED)
            if inclusive
            else line.quantity * line.unit_price
            for line in lines
        ),
        Decimal("0"),
    ).quantize(Decimal("0.01"))
    this_year = distance_sales_total(year=supply_date.year)
    last_year = distance_sales_total(year=supply_date.year - 1)
    by_key: dict[tuple, VatDecision] = {}
    try:
        for key in keys:
            by_key[key] = vat_decide(
                VatCase(
                    seller_country=seller,
                    buyer_country=buyer.country,
                    postal_code=buyer.postal_code,
                    supply_date=supply_date,
                    tax_class=key[0],
                    buyer_vat_number=buyer_number.number,
                    buyer_vat_number_valid=buyer_number.valid,
                    is_business=buyer.is_business,
                    oss_registered=settings_row.oss_registered,
                    eu_sales_this_year=this_year,
                    eu_sales_last_year=last_year,
                    amount=amount,
                    rate_overrides=dict(key[1]),
                ),
                rates,
            )
    except VatRuleError as exc:
        raise VatError(VatErrorCode.SELLER_OUTSIDE_EU, str(exc)) from exc
    except RateNotFound as exc:
        raise VatError(VatErrorCode.NO_RATE, str(exc)) from exc

    keep_gross = settings_row.cross_border_prices == CrossBorderPrices.KEEP_GROSS
    line_decisions = tuple(by_key[_line_key(line)] for line in lines)
    priced = [
        PricedLine(
            quantity=line.quantity,
            unit_price=line.unit_price,
            category=decision.category,
            rate=decision.rate,
            price_includes_rate=home_rates[_line_key(line)] if inclusive else None,
            # "Keep gross prices" is for consumers taxed at destination; an exempt sale (a
            # business with a valid VAT number, an export) pays the price less the VAT in it.
            keep_gross=keep_gross and decision.is_taxed,
            reference=line.reference,
        )
        for line, decision in zip(lines, line_decisions, strict=True)
    ]
    return VatQuote(
        regime=line_decisions[0].regime,
        decisions={key[0]: decision for key, decision in by_key.items() if not key[1]},
        amounts=document_amounts(priced),
        needs_review=buyer_number.needs_review,
        review_reason=buyer_number.review_reason,
        vies_check=buyer_number.check,
        eu_sales_this_year=this_year,
        line_decisions=line_decisions,
        prices_include_vat=inclusive,
    )


def _prepared_quote(*, store: Store, buyer: Buyer, supply_date: date, lines: Sequence[QuoteLine]):
    """Validate the lines and settle the buyer's VAT number (VIES) first; return a function
    that computes the quote — to be called under the threshold lock when recording."""
    lines = _validated_lines(lines)
    settings_row = vat_settings_get(store=store)
    buyer_number = _buyer_number(
        store=store, buyer=buyer, policy=settings_row.vies_unavailable_policy
    )
    rates = rate_table_load()

    def compute() -> VatQuote:
        return _quote(
            store=store,
            settings_row=settings_row,
            buyer=buyer,
            buyer_number=buyer_number,
            supply_date=supply_date,
            lines=lines,
            rates=rates,
        )

    return compute


def vat_quote(
    *, store: Store, buyer: Buyer, supply_date: date, lines: Sequence[QuoteLine]
) -> VatQuote:
    """The VAT of a sale as it would be recorded now (a cart, a checkout page). Writes nothing
    but VIES evidence."""
    return _prepared_quote(store=store, buyer=buyer, supply_date=supply_date, lines=lines)()


def _lock_threshold() -> None:
    """Serialise sales of one merchant while the threshold is read and moved, so that two
    parallel sales cannot both be decided below a threshold that they cross together."""
    advisory_xact_lock("vat")


def _sale_reference(reference: str) -> str:
    reference = (reference or "").strip()
    problems = field_errors(VatLedgerEntry, "reference", reference)
    if not reference or problems:
        raise VatError(
            VatErrorCode.REFERENCE_INVALID,
            problems[0] if problems else _("A sale needs its reference (the order number)."),
            field="reference",
        )
    return reference


def _recorded(*, store: Store, reference: str) -> VatQuote | None:
    """The sale as the ledger holds it, if this reference was recorded already."""
    entries = tuple(
        VatLedgerEntry.objects.filter(store=store, reference=reference).order_by(
            "category", "rate", "id"
        )
    )
    if not entries:
        return None
    net = sum((entry.taxable for entry in entries), Decimal("0.00"))
    vat = sum((entry.vat for entry in entries), Decimal("0.00"))
    amounts = DocumentAmounts(
        lines=(),
        categories=tuple(CategoryAmounts(e.category, e.rate, e.taxable, e.vat) for e in entries),
        net_total=net,
        vat_total=vat,
        total=net + vat,
        payable=net + vat,
    )
    return VatQuote(
        regime=entries[0].regime, decisions={}, amounts=amounts, entries=entries, replayed=True
    )


def vat_sale_record(
    *,
    store: Store,
    reference: str | Callable[[VatQuote], str],
    buyer: Buyer,
    supply_date: date,
    lines: Sequence[QuoteLine],
) -> VatQuote:
    """Decide the VAT of a sale and write it to the ledger, in one transaction.

    Once per reference: a retried or redelivered call with a recorded reference writes nothing
    (the threshold moves once) and returns the recorded sale (``replayed``).

    ``reference`` may instead be a function of the quote, called once under the threshold lock:
    an order number allocated there, in the caller's transaction, is never held while VIES is
    asked, and numbers follow the order in which sales are recorded. Such a reference is new by
    construction: there is nothing to replay (the exclusion constraint still guards it)."""
    allocate = reference if callable(reference) else None
    if allocate is None:
        reference = _sale_reference(reference)
        recorded = _recorded(store=store, reference=reference)
        if recorded is not None:
            return recorded
    # VIES is asked before the lock: a slow answer must not hold up other sales.
    compute = _prepared_quote(store=store, buyer=buyer, supply_date=supply_date, lines=lines)
    with transaction.atomic():
        _lock_threshold()
        if allocate is None:
            # Again under the lock: a parallel call with this reference may have just recorded it.
            recorded = _recorded(store=store, reference=reference)
            if recorded is not None:
                return recorded
        quote = compute()
        if allocate is not None:
            reference = _sale_reference(allocate(quote))
        first = quote.line_decisions[0]
        recording = uuid.uuid4()
        rows = [
            VatLedgerEntry(
                store=store,
                reference=reference,
                recording=recording,
                supply_date=supply_date,
                regime=quote.regime,
                destination_country=normalise_country(buyer.country),
                vat_country=first.vat_country or "",
                category=category.category,
                rate=category.rate,
                taxable=category.taxable,
                vat=category.vat,
                counts_toward_threshold=first.counts_toward_threshold,
            )
            for category in quote.amounts.categories
        ]
        if allocate is not None:
            entries = VatLedgerEntry.objects.bulk_create(rows)
        else:
            try:
                with transaction.atomic():
                    entries = VatLedgerEntry.objects.bulk_create(rows)
            except IntegrityError as exc:
                # Only a writer that skipped the lock gets here; the database still says no.
                if violated_constraint(exc) != "vat_ledger_one_recording_per_sale":
                    raise
                return _recorded(store=store, reference=reference)
    return replace(quote, entries=tuple(entries))


def vat_sale_cancel(*, store: Store, reference: str) -> list[VatLedgerEntry]:
    """Take a sale that will not take place (an order cancelled before shipping) out of the
    threshold and the OSS return: one entry per recorded entry of ``reference``, negated, of
    the same recording and on the same supply date, so the ledger stays append-only and
    explains itself. Idempotent: a reference reversed already gets no new entry."""
    reference = _sale_reference(reference)
    with transaction.atomic():
        _lock_threshold()
        entries = list(VatLedgerEntry.objects.filter(store=store, reference=reference))
        if any(entry.taxable < 0 or entry.vat < 0 for entry in entries):
            return []  # reversed already
        entries = [entry for entry in entries if entry.taxable or entry.vat]
        return VatLedgerEntry.objects.bulk_create(
            VatLedgerEntry(
                store=store,
                reference=reference,
                recording=entry.recording,
                supply_date=entry.supply_date,
                regime=entry.regime,
                destination_country=entry.destination_country,
                vat_country=entry.vat_country,
                category=entry.category,
                rate=entry.rate,
                taxable=-entry.taxable,
                vat=-entry.vat,
                counts_toward_threshold=entry.counts_toward_threshold,
            )
            for entry in entries
        )
