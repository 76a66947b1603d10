"""Returns: a request (lines, reason), the goods received (back in stock or written off) and the
amount to refund. The refund itself and its credit note belong to the payments and invoices
issues; ``return_mark_refunded`` is the seam they call (see docs/orders.md)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.customers.services import customer_statistics_subtract_refund
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_return
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    ReturnLine,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
)
from apps.orders.services.common import (
    CENT,
    actor_kind_check,
    money_parse,
    order_lock,
    text_check,
)


def _return_lock(return_request: ReturnRequest) -> tuple[Order, ReturnRequest]:
    """The order, then the return, locked in that order (as every order change locks)."""
    order = order_lock(return_request.order)
    locked = ReturnRequest.objects.select_for_update().get(pk=return_request.pk)
    locked.order = order
    return order, locked


@transaction.atomic
def return_request_create(
    *,
    order: Order,
    lines: Mapping[int, int],
    reason: str,
    note: str = "",
    actor_kind: str,
) -> ReturnRequest:
    """Ask to send back shipped articles: {order line id: quantity}, at most what shipped and
    is not already in another return (rejected ones excepted)."""
    actor_kind = actor_kind_check(actor_kind)
    if reason not in ReturnReason.values:
        raise OrderError(
            OrderErrorCode.VALUE_INVALID,
            _("Unknown return reason “%(reason)s”.") % {"reason": reason},
            field="reason",
        )
    note = text_check(note, model=ReturnRequest, name="note", single_line=False)
    order = order_lock(order)
    if order.status == OrderStatus.CANCELLED:
        raise OrderError(
            OrderErrorCode.RETURN_NOT_ALLOWED,
            _("Order %(number)s was cancelled; nothing can be returned.")
            % {"number": order.number},
        )
    if not isinstance(lines, Mapping) or not lines:
        raise OrderError(
            OrderErrorCode.RETURN_LINES_INVALID,
            _("Say which articles come back, and how many."),
            field="lines",
        )
    by_id = {line.pk: line for line in OrderLine.objects.filter(order=order)}
    in_returns = dict(
        ReturnLine.objects.filter(order_line__order=order)
        .exclude(return_request__status=ReturnStatus.REJECTED)
        .values_list("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    problems = []
    for line_id, quantity in lines.items():
        line = by_id.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            problems.append(_("line %(id)s is not on this order") % {"id": line_id})
            continue
        left = line.quantity_shipped - in_returns.get(line.pk, 0)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= left:
            problems.append(
                _("%(sku)s: %(q)s to return, %(left)d shipped and not yet returned")
                % {"sku": line.sku, "q": quantity, "left": max(left, 0)}
            )
    if problems:
        raise OrderError(
            OrderErrorCode.RETURN_LINES_INVALID,
            _("This return cannot be made: %(problems)s.") % {"problems": "; ".join(problems)},
            field="lines",
        )
    request = ReturnRequest.objects.create(
        order=order, reason=reason, note=note, requested_by_kind=actor_kind
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(return_request=request, order_line=by_id[line_id], quantity=quantity)
        for line_id, quantity in lines.items()
    )
    return request


def return_refund_amount(*, return_request: ReturnRequest) -> Decimal:
    """What the shopper gets back for this return: each line's share of what was paid for it
    (its gross amount x returned / ordered, rounded half up), plus the delivery cost when the
    return completes the return of the whole order (Directive 2011/83/EU Art. 13(1): the
    standard delivery is refunded on withdrawal from the whole contract)."""
    lines = list(return_request.lines.select_related("order_line"))
    amount = sum(
        (
            (rl.order_line.gross_amount * rl.quantity / rl.order_line.quantity).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            for rl in lines
        ),
        Decimal("0.00"),
    )
    counted = return_request.status != ReturnStatus.REQUESTED  # already in quantity_returned
    this = {rl.order_line_id: (0 if counted else rl.quantity) for rl in lines}
    order_lines = OrderLine.objects.filter(order_id=return_request.order_id)
    if all(line.quantity_returned + this.get(line.pk, 0) >= line.quantity for line in order_lines):
        amount += return_request.order.shipping_gross
    return amount


@transaction.atomic
def return_receive(
    *,
    return_request: ReturnRequest,
    restock: bool,
    actor_kind: str,
    actor: User | None = None,
    location: StockLocation | None = None,
) -> ReturnRequest:
    """The goods are back: on the shelf again (``restock``: into ``location``, by default the
    first active one) or written off (damaged: no stock movement, they left with the
    shipment). The refund amount is computed and kept for the refund."""
    actor_kind_check(actor_kind)
    order, request = _return_lock(return_request)
    if request.status != ReturnStatus.REQUESTED:
        raise OrderError(
            OrderErrorCode.RETURN_STATUS_INVALID,
            _("This return was already handled (%(status)s).")
            % {"status": request.get_status_display()},
        )
    return_lines = list(request.lines.select_related("order_line__variant"))
    if restock:
        location = location or StockLocation.objects.filter(is_active=True).first()
        for rl in return_lines:
            if rl.order_line.variant is not None and location is not None:
                stock_return(
                    variant=rl.order_line.variant,
                    location=location,
                    quantity=rl.quantity,
                    reference=f"{order.number}/R{request.pk}",
                    actor=actor,
                )
    for rl in return_lines:
        OrderLine.objects.filter(pk=rl.order_line_id).update(
            quantity_returned=F("quantity_returned") + rl.quantity
        )
    request.status = ReturnStatus.RECEIVED
    request.received_at = timezone.now()
    request.restocked = bool(restock)
    request.refund_amount = return_refund_amount(return_request=request)
    request.save(update_fields=["status", "received_at", "restocked", "refund_amount"])
    return request


@transaction.atomic
def return_reject(*, return_request: ReturnRequest, note: str = "") -> ReturnRequest:
    note = text_check(note, model=ReturnRequest, name="note", single_line=False)
    _order, request = _return_lock(return_request)
    if request.status != ReturnStatus.REQUESTED:
        raise OrderError(
            OrderErrorCode.RETURN_STATUS_INVALID,
            _("This return was already handled (%(status)s).")
            % {"status": request.get_status_display()},
        )
    request.status = ReturnStatus.REJECTED
    request.note = (f"{request.note}\n{note}".strip())[:1000]
    request.save(update_fields=["status", "note"])
    return request


@transaction.atomic
def return_mark_refunded(
    *,
    return_request: ReturnRequest,
    amount: Decimal | str | None = None,
    refund_reference: str = "",
) -> ReturnRequest:
    """THE REFUND SEAM. The payments issue calls this once the provider has refunded
    (``refund_reference``: its refund id); ``amount`` defaults to the computed refund amount.
    It records the refund on the return and the order (payment status refunded or partially
    refunded) and lowers the customer's total spent, in one transaction.

    The invoices issue adds the credit note here, in the same transaction: a credit note for
    the returned lines (and the delivery, when refunded) that also reverses their VAT in the
    VAT ledger (``apps.vat.records``), so the OSS return counts the refund.
    """
    order, request = _return_lock(return_request)
    if request.status != ReturnStatus.RECEIVED:
        raise OrderError(
            OrderErrorCode.RETURN_STATUS_INVALID,
            _("Only a received return can be refunded (this one is %(status)s).")
            % {"status": request.get_status_display()},
        )
    amount = (
        request.refund_amount
        if amount is None
        else money_parse(amount, field="amount", code=OrderErrorCode.REFUND_INVALID)
    )
    left = order.total_gross - order.refunded_amount
    if amount is None or amount > left:
        raise OrderError(
            OrderErrorCode.REFUND_INVALID,
            _("At most %(left)s can still be refunded on order %(number)s.")
            % {"left": left, "number": order.number},
            field="amount",
        )
    refunded = order.refunded_amount + amount
    order.refunded_amount = refunded
    order.payment_status = (
        PaymentStatus.REFUNDED
        if refunded == order.total_gross
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    Order.objects.filter(pk=order.pk).update(
        refunded_amount=refunded, payment_status=order.payment_status, updated_at=timezone.now()
    )
    request.status = ReturnStatus.REFUNDED
    request.refund_amount = amount
    request.refund_reference = text_check(
        refund_reference, model=ReturnRequest, name="refund_reference"
    )
    request.refunded_at = timezone.now()
    request.save(update_fields=["status", "refund_amount", "refund_reference", "refunded_at"])
    if order.customer_id and amount:
        customer_statistics_subtract_refund(customer_id=order.customer_id, amount=amount)
    return request
