"""Read queries on orders: the list (filters, search, sorting), one order with everything its
page shows (a fixed number of queries), a shopper's own orders, customer statistics."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.customers.models import Customer
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    ReturnLine,
    ReturnRequest,
    Shipment,
    ShipmentLine,
)
from apps.tenancy.stores.models import Store

ORDER_SORTS: dict[str, tuple] = {
    "newest": (F("created_at").desc(), F("id").desc()),
    "oldest": (F("created_at").asc(), F("id").asc()),
    "total": (F("total_gross").desc(), F("id").desc()),
    "-total": (F("total_gross").asc(), F("id").asc()),
    "number": (F("number").asc(),),
    "-number": (F("number").desc(),),
}
MAX_SEARCH = 200
# Orders a merchant still has to ship.
TO_FULFIL = (OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PROCESSING,
             OrderStatus.PARTIALLY_SHIPPED)  # fmt: skip


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _choices(values: str | Iterable[str] | None, allowed: list[str], *, field: str) -> list[str]:
    if values is None or values == "":
        return []
    chosen = [values] if isinstance(values, str) else list(values)
    unknown = [value for value in chosen if value not in allowed]
    if unknown:
        raise OrderError(
            OrderErrorCode.VALUE_INVALID,
            _("Unknown %(field)s “%(value)s”.") % {"field": field, "value": unknown[0]},
            field=field,
        )
    return chosen


def order_list(
    *,
    store: Store | None = None,
    customer: Customer | None = None,
    status: str | Iterable[str] | None = None,
    channel: str | Iterable[str] | None = None,
    payment_status: str | Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
    sort: str = "newest",
) -> QuerySet[Order]:
    """Orders of one store (or every store of the merchant), filtered. Dates are the store's
    local days, both included. ``search``: an order number or its beginning, an external
    reference, or words of the customer's name or email address."""
    from apps.orders.models import Channel, PaymentStatus

    if sort not in ORDER_SORTS:
        raise OrderError(
            OrderErrorCode.SORT_INVALID,
            _("Unknown sort “%(sort)s”; use one of %(sorts)s.")
            % {"sort": sort, "sorts": ", ".join(ORDER_SORTS)},
            field="sort",
        )
    orders = Order.objects.select_related("store", "customer")
    if store is not None:
        orders = orders.filter(store=store)
    if customer is not None:
        orders = orders.filter(customer=customer)
    if statuses := _choices(status, OrderStatus.values, field="status"):
        orders = orders.filter(status__in=statuses)
    if channels := _choices(channel, Channel.values, field="channel"):
        orders = orders.filter(channel__in=channels)
    if payments := _choices(payment_status, PaymentStatus.values, field="payment_status"):
        orders = orders.filter(payment_status__in=payments)
    if date_from is not None:
        orders = orders.filter(created_at__gte=_day_start(date_from))
    if date_to is not None:
        orders = orders.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    text = " ".join((search or "").split())[:MAX_SEARCH]
    if text:
        words = Q()
        for word in text.split(" "):
            words &= (
                Q(email__icontains=word)
                | Q(billing_name__icontains=word)
                | Q(shipping_name__icontains=word)
                | Q(billing_company__icontains=word)
            )
        orders = orders.filter(Q(number__istartswith=text) | Q(external_reference=text) | words)
    return orders.order_by(*ORDER_SORTS[sort])


def order_get(
    *, order_id: int, store: Store | None = None, customer: Customer | None = None
) -> Order | None:
    """One order, only inside the given store and/or of the given customer (a shopper's page
    passes their customer record: another shopper's order is not found)."""
    orders = Order.objects.select_related("store", "customer")
    if store is not None:
        orders = orders.filter(store=store)
    if customer is not None:
        orders = orders.filter(customer=customer)
    return orders.filter(pk=order_id).first()


def order_detail(
    *, order_id: int, store: Store | None = None, customer: Customer | None = None
) -> Order | None:
    """The order with its lines, history (with who), shipments and returns (with their lines
    and the order lines they name): seven queries whatever their number."""
    orders = Order.objects.select_related(
        "store", "customer", "placed_by", "vat_number_check"
    ).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
        Prefetch(
            "status_changes",
            queryset=OrderStatusChange.objects.select_related("actor").order_by("created_at", "id"),
        ),
        Prefetch(
            "shipments",
            queryset=Shipment.objects.prefetch_related(
                Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line"))
            ).order_by("created_at", "id"),
        ),
        Prefetch(
            "returns",
            queryset=ReturnRequest.objects.prefetch_related(
                Prefetch("lines", queryset=ReturnLine.objects.select_related("order_line"))
            ).order_by("created_at", "id"),
        ),
    )
    if store is not None:
        orders = orders.filter(store=store)
    if customer is not None:
        orders = orders.filter(customer=customer)
    return orders.filter(pk=order_id).first()


def order_statistics_for_customer(*, customer_id: int) -> dict:
    """What the customer's statistics should be: orders not cancelled, their totals less
    refunds, first and last order."""
    row = (
        Order.objects.filter(customer_id=customer_id)
        .exclude(status=OrderStatus.CANCELLED)
        .aggregate(
            orders_count=Count("id"),
            total_spent=Sum(F("total_gross") - F("refunded_amount")),
            first_order_at=Min("created_at"),
            last_order_at=Max("created_at"),
        )
    )
    row["total_spent"] = row["total_spent"] or Decimal("0.00")
    return row


def orders_to_fulfil_count(*, store: Store | None = None) -> int:
    orders = Order.objects.filter(status__in=TO_FULFIL)
    if store is not None:
        orders = orders.filter(store=store)
    return orders.count()
