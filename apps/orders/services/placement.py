"""Placing an order: one transaction that checks the lines, decides and records the VAT,
allocates the number, reserves the stock, writes the order, its lines and history, and counts
it in the customer's statistics. Bad input leaves nothing behind: no order, no reservation, no
VAT ledger entry, no number used (the counter's UPDATE is rolled back with the rest).

Locks, always in this order (so two transactions never wait for each other in a circle): the
merchant's VAT threshold lock (apps.vat.records), the store's order counter, the stock levels
(apps.inventory, in primary-key order), the customer row. VIES is asked before any of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import CharField, OuterRef
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from apps.accounts.models import Address, User
from apps.catalog.models import ProductVatRate, Variant
from apps.customers.errors import CustomerError, CustomerErrorCode
from apps.customers.models import Customer
from apps.customers.services import (
    customer_email_validate,
    customer_get_or_create_for_order,
    customer_statistics_add_order,
)
from apps.inventory.errors import InventoryError, InventoryErrorCode
from apps.inventory.selectors import stock_available
from apps.inventory.services import ReserveLine, stock_reserve
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import (
    ActorKind,
    Channel,
    Order,
    OrderCounter,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
)
from apps.orders.services.common import (
    MAX_NOTE,
    actor_kind_check,
    allocate,
    money_parse,
    text_check,
)
from apps.tenancy.models import Language
from apps.tenancy.stores.models import Store
from apps.vat.codes import EU_MEMBER_STATES
from apps.vat.errors import VatError, VatErrorCode
from apps.vat.records.services import (
    Buyer,
    QuoteLine,
    VatQuote,
    parse_vat_number,
    vat_sale_record,
)

MAX_LINES = 200
# The largest order total the money columns hold (14 digits, 2 decimals).
MAX_TOTAL = Decimal("999999999999.99")
QUANTITY_MAX = 2_147_483_647  # OrderLine.quantity: PostgreSQL integer
PAYMENT_METHOD = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
# Prices other than the catalogue's may come from where the sale was agreed (the marketplace,
# the merchant on the phone, the merchant's own integration), never from a shopper.
OWN_PRICE_CHANNELS = frozenset({Channel.LETZSHOP, Channel.MANUAL, Channel.API})


@dataclass(frozen=True)
class OrderLineInput:
    variant_id: int
    quantity: int
    # The price the shopper saw (cart, checkout page); a different catalogue price now refuses
    # the order with ``price_changed`` instead of charging what they did not see.
    expected_unit_price: Decimal | str | None = None
    # The price agreed on another channel (Letzshop, manual, API); None: the catalogue's.
    unit_price: Decimal | str | None = None


@dataclass(frozen=True)
class AddressInput:
    name: str
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    company: str = ""
    phone: str = ""
    street2: str = ""  # floor, building, c/o


def address_input_from_book(address: Address) -> AddressInput:
    """An entry of the shopper's address book as checkout gives it to ``order_place`` (the
    order copies it; later edits of the book never change the order). Its VAT number goes to
    ``BuyerInput.vat_number`` when the shopper buys as a business."""
    return AddressInput(
        name=" ".join(part for part in (address.first_name, address.last_name) if part),
        street=address.line1,
        street2=address.line2,
        postal_code=address.postal_code,
        city=address.city,
        country=str(address.country.code if address.country else ""),
        company=address.company,
        phone=address.phone,
    )


@dataclass(frozen=True)
class BuyerInput:
    email: str
    billing_address: AddressInput
    shipping_address: AddressInput | None = None  # None: delivered to the billing address
    language: str = ""  # fr, de or en; empty: the store's default language
    user: User | None = None  # a registered shopper
    first_name: str = ""  # for the customer record; empty: taken from the billing name
    last_name: str = ""
    phone: str = ""
    is_business: bool = False
    vat_number: str = ""
    marketing_consent: bool = False  # True records consent; withdrawal is a profile change


@dataclass(frozen=True)
class ShippingInput:
    method: str
    # As the store prices: with VAT when its catalogue prices include VAT. Its VAT follows the
    # goods (an ancillary cost): split over the goods' VAT rates in proportion to their value.
    amount: Decimal | str = Decimal("0.00")


@dataclass
class _Line:
    variant: Variant
    quantity: int
    unit_price: Decimal
    overrides: dict[str, Decimal] = field(default_factory=dict)


ADDRESS_PARTS = (
    "name", "company", "street", "street2", "postal_code", "city", "country", "phone",
)  # fmt: skip
REQUIRED_PARTS = ("name", "street", "city", "country")


def _address_labels() -> dict[str, str]:
    return {
        "name": _("name"),
        "company": _("company"),
        "street": _("street"),
        "street2": _("address line 2"),
        "postal_code": _("postal code"),
        "city": _("city"),
        "country": _("country"),
        "phone": _("phone"),
    }


def _address(raw: AddressInput | None, *, kind: str) -> dict[str, str]:
    """The address's parts, checked: {part: value} for the columns ``<kind>_<part>``."""
    where = _("Billing address") if kind == "billing" else _("Delivery address")
    if raw is None:
        raise OrderError(
            OrderErrorCode.ADDRESS_INVALID,
            _("%(address)s: missing.") % {"address": where},
            field=f"{kind}_address",
        )
    labels = _address_labels()
    values: dict[str, str] = {}
    for part in ADDRESS_PARTS:
        value = getattr(raw, part, "")
        if value is not None and not isinstance(value, str):
            value = str(value)
        if part == "country" and value and value.strip().upper() not in countries:
            raise OrderError(
                OrderErrorCode.COUNTRY_UNKNOWN,
                _("%(address)s: “%(country)s” is not a country code (ISO 3166, e.g. LU, DE).")
                % {"address": where, "country": value[:60]},
                field=f"{kind}_address.country",
            )
        value = text_check(
            value,
            model=Order,
            name=f"{kind}_{part}",
            field=f"{kind}_address.{part}",
            code=OrderErrorCode.ADDRESS_INVALID,
        )
        if part in REQUIRED_PARTS and not value:
            raise OrderError(
                OrderErrorCode.ADDRESS_INVALID,
                _("%(address)s: the %(part)s is missing.")
                % {"address": where, "part": labels[part]},
                field=f"{kind}_address.{part}",
            )
        values[part] = value
    country = values["country"].upper()
    values["country"] = country
    # Where in an EU state (or the UK: Northern Ireland) the goods go decides their VAT.
    if not values["postal_code"] and country in EU_MEMBER_STATES | {"GB"}:
        raise OrderError(
            OrderErrorCode.ADDRESS_INVALID,
            _("%(address)s: the %(part)s is missing.")
            % {"address": where, "part": labels["postal_code"]},
            field=f"{kind}_address.postal_code",
        )
    return values


