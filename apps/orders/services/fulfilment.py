"""After the order is placed: status changes by hand (apps.orders.workflow says which), shipments
(partial or whole, moving the reserved stock out), delivery, cancellation (stock released, VAT
ledger entries reversed), payment received. Each is one transaction on the locked order."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.customers.services import customer_statistics_refresh
from apps.inventory.errors import InventoryError, InventoryErrorCode
from apps.inventory.services import ReserveLine, stock_fulfil_lines, stock_release
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    Shipment,
    ShipmentLine,
)
from apps.orders.services.common import (
    actor_kind_check,
    note_check,
    order_lock,
    status_record,
    text_check,
)
from apps.orders.workflow import BY_SHIPMENT, CANCELLABLE, SHIPPABLE, transition_kind
from apps.vat.records.services import vat_sale_cancel


def _status_label(status: str) -> str:
    return str(OrderStatus(status).label) if status in OrderStatus.values else status


def _transition_error(order: Order, to: str) -> OrderError:
    return OrderError(
        OrderErrorCode.TRANSITION_INVALID,
        _("Order %(number)s is %(status)s; it cannot become %(to)s.")
        % {"number": order.number, "status": _status_label(order.status), "to": _status_label(to)},
        field="status",
    )


@transaction.atomic
def order_status_change(
    *, order: Order, to: str, actor_kind: str, actor: User | None = None, note: str = ""
) -> Order:
    """Move an order along the workflow by hand (dashboard, API, Letzshop sync). Cancelling
    goes through order_cancel (stock, VAT, email); shipped and partially shipped are reached
    only through shipments."""
    actor_kind = actor_kind_check(actor_kind)
    note = note_check(note)
    if to not in OrderStatus.values:
        raise OrderError(
            OrderErrorCode.TRANSITION_INVALID,
            _("Unknown status “%(status)s”.") % {"status": to},
            field="status",
        )
    if to == OrderStatus.CANCELLED:
        return order_cancel(order=order, actor_kind=actor_kind, actor=actor, note=note)
    order = order_lock(order)
    how = transition_kind(order.status, to)
    if how is None:
        raise _transition_error(order, to)
    if how == BY_SHIPMENT:
        raise OrderError(
            OrderErrorCode.TRANSITION_INVALID,
            _("An order becomes shipped when its shipment is created, with the shipped lines."),
            field="status",
        )
    extra = {"delivered_at": timezone.now()} if to == OrderStatus.DELIVERED else {}
    status_record(order, to=to, actor_kind=actor_kind, actor=actor, note=note, extra=extra)
    return order


def order_mark_delivered(
    *, order: Order, actor_kind: str, actor: User | None = None, note: str = ""
) -> Order:
    return order_status_change(
        order=order, to=OrderStatus.DELIVERED, actor_kind=actor_kind, actor=actor, note=note
    )


@transaction.atomic
def order_cancel(
    *,
    order: Order,
    actor_kind: str,
    actor: User | None = None,
    note: str = "",
    notify: bool = True,
) -> Order:
    """Cancel an order before anything of it shipped: its reserved stock goes back, its VAT
    ledger entries are reversed (the sale does not happen), the customer's statistics forget
    it, and the shopper gets an email after commit (``notify``)."""
    actor_kind = actor_kind_check(actor_kind)
    note = note_check(note)
    order = order_lock(order)
    if order.status not in CANCELLABLE:
        raise _transition_error(order, OrderStatus.CANCELLED)
    if OrderLine.objects.filter(order=order, quantity_shipped__gt=0).exists():
        raise OrderError(
            OrderErrorCode.TRANSITION_INVALID,
            _("Order %(number)s has shipped articles; it can no longer be cancelled.")
            % {"number": order.number},
            field="status",
        )
    # The VAT lock before the stock rows, as when orders are placed (no lock cycle).
    vat_sale_cancel(store=order.store, reference=order.number)
    try:
        stock_release(reference=order.number, actor=actor)
    except InventoryError as exc:
        if exc.code != InventoryErrorCode.NOTHING_RESERVED:  # e.g. an imported order
            raise
    status_record(
        order,
        to=OrderStatus.CANCELLED,
        actor_kind=actor_kind,
        actor=actor,
        note=note,
        extra={"cancelled_at": timezone.now()},
    )
    if order.customer_id:
        customer_statistics_refresh(customer_id=order.customer_id)
    if notify:
        from apps.orders.tasks import order_cancelled_email_task

        order_id = order.pk
        transaction.on_commit(lambda: order_cancelled_email_task.delay(order_id=order_id))
    return order


def _tracking_url(value: str) -> str:
    url = text_check(
        value, model=Shipment, name="tracking_url", code=OrderErrorCode.TRACKING_URL_INVALID
    )
    if url:
        try:
            # http(s) only: the link goes into emails and pages (never javascript: or data:).
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise OrderError(
                OrderErrorCode.TRACKING_URL_INVALID,
                _("The tracking link must be an http or https address."),
                field="tracking_url",
            ) from exc
    return url


def _shipment_plan(
    order: Order, order_lines: list[OrderLine], lines: Mapping[int, int] | None
) -> list[tuple[OrderLine, int]]:
    if lines is None:
        plan = [(line, line.quantity_to_ship) for line in order_lines if line.quantity_to_ship]
        if not plan:
            raise OrderError(
                OrderErrorCode.NOT_SHIPPABLE,
                _("Everything on order %(number)s has shipped.") % {"number": order.number},
            )
        return plan
    if not isinstance(lines, Mapping) or not lines:
        raise OrderError(
            OrderErrorCode.SHIPMENT_LINES_INVALID,
            _("Say which lines ship, and how many of each."),
            field="lines",
        )
    by_id = {line.pk: line for line in order_lines}
    plan = []
    problems = []
    for line_id, quantity in lines.items():
        line = by_id.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            problems.append(_("line %(id)s is not on this order") % {"id": line_id})
        elif (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 1 <= quantity <= line.quantity_to_ship
        ):
            problems.append(
                _("%(sku)s: %(q)s to ship, %(left)d left to ship")
                % {"sku": line.sku, "q": quantity, "left": line.quantity_to_ship}
            )
        else:
            plan.append((line, quantity))
    if problems:
        raise OrderError(
            OrderErrorCode.SHIPMENT_LINES_INVALID,
            _("This shipment cannot be made: %(problems)s.") % {"problems": "; ".join(problems)},
            field="lines",
        )
    return plan


@transaction.atomic
def order_ship(
    *,
    order: Order,
    lines: Mapping[int, int] | None = None,
    carrier: str = "",
    tracking_number: str = "",
    tracking_url: str = "",
    actor_kind: str,
    actor: User | None = None,
    notify: bool = True,
) -> Shipment:
    """Ship ``lines`` ({order line id: quantity}; None: everything left to ship). Exactly those
    quantities of reserved stock leave the warehouse; the order becomes partially shipped or
    shipped; the shopper gets the tracking details after commit (``notify``)."""
    actor_kind = actor_kind_check(actor_kind)
    carrier = text_check(carrier, model=Shipment, name="carrier")
    tracking_number = text_check(tracking_number, model=Shipment, name="tracking_number")
    tracking_url = _tracking_url(tracking_url)
    order = order_lock(order)
    if order.status not in SHIPPABLE:
        raise OrderError(
            OrderErrorCode.NOT_SHIPPABLE,
            _("Order %(number)s is %(status)s; confirm it before shipping.")
            % {"number": order.number, "status": _status_label(order.status)}
            if order.status == OrderStatus.PENDING
            else _("Order %(number)s is %(status)s; it cannot ship.")
            % {"number": order.number, "status": _status_label(order.status)},
            field="status",
        )
    order_lines = list(OrderLine.objects.filter(order=order).order_by("position", "id"))
    plan = _shipment_plan(order, order_lines, lines)
    stock_lines = [ReserveLine(line.variant_id, qty) for line, qty in plan if line.variant_id]
    if stock_lines:
        try:
            stock_fulfil_lines(reference=order.number, lines=stock_lines, actor=actor)
        except InventoryError as exc:
            raise OrderError(
                OrderErrorCode.SHIPMENT_LINES_INVALID, exc.message, field="lines"
            ) from exc
    shipment = Shipment.objects.create(
        order=order,
        carrier=carrier,
        tracking_number=tracking_number,
        tracking_url=tracking_url,
        created_by=actor,
    )
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, order_line=line, quantity=qty) for line, qty in plan
    )
    for line, qty in plan:
        line.quantity_shipped += qty
    OrderLine.objects.bulk_update([line for line, _qty in plan], ["quantity_shipped"])
    done = all(line.quantity_to_ship == 0 for line in order_lines)
    to = OrderStatus.SHIPPED if done else OrderStatus.PARTIALLY_SHIPPED
    if to != order.status:
        tracking = " ".join(part for part in (carrier, tracking_number) if part)
        status_record(
            order,
            to=to,
            actor_kind=actor_kind,
            actor=actor,
            note=tracking[:500],
            extra={"shipped_at": timezone.now()} if done else {},
        )
    if notify:
        from apps.orders.tasks import order_shipped_email_task

        shipment_id = shipment.pk
        transaction.on_commit(lambda: order_shipped_email_task.delay(shipment_id=shipment_id))
    return shipment


@transaction.atomic
def order_mark_paid(*, order: Order) -> Order:
    """The payment arrived (a bank transfer seen on the account, Letzshop's payout). Card
    payments will set it through the payments service (billing issue)."""
    order = order_lock(order)
    if order.payment_status != PaymentStatus.PENDING or order.status == OrderStatus.CANCELLED:
        raise OrderError(
            OrderErrorCode.PAYMENT_STATUS_INVALID,
            _("Order %(number)s is not awaiting payment.") % {"number": order.number},
            field="payment_status",
        )
    Order.objects.filter(pk=order.pk).update(
        payment_status=PaymentStatus.PAID, updated_at=timezone.now()
    )
    order.payment_status = PaymentStatus.PAID
    return order
