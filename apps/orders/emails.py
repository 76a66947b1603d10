"""The shopper's order emails (confirmation, shipped with tracking, cancelled), HTML and text,
in the order's language.

At most once: each email is claimed by an UPDATE that sets its "sent" time only where it is
still empty, in a transaction that also sends. A second task for the same email (a duplicate
delivery, a retry after success) finds it claimed and sends nothing; a send that fails rolls the
claim back, so the retry sends it.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.orders.models import Order, OrderLine, Shipment

TEMPLATES = "emails/orders"


def _send(*, order: Order, template: str, context: dict) -> None:
    with translation.override(order.language):
        context = {"order": order, "store": order.store, **context}
        subject = render_to_string(f"{TEMPLATES}/{template}_subject.txt", context)
        text = render_to_string(f"{TEMPLATES}/{template}.txt", context)
        html = render_to_string(f"{TEMPLATES}/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[order.email],
        reply_to=[order.store.email] if order.store.email else None,
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _order(order_id: int) -> Order:
    lines = OrderLine.objects.order_by("position", "id")
    return (
        Order.objects.select_related("store")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .get(pk=order_id)
    )


def order_confirmation_email_send(*, order_id: int) -> bool:
    with transaction.atomic():
        claimed = Order.objects.filter(pk=order_id, confirmation_sent_at__isnull=True).update(
            confirmation_sent_at=timezone.now()
        )
        if not claimed:
            return False
        _send(order=_order(order_id), template="confirmation", context={})
    return True


def order_cancelled_email_send(*, order_id: int) -> bool:
    with transaction.atomic():
        claimed = Order.objects.filter(pk=order_id, cancellation_sent_at__isnull=True).update(
            cancellation_sent_at=timezone.now()
        )
        if not claimed:
            return False
        _send(order=_order(order_id), template="cancelled", context={})
    return True


def order_shipped_email_send(*, shipment_id: int) -> bool:
    with transaction.atomic():
        claimed = Shipment.objects.filter(pk=shipment_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return False
        shipment = Shipment.objects.prefetch_related("lines__order_line").get(pk=shipment_id)
        order = _order(shipment.order_id)
        _send(order=order, template="shipped", context={"shipment": shipment})
    return True