def _lines_check(lines: Sequence[OrderLineInput], *, channel: str) -> list[OrderLineInput]:
    if not lines:
        raise OrderError(OrderErrorCode.LINES_EMPTY, _("An order needs at least one line."))
    if len(lines) > MAX_LINES:
        raise OrderError(
            OrderErrorCode.LINES_TOO_MANY,
            _("An order has at most %(max)d lines.") % {"max": MAX_LINES},
            field="lines",
        )
    seen: set[int] = set()
    for index, line in enumerate(lines, start=1):
        variant_id, quantity = line.variant_id, line.quantity
        if not isinstance(variant_id, int) or isinstance(variant_id, bool) or variant_id <= 0:
            raise OrderError(
                OrderErrorCode.VARIANT_UNAVAILABLE,
                _("Line %(n)d: no such article.") % {"n": index},
                field="lines",
            )
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 1 <= quantity <= QUANTITY_MAX
        ):
            raise OrderError(
                OrderErrorCode.QUANTITY_INVALID,
                _("Line %(n)d: the quantity must be a whole number from 1 to %(max)d, not %(q)s.")
                % {"n": index, "max": QUANTITY_MAX, "q": quantity},
                field="lines",
                details=[{"line": index, "variant_id": variant_id}],
            )
        if variant_id in seen:
            raise OrderError(
                OrderErrorCode.LINE_DUPLICATE,
                _("Line %(n)d: this article is already on the order; give its total quantity.")
                % {"n": index},
                field="lines",
                details=[{"line": index, "variant_id": variant_id}],
            )
        seen.add(variant_id)
        if line.expected_unit_price is not None:
            money_parse(line.expected_unit_price, field="lines")
        if line.unit_price is not None:
            if channel not in OWN_PRICE_CHANNELS:
                raise OrderError(
                    OrderErrorCode.PRICE_NOT_ALLOWED,
                    _("Line %(n)d: web orders are charged the catalogue price.") % {"n": index},
                    field="lines",
                )
            price = money_parse(line.unit_price, field="lines")
            if price >= Decimal("10000000000"):  # OrderLine.unit_price: 12 digits
                raise OrderError(
                    OrderErrorCode.PRICE_INVALID,
                    _("Line %(n)d: the price is too large.") % {"n": index},
                    field="lines",
                )
    return list(lines)


