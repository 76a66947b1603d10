"""Order emails, enqueued after commit. Each sends at most once (apps.orders.emails claims the
email before sending); a failed send is retried."""

from celery import shared_task

from apps.orders.emails import (
    order_cancelled_email_send,
    order_confirmation_email_send,
    order_shipped_email_send,
)

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def order_confirmation_email_task(*, order_id: int) -> bool:
    return order_confirmation_email_send(order_id=order_id)


@shared_task(**RETRY)
def order_shipped_email_task(*, shipment_id: int) -> bool:
    return order_shipped_email_send(shipment_id=shipment_id)


@shared_task(**RETRY)
def order_cancelled_email_task(*, order_id: int) -> bool:
    return order_cancelled_email_send(order_id=order_id)
