"""The order status workflow: the one table of legal transitions.

    pending -> confirmed -> processing -> partially_shipped -> shipped -> delivered
    pending, confirmed, processing -> cancelled (only while nothing is shipped)

``BY_HAND`` transitions are made by a person or a system (dashboard, API, Letzshop sync) through
``order_status_change``; ``BY_SHIPMENT`` ones only by ``order_ship``, which moves the stock.
"""

from __future__ import annotations

from apps.orders.models import OrderStatus as S

BY_HAND = "by_hand"
BY_SHIPMENT = "by_shipment"

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, S.CONFIRMED): BY_HAND,
    (S.PENDING, S.CANCELLED): BY_HAND,
    (S.CONFIRMED, S.PROCESSING): BY_HAND,
    (S.CONFIRMED, S.CANCELLED): BY_HAND,
    (S.CONFIRMED, S.PARTIALLY_SHIPPED): BY_SHIPMENT,
    (S.CONFIRMED, S.SHIPPED): BY_SHIPMENT,
    (S.PROCESSING, S.CANCELLED): BY_HAND,
    (S.PROCESSING, S.PARTIALLY_SHIPPED): BY_SHIPMENT,
    (S.PROCESSING, S.SHIPPED): BY_SHIPMENT,
    (S.PARTIALLY_SHIPPED, S.SHIPPED): BY_SHIPMENT,
    (S.SHIPPED, S.DELIVERED): BY_HAND,
}

# Where a shipment may start from (a pending order is confirmed first).
SHIPPABLE = frozenset({S.CONFIRMED.value, S.PROCESSING.value, S.PARTIALLY_SHIPPED.value})
CANCELLABLE = frozenset(frm for (frm, to) in TRANSITIONS if to == S.CANCELLED)


def transition_kind(from_status: str, to_status: str) -> str | None:
    """How the order may go from one status to the other, or None when it may not."""
    return TRANSITIONS.get((str(from_status), str(to_status)))


def next_statuses(from_status: str, *, kind: str = BY_HAND) -> list[str]:
    """The statuses a person may move an order to from this one (the dashboard's choices)."""
    return [str(to) for (frm, to), how in TRANSITIONS.items() if frm == from_status and how == kind]
