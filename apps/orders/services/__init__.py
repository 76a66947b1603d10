"""The orders use cases (one transaction each, keyword-only arguments, OrderError on refusal).

- placement: ``order_place`` and its inputs, ``order_number_allocate``
- fulfilment: ``order_status_change``, ``order_cancel``, ``order_ship``, ``order_mark_delivered``,
  ``order_mark_paid``
- returns: ``return_request_create``, ``return_receive``, ``return_reject``,
  ``return_refund_amount``, ``return_mark_refunded`` (the refund seam)
"""

from apps.orders.services.fulfilment import (
    order_cancel,
    order_mark_delivered,
    order_mark_paid,
    order_ship,
    order_status_change,
)
from apps.orders.services.placement import (
    AddressInput,
    BuyerInput,
    OrderLineInput,
    ShippingInput,
    address_input_from_book,
    order_number_allocate,
    order_place,
)
from apps.orders.services.returns import (
    return_mark_refunded,
    return_receive,
    return_refund_amount,
    return_reject,
    return_request_create,
)

__all__ = [
    "AddressInput",
    "BuyerInput",
    "OrderLineInput",
    "ShippingInput",
    "address_input_from_book",
    "order_cancel",
    "order_mark_delivered",
    "order_mark_paid",
    "order_number_allocate",
    "order_place",
    "order_ship",
    "order_status_change",
    "return_mark_refunded",
    "return_receive",
    "return_refund_amount",
    "return_reject",
    "return_request_create",
]
