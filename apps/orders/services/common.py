"""What the order services share: input checks that give clear errors, amounts, the order's
status history, the order-row lock."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.validation import field_errors
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import ActorKind, Order, OrderStatus, OrderStatusChange

CENT = Decimal("0.01")
MAX_NOTE = 2000


def actor_kind_check(actor_kind: str) -> str:
    if actor_kind not in ActorKind.values:
        raise OrderError(
            OrderErrorCode.ACTOR_INVALID,
            _("Unknown actor “%(kind)s”; use one of %(kinds)s.")
            % {"kind": actor_kind, "kinds": ", ".join(ActorKind.values)},
            field="actor_kind",
        )
    return str(actor_kind)


def text_check(
    value: object,
    *,
    model: type[models.Model],
    name: str,
    field: str | None = None,
    code: str = OrderErrorCode.VALUE_INVALID,
    max_length: int | None = None,
    single_line: bool = True,
) -> str:
    """Trimmed text that fits its column; NUL characters (which PostgreSQL cannot store) and,
    for one-line values, line breaks are refused or folded."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise OrderError(code, _("The text contains a NUL character."), field=field or name)
    text = " ".join(text.split()) if single_line else text.strip()
    errors = field_errors(model, name, text)
    if max_length is not None and len(text) > max_length:
        errors.append(
            _("Ensure this value has at most %(limit)d characters (it has %(length)d).")
            % {"limit": max_length, "length": len(text)}
        )
    if errors:
        raise OrderError(code, " ".join(str(e) for e in errors), field=field or name)
    return text


def money_parse(value: object, *, field: str, code: str = OrderErrorCode.PRICE_INVALID) -> Decimal:
    """A finite amount of zero or more with at most two decimals (a str, int or Decimal)."""
    try:
        if isinstance(value, bool) or value is None:
            raise InvalidOperation
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        valid = amount.is_finite() and amount >= 0 and amount == amount.quantize(CENT)
    except (InvalidOperation, ValueError, TypeError):
        valid = False
    if not valid:
        raise OrderError(
            code,
            _("“%(value)s” is not an amount (zero or more, at most two decimals).")
            % {"value": value},
            field=field,
        )
    return amount.quantize(CENT)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (cents, zero or more) over ``weights`` in proportion, to the cent, so
    that the parts add up to it exactly (largest remainder). All-zero weights: equal parts."""
    if not weights:
        return []
    weights = [max(w, Decimal("0")) for w in weights]
    base = sum(weights, Decimal("0"))
    if base == 0:
        weights, base = [Decimal("1")] * len(weights), Decimal(len(weights))
    exact = [total * w / base for w in weights]
    parts = [e.quantize(CENT, rounding=ROUND_FLOOR) for e in exact]
    missing = int((total - sum(parts, Decimal("0"))) / CENT)
    for i in sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))[:missing]:
        parts[i] += CENT
    return parts


def order_lock(order: Order) -> Order:
    """The order, re-read under a row lock: changes to one order (ship, cancel, return) never
    interleave, and each sees what the previous one committed."""
    return Order.objects.select_for_update(of=("self",)).select_related("store").get(pk=order.pk)


def status_record(
    order: Order,
    *,
    to: str,
    actor_kind: str,
    actor: User | None,
    note: str = "",
    extra: dict | None = None,
) -> OrderStatusChange:
    """Move a locked order to ``to`` and write the history row (the caller checked the
    transition against apps.orders.workflow)."""
    change = OrderStatusChange.objects.create(
        order=order,
        from_status=order.status,
        to_status=to,
        actor_kind=actor_kind,
        actor=actor,
        note=note,
    )
    fields = {"status": to, "updated_at": timezone.now(), **(extra or {})}
    for name, value in fields.items():
        setattr(order, name, value)
    Order.objects.filter(pk=order.pk).update(**fields)
    return change


def note_check(note: str, *, max_length: int = 500) -> str:
    return text_check(
        note, model=OrderStatusChange, name="note", max_length=max_length, single_line=False
    )


__all__ = [
    "CENT",
    "MAX_NOTE",
    "OrderStatus",
    "actor_kind_check",
    "allocate",
    "money_parse",
    "note_check",
    "order_lock",
    "status_record",
    "text_check",
]