def _variants_load(*, store: Store, lines: Sequence[OrderLineInput]) -> dict[int, Variant]:
    """Every variant of the order in one query, with its product and the product's own VAT
    rates (an array column), whatever the number of lines."""
    own_rates = ArraySubquery(
        ProductVatRate.objects.filter(product_id=OuterRef("product_id")).values(
            pair=JSONObject(country="country", rate=Cast("rate", CharField()))
        )
    )
    variants = (
        Variant.objects.filter(store=store, pk__in=[line.variant_id for line in lines])
        .select_related("product")
        .annotate(own_rates=own_rates)
    )
    return {variant.pk: variant for variant in variants}


def _lines_resolve(*, store: Store, lines: Sequence[OrderLineInput], channel: str) -> list[_Line]:
    variants = _variants_load(store=store, lines=lines)
    unavailable = [
        line.variant_id
        for line in lines
        if line.variant_id not in variants
        or not variants[line.variant_id].is_active
        or not variants[line.variant_id].product.is_active
    ]
    if unavailable:
        names = [variants[v].sku if v in variants else f"#{v}" for v in unavailable]
        raise OrderError(
            OrderErrorCode.VARIANT_UNAVAILABLE,
            _("No longer available: %(articles)s.") % {"articles": ", ".join(names)},
            field="lines",
            details=[{"variant_id": v} for v in unavailable],
        )
    changed = []
    resolved = []
    for line in lines:
        variant = variants[line.variant_id]
        expected = line.expected_unit_price
        if expected is not None and money_parse(expected, field="lines") != variant.price:
            changed.append(
                {
                    "variant_id": variant.pk,
                    "sku": variant.sku,
                    "expected": str(money_parse(expected, field="lines")),
                    "current": str(variant.price),
                }
            )
        price = (
            variant.price
            if line.unit_price is None
            else money_parse(line.unit_price, field="lines")
        )
        overrides = {pair["country"]: Decimal(pair["rate"]) for pair in variant.own_rates or []}
        resolved.append(_Line(variant, line.quantity, price, overrides))
    if changed:
        raise OrderError(
            OrderErrorCode.PRICE_CHANGED,
            _("Prices have changed since you saw them: %(changes)s. Check the order again.")
            % {
                "changes": "; ".join(
                    _("%(sku)s was %(expected)s, now %(current)s") % change for change in changed
                )
            },
            field="lines",
            details=changed,
        )
    return resolved


def _shipping_lines(lines: Sequence[_Line], amount: Decimal) -> list[QuoteLine]:
    """Shipping as quote lines: one per VAT treatment of the goods (goods category and own
    rates), its amount split in proportion to their value, so that it bears their VAT."""
    if amount <= 0:
        return []
    groups: dict[tuple, Decimal] = {}
    for line in lines:
        key = (line.variant.product.tax_class, tuple(sorted(line.overrides.items())))
        groups[key] = groups.get(key, Decimal("0")) + line.unit_price * line.quantity
    keys = list(groups)
    return [
        QuoteLine(
            quantity=Decimal(1),
            unit_price=share,
            tax_class=key[0],
            rate_overrides=dict(key[1]),
            reference=f"shipping:{index}",
        )
        for index, (key, share) in enumerate(
            zip(keys, allocate(amount, [groups[k] for k in keys]), strict=True)
        )
    ]


def order_number_allocate(*, store: Store, year: int) -> str:
    """The store's next number for the year, in one statement. The counter row stays locked
    until the transaction ends; a rollback gives the number back (no gaps from failed orders)."""
    table = OrderCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (store_id, year, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (store_id, year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [store.pk, year],
        )
        (sequence,) = cursor.fetchone()
    return f"{store.slug.upper()}-{year}-{sequence:05d}"


def _vat_error(exc: VatError) -> OrderError:
    if exc.code == VatErrorCode.VAT_NUMBER_INVALID:
        return OrderError(OrderErrorCode.VAT_NUMBER_INVALID, exc.message, field="vat_number")
    return OrderError(OrderErrorCode.VAT_UNDECIDABLE, exc.message)


def _stock_error(exc: InventoryError, lines: Sequence[_Line]) -> OrderError:
    if exc.code != InventoryErrorCode.INSUFFICIENT_STOCK:
        return OrderError(OrderErrorCode.QUANTITY_INVALID, exc.message, field="lines")
    # The reservation rolled back to its savepoint; say which articles are short, and by how
    # much (error path only: one query per line).
    short = []
    for line in lines:
        available = stock_available(variant=line.variant)
        if available < line.quantity:
            short.append(
                {
                    "variant_id": line.variant.pk,
                    "sku": line.variant.sku,
                    "wanted": line.quantity,
                    "available": max(available, 0),
                }
            )
    skus = ", ".join(item["sku"] for item in short) or exc.message
    return OrderError(
        OrderErrorCode.OUT_OF_STOCK,
        _("Out of stock: %(skus)s.") % {"skus": skus},
        field="lines",
        details=short,
    )


def _customer_error(exc: CustomerError) -> OrderError:
    code = (
        OrderErrorCode.EMAIL_INVALID
        if exc.code == CustomerErrorCode.EMAIL_INVALID
        else OrderErrorCode.VALUE_INVALID
    )
    return OrderError(code, exc.message, field=exc.field)


def _names(buyer: BuyerInput, billing_name: str) -> tuple[str, str]:
    if buyer.first_name or buyer.last_name:
        return buyer.first_name, buyer.last_name
    first, _sep, last = billing_name.partition(" ")
    return first, last


def _snapshot_lines(
    *, order: Order, lines: Sequence[_Line], quote: VatQuote, language: str
) -> tuple[list[OrderLine], dict]:
    """Order lines with their VAT, and the shipping amounts. Each category's VAT (what is owed,
    computed on the category's total) is shared over its lines and the shipping in proportion
    to their net amounts, so line VAT and shipping VAT add up to the order's VAT exactly."""
    amounts = quote.amounts
    by_category: dict[tuple, list[int]] = {}
    for index, line_amounts in enumerate(amounts.lines):
        by_category.setdefault((line_amounts.category, line_amounts.rate), []).append(index)
    vat_shares = [Decimal("0.00")] * len(amounts.lines)
    for category in amounts.categories:
        indexes = by_category.get((category.category, category.rate), [])
        shares = allocate(category.vat, [amounts.lines[i].net for i in indexes])
        for index, share in zip(indexes, shares, strict=True):
            vat_shares[index] = share
    rows = []
    with translation.override(language):
        for position, (line, line_amounts, decision) in enumerate(
            zip(lines, amounts.lines, quote.line_decisions, strict=False)
        ):
            variant = line.variant
            options = ", ".join(f"{k}: {v}" for k, v in (variant.options or {}).items())
            vat = vat_shares[position]
            rows.append(
                OrderLine(
                    order=order,
                    position=position,
                    variant=variant,
                    sku=variant.sku,
                    gtin=variant.gtin,
                    product_name=str(variant.product.name)[:200],
                    options_text=options[:300],
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                    tax_class=variant.product.tax_class,
                    vat_category=decision.category,
                    vat_rate=decision.rate,
                    net_amount=line_amounts.net,
                    vat_amount=vat,
                    gross_amount=line_amounts.net + vat,
                )
            )
    shipping_indexes = range(len(lines), len(amounts.lines))
    shipping_net = sum((amounts.lines[i].net for i in shipping_indexes), Decimal("0.00"))
    shipping_vat = sum((vat_shares[i] for i in shipping_indexes), Decimal("0.00"))
    return rows, {
        "shipping_net": shipping_net,
        "shipping_vat": shipping_vat,
        "shipping_gross": shipping_net + shipping_vat,
    }


def _vat_fields(quote: VatQuote) -> dict:
    first = quote.line_decisions[0]
    categories = {decision.category for decision in quote.line_decisions}
    return {
        "vat_regime": quote.regime,
        "vat_country": first.vat_country or "",
        "vat_rate_area": first.rate_area or "",
        "vat_category": first.category if len(categories) == 1 else "",
        "vat_exemption_code": first.exemption_reason_code or "",
        "vat_mention": dict(first.mention or {}),
        "vat_breakdown": [
            {
                "category": c.category,
                "rate": str(c.rate),
                "taxable": str(c.taxable),
                "vat": str(c.vat),
            }
            for c in quote.amounts.categories
        ],
        "vat_needs_review": quote.needs_review,
        "vat_review_reason": (quote.review_reason or "")[:300],
        "vat_number_check": quote.vies_check,
        "total_net": quote.amounts.net_total,
        "total_vat": quote.amounts.vat_total,
        "rounding_amount": quote.amounts.rounding,
        "total_gross": quote.amounts.payable,
    }


def order_place(
    *,
    store: Store,
    channel: str,
    lines: Sequence[OrderLineInput],
    buyer: BuyerInput,
    actor_kind: str,
    actor: User | None = None,
    shipping: ShippingInput | None = None,
    payment_method: str = "",
    customer_note: str = "",
    internal_note: str = "",
    external_reference: str = "",
    expected_total: Decimal | str | None = None,
) -> Order:
    """Place an order (web checkout, manual entry, API, Letzshop import), all or nothing.

    ``expected_total``: the total the shopper confirmed on the review page; a different total
    now (VAT decided otherwise, shipping changed) refuses the order with ``total_changed``.
    The confirmation email goes out after commit. Clearing a cart is the caller's (the cart
    lives in the shopper's session).
    """
    # 1. Everything that needs no lock: input, variants, prices.
    if channel not in Channel.values:
        raise OrderError(
            OrderErrorCode.CHANNEL_INVALID,
            _("Unknown channel “%(channel)s”.") % {"channel": channel},
            field="channel",
        )
    actor_kind = actor_kind_check(actor_kind)
    if not store.is_active:
        raise OrderError(OrderErrorCode.STORE_INACTIVE, _("This store is closed."))
    lines = _lines_check(lines, channel=channel)
    try:
        email = customer_email_validate(email=buyer.email)
    except CustomerError as exc:
        raise _customer_error(exc) from exc
    # The shopper's choice at checkout, else their account's language, else the store's.
    account_language = buyer.user.language if buyer.user is not None else ""
    language = (
        buyer.language
        or (account_language if account_language in Language.values else "")
        or store.default_language
    )
    if language not in Language.values:
        raise OrderError(
            OrderErrorCode.LANGUAGE_INVALID,
            _("Unknown language “%(language)s”.") % {"language": language},
            field="language",
        )
    billing = _address(buyer.billing_address, kind="billing")
    delivery = _address(buyer.shipping_address or buyer.billing_address, kind="shipping")
    shipping = shipping or ShippingInput(method="", amount=Decimal("0.00"))
    shipping_method = text_check(
        shipping.method, model=Order, name="shipping_method", code=OrderErrorCode.SHIPPING_INVALID
    )
    shipping_amount = money_parse(
        shipping.amount, field="shipping.amount", code=OrderErrorCode.SHIPPING_INVALID
    )
    payment_method = (payment_method or "").strip()
    if payment_method and not PAYMENT_METHOD.match(payment_method):
        raise OrderError(
            OrderErrorCode.PAYMENT_METHOD_INVALID,
            _("“%(method)s” is not a payment method code.") % {"method": payment_method[:60]},
            field="payment_method",
        )
    notes = {
        "customer_note": text_check(
            customer_note, model=Order, name="customer_note", max_length=MAX_NOTE,
            single_line=False,
        ),
        "internal_note": text_check(
            internal_note, model=Order, name="internal_note", max_length=MAX_NOTE,
            single_line=False,
        ),
        "external_reference": text_check(
            external_reference, model=Order, name="external_reference"
        ),
    }  # fmt: skip
    if expected_total is not None:
        expected_total = money_parse(expected_total, field="expected_total")
    vat_number = " ".join(str(buyer.vat_number or "").split())
    if vat_number:
        try:
            vat_number = str(parse_vat_number(vat_number))
        except VatError as exc:
            raise _vat_error(exc) from exc
    # The customer record's fields, checked before any lock is taken.
    first_name, last_name = _names(buyer, billing["name"])
    profile = {
        name: text_check(value, model=Customer, name=name, field=name)
        for name, value in (
            ("first_name", first_name[:100]),
            ("last_name", last_name[:100]),
            ("phone", buyer.phone or billing["phone"]),
        )
    }
    resolved = _lines_resolve(store=store, lines=lines, channel=channel)
    # The largest total these amounts can make (VAT below 100%) must fit the money columns.
    bound = sum((line.unit_price * line.quantity for line in resolved), shipping_amount)
    if bound * 2 > MAX_TOTAL:
        raise OrderError(
            OrderErrorCode.AMOUNT_TOO_LARGE,
            _("The order's total is too large; order fewer articles."),
            field="lines",
        )

    supply_date: date = timezone.localdate()
    quote_lines = [
        QuoteLine(
            quantity=Decimal(line.quantity),
            unit_price=line.unit_price,
            tax_class=line.variant.product.tax_class,
            rate_overrides=line.overrides,
            reference=str(index),
        )
        for index, line in enumerate(resolved)
    ] + _shipping_lines(resolved, shipping_amount)

    with transaction.atomic():
        numbers: list[str] = []

        def number_for(quote: VatQuote) -> str:
            # Under the VAT lock: numbers follow the ledger, and stay unused if anything fails.
            if expected_total is not None and quote.amounts.payable != expected_total:
                raise OrderError(
                    OrderErrorCode.TOTAL_CHANGED,
                    _("The total is now %(total)s instead of %(expected)s. Check the order again.")
                    % {"total": quote.amounts.payable, "expected": expected_total},
                    details=[
                        {"expected": str(expected_total), "total": str(quote.amounts.payable)}
                    ],
                )
            numbers.append(order_number_allocate(store=store, year=supply_date.year))
            return numbers[0]

        # 2. VAT: VIES first (no lock), then the merchant's threshold lock, the decision, the
        #    order number and the ledger entries.
        try:
            quote = vat_sale_record(
                store=store,
                reference=number_for,
                buyer=Buyer(
                    country=delivery["country"],
                    postal_code=delivery["postal_code"],
                    vat_number=vat_number,
                    is_business=bool(buyer.is_business),
                ),
                supply_date=supply_date,
                lines=quote_lines,
            )
        except VatError as exc:
            raise _vat_error(exc) from exc
        number = numbers[0]

        # 3. Stock: every line or none (rows locked in primary-key order, one query).
        try:
            stock_reserve(
                lines=[ReserveLine(line.variant.pk, line.quantity) for line in resolved],
                reference=number,
                actor=actor,
            )
        except InventoryError as exc:
            raise _stock_error(exc, resolved) from exc

        # 4. The customer (found or created, race-safe) and the order itself.
        try:
            customer, _created = customer_get_or_create_for_order(
                store=store,
                email=email,
                user=buyer.user,
                **profile,
                language=language,
                marketing_consent=bool(buyer.marketing_consent),
            )
        except CustomerError as exc:
            raise _customer_error(exc) from exc

        order = Order(
            store=store,
            number=number,
            channel=channel,
            status=OrderStatus.PENDING,
            payment_method=payment_method,
            customer=customer,
            email=email,
            language=language,
            placed_by=actor if actor_kind == ActorKind.STAFF else None,
            **{f"billing_{part}": value for part, value in billing.items()},
            billing_vat_number=vat_number,
            **{f"shipping_{part}": value for part, value in delivery.items()},
            buyer_is_business=bool(buyer.is_business),
            supply_date=supply_date,
            prices_include_vat=bool(quote.prices_include_vat),
            shipping_method=shipping_method,
            shipping_amount=shipping_amount,
            currency=store.currency,
            **_vat_fields(quote),
            **notes,
        )
        order_lines, shipping_amounts = _snapshot_lines(
            order=order, lines=resolved, quote=quote, language=language
        )
        for name, value in shipping_amounts.items():
            setattr(order, name, value)
        order.save(force_insert=True)
        OrderLine.objects.bulk_create(order_lines)
        OrderStatusChange.objects.create(
            order=order, from_status="", to_status=OrderStatus.PENDING,
            actor_kind=actor_kind, actor=actor,
        )  # fmt: skip
        customer_statistics_add_order(
            customer_id=customer.pk, total=order.total_gross, placed_at=order.created_at
        )

        from apps.orders.tasks import order_confirmation_email_task

        order_id = order.pk
        transaction.on_commit(lambda: order_confirmation_email_task.delay(order_id=order_id))
    return order


__all__ = [
    "AddressInput",
    "BuyerInput",
    "OrderLineInput",
    "ShippingInput",
    "order_number_allocate",
    "order_place",
]
