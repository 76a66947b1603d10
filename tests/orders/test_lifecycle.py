"""After placing: the status workflow, shipments (part, then the rest), delivery, cancellation,
returns and the refund seam, with stock, VAT ledger, statistics and emails following."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db.models import Sum

from apps.customers.models import Customer
from apps.inventory.models import StockLevel, StockLocation, StockMovement
from apps.orders.emails import order_confirmation_email_send, order_shipped_email_send
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import Order, OrderStatusChange, ReturnRequest
from apps.orders.services import (
    AddressInput,
    BuyerInput,
    ShippingInput,
    order_cancel,
    order_mark_delivered,
    order_mark_paid,
    order_ship,
    order_status_change,
    return_mark_refunded,
    return_receive,
    return_refund_amount,
    return_reject,
    return_request_create,
)
from apps.orders.workflow import TRANSITIONS, next_statuses
from apps.vat.records.models import VatLedgerEntry
from apps.vat.records.selectors import distance_sales_total, oss_return
from apps.vat.records.services import vat_settings_update
from tests.factories import StaffMemberFactory
from tests.orders.conftest import D, buyer, place

pytestmark = pytest.mark.django_db


def level(variant) -> tuple[int, int]:
    row = StockLevel.objects.get(variant=variant)
    return row.on_hand, row.reserved


def assert_ledger_explains_every_level():
    for lvl in StockLevel.objects.all():
        sums = lvl.movements.aggregate(on_hand=Sum("on_hand_change"), res=Sum("reserved_change"))
        assert (sums["on_hand"] or 0, sums["res"] or 0) == (lvl.on_hand, lvl.reserved)


def history(order):
    return list(
        OrderStatusChange.objects.filter(order=order)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_kind", "note")
    )


@pytest.fixture
def staff(shop):
    return StaffMemberFactory(role="staff").user


@pytest.fixture
def order(shop, shirt, book):
    return place(
        shop,
        [(shirt, 3), (book, 2)],
        shipping=ShippingInput("Post", "5.00"),
        buyer_input=buyer(language="fr"),
    )


def lines_of(order):
    return {line.sku: line for line in order.lines.all()}


def test_the_transition_table_is_the_workflow():
    assert next_statuses("pending") == ["confirmed", "cancelled"]
    assert next_statuses("confirmed") == ["processing", "cancelled"]
    assert next_statuses("shipped") == ["delivered"]
    assert next_statuses("delivered") == [] and next_statuses("cancelled") == []
    assert not any(frm in ("shipped", "delivered", "partially_shipped") and to == "cancelled"
                   for frm, to in TRANSITIONS)  # fmt: skip


def test_status_changes_by_hand_are_recorded_with_actor_and_note(order, staff):
    order_status_change(order=order, to="confirmed", actor_kind="staff", actor=staff, note="OK")
    order_status_change(order=order, to="processing", actor_kind="letzshop")
    order.refresh_from_db()
    assert order.status == "processing"
    assert history(order) == [
        ("", "pending", "customer", ""),
        ("pending", "confirmed", "staff", "OK"),
        ("confirmed", "processing", "letzshop", ""),
    ]
    assert OrderStatusChange.objects.filter(order=order, actor=staff).count() == 1


@pytest.mark.parametrize("to", ["delivered", "processing", "shipped", "partially_shipped", "x"])
def test_illegal_transitions_are_refused(order, to):
    with pytest.raises(OrderError) as excinfo:
        order_status_change(order=order, to=to, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.TRANSITION_INVALID
    order.refresh_from_db()
    assert order.status == "pending" and len(history(order)) == 1


def test_a_pending_order_is_confirmed_before_it_ships(order):
    with pytest.raises(OrderError) as excinfo:
        order_ship(order=order, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.NOT_SHIPPABLE
    assert "confirm" in excinfo.value.message


def test_ship_part_then_the_rest(order, shirt, book, staff, django_capture_on_commit_callbacks):
    assert level(shirt) == (10, 3) and level(book) == (10, 2)
    order_status_change(order=order, to="confirmed", actor_kind="staff", actor=staff)
    lines = lines_of(order)
    with django_capture_on_commit_callbacks(execute=True):
        first = order_ship(
            order=order,
            lines={lines["SHIRT-M"].pk: 2},
            carrier="Post Luxembourg",
            tracking_number="LU123456789",
            tracking_url="https://tracking.post.lu/LU123456789",
            actor_kind="staff",
            actor=staff,
        )
    order.refresh_from_db()
    assert order.status == "partially_shipped" and order.shipped_at is None
    assert level(shirt) == (8, 1) and level(book) == (10, 2)  # exactly what shipped left
    assert [(sl.order_line.sku, sl.quantity) for sl in first.lines.all()] == [("SHIRT-M", 2)]
    # The shopper hears of it, in French, with the tracking link.
    message = mail.outbox[-1]
    assert message.to == ["anne@example.com"] and order.number in message.subject
    assert "https://tracking.post.lu/LU123456789" in message.body
    assert "https://tracking.post.lu/LU123456789" in message.alternatives[0][0]
    assert '<html lang="fr">' in message.alternatives[0][0]

    # Cancelling is no longer possible: something has shipped.
    with pytest.raises(OrderError) as excinfo:
        order_cancel(order=order, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.TRANSITION_INVALID

    with django_capture_on_commit_callbacks(execute=True):
        rest = order_ship(order=order, carrier="DHL", tracking_number="JD01", actor_kind="staff")
    order.refresh_from_db()
    assert order.status == "shipped" and order.shipped_at is not None
    assert sorted((sl.order_line.sku, sl.quantity) for sl in rest.lines.all()) == [
        ("BOOK-1", 2),
        ("SHIRT-M", 1),
    ]
    assert level(shirt) == (7, 0) and level(book) == (8, 0)
    assert {line.sku: line.quantity_shipped for line in order.lines.all()} == {
        "SHIRT-M": 3,
        "BOOK-1": 2,
    }
    assert [h[:2] for h in history(order)] == [
        ("", "pending"),
        ("pending", "confirmed"),
        ("confirmed", "partially_shipped"),
        ("partially_shipped", "shipped"),
    ]
    assert history(order)[-1][3] == "DHL JD01"
    shipped = StockMovement.objects.filter(kind="shipment", reference=order.number)
    assert shipped.aggregate(total=Sum("on_hand_change"))["total"] == -5
    assert_ledger_explains_every_level()
    with pytest.raises(OrderError) as excinfo:
        order_ship(order=order, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.NOT_SHIPPABLE

    order_mark_delivered(order=order, actor_kind="system", note="carrier says delivered")
    order.refresh_from_db()
    assert order.status == "delivered" and order.delivered_at is not None


@pytest.mark.parametrize(
    "bad",
    [
        "other-line",
        "too-many",
        "zero",
        "empty",
    ],
)
def test_bad_shipment_lines_are_refused_and_move_no_stock(order, shirt, shop, bad):
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    other = place(shop, [(shirt, 1)], buyer_input=buyer(email="b@example.com"))
    line = lines_of(order)["SHIRT-M"]
    lines = {
        "other-line": {other.lines.get().pk: 1},
        "too-many": {line.pk: 4},
        "zero": {line.pk: 0},
        "empty": {},
    }[bad]
    with pytest.raises(OrderError) as excinfo:
        order_ship(order=order, lines=lines, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.SHIPMENT_LINES_INVALID
    assert level(shirt) == (10, 4)
    assert not order.shipments.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.lu/1", "not a url", "data:x"])
def test_tracking_links_are_http_only(order, url):
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    with pytest.raises(OrderError) as excinfo:
        order_ship(order=order, tracking_url=url, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.TRACKING_URL_INVALID


def test_cancel_releases_stock_reverses_vat_and_forgets_the_order_in_statistics(
    shop, shirt, book, order, django_capture_on_commit_callbacks
):
    vat_settings_update(store=shop, data={"oss_registered": True})
    german = place(shop, [(shirt, 1)], country="DE", buyer_input=buyer("DE", language="de"))
    assert german.vat_regime == "oss"
    customer = Customer.objects.get()
    assert customer.orders_count == 2
    year = german.supply_date.year
    before = distance_sales_total(year=year)
    assert before == german.total_net
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=german, actor_kind="customer", note="changed my mind")
    german.refresh_from_db()
    assert german.status == "cancelled" and german.cancelled_at is not None
    assert level(shirt) == (10, 3)  # the German order's unit is free again
    assert distance_sales_total(year=year) == 0  # the threshold forgets the sale
    entries = VatLedgerEntry.objects.filter(reference=german.number)
    assert sorted(e.taxable for e in entries) == [-german.total_net, german.total_net]
    quarter = (german.supply_date.month - 1) // 3 + 1
    assert all(row.taxable == 0 for row in oss_return(year=year, quarter=quarter))
    customer.refresh_from_db()
    assert customer.orders_count == 1 and customer.total_spent == order.total_gross
    assert customer.last_order_at == order.created_at
    message = mail.outbox[-1]
    assert german.number in message.subject and "SHIRT-M (de)" in message.body
    assert '<html lang="de">' in message.alternatives[0][0]
    assert history(german)[-1] == ("pending", "cancelled", "customer", "changed my mind")
    with pytest.raises(OrderError):
        order_cancel(order=german, actor_kind="staff")
    assert VatLedgerEntry.objects.filter(reference=german.number).count() == 2
    assert_ledger_explains_every_level()


def test_cancel_through_the_status_change_and_from_processing(order, shirt):
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    order_status_change(order=order, to="processing", actor_kind="staff")
    order_status_change(order=order, to="cancelled", actor_kind="staff", note="out of paper")
    order.refresh_from_db()
    assert order.status == "cancelled" and level(shirt) == (10, 0)


def test_returns_restock_or_write_off_and_refund_through_the_seam(shop, shirt, book, order, staff):
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    order_mark_paid(order=order)
    order_ship(order=order, actor_kind="staff")
    lines = lines_of(order)
    shirt_line, book_line = lines["SHIRT-M"], lines["BOOK-1"]
    # Only what shipped, and not twice.
    with pytest.raises(OrderError) as excinfo:
        return_request_create(
            order=order, lines={shirt_line.pk: 4}, reason="withdrawal", actor_kind="customer"
        )
    assert excinfo.value.code == OrderErrorCode.RETURN_LINES_INVALID
    first = return_request_create(
        order=order, lines={shirt_line.pk: 1}, reason="withdrawal", actor_kind="customer"
    )
    with pytest.raises(OrderError):
        return_request_create(
            order=order, lines={shirt_line.pk: 3}, reason="damaged", actor_kind="customer"
        )
    # One shirt of three: a third of what the shirts cost, shipping not refunded.
    assert return_refund_amount(return_request=first) == D("117.00")
    on_hand = level(shirt)[0]
    received = return_receive(return_request=first, restock=True, actor_kind="staff", actor=staff)
    assert received.status == "received" and received.restocked
    assert received.refund_amount == D("117.00")
    assert level(shirt)[0] == on_hand + 1
    assert StockMovement.objects.filter(
        kind="return", reference=f"{order.number}/R{first.pk}"
    ).exists()
    with pytest.raises(OrderError) as excinfo:
        return_receive(return_request=first, restock=True, actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.RETURN_STATUS_INVALID

    # The rest comes back damaged: written off (no stock), and the delivery is refunded too.
    rest = return_request_create(
        order=order,
        lines={shirt_line.pk: 2, book_line.pk: 2},
        reason="damaged",
        actor_kind="staff",
    )
    book_on_hand = level(book)[0]
    rest = return_receive(return_request=rest, restock=False, actor_kind="staff")
    assert level(book)[0] == book_on_hand and rest.restocked is False
    assert rest.refund_amount == D("234.00") + D("20.60") + order.shipping_gross
    assert {line.sku: line.quantity_returned for line in order.lines.all()} == {
        "SHIRT-M": 3,
        "BOOK-1": 2,
    }

    customer = Customer.objects.get()
    spent = customer.total_spent
    return_mark_refunded(return_request=first, refund_reference="re_1")
    order.refresh_from_db()
    assert (order.payment_status, order.refunded_amount) == ("partially_refunded", D("117.00"))
    customer.refresh_from_db()
    assert customer.total_spent == spent - D("117.00")
    with pytest.raises(OrderError) as excinfo:
        return_mark_refunded(return_request=rest, amount=order.total_gross)
    assert excinfo.value.code == OrderErrorCode.REFUND_INVALID
    return_mark_refunded(return_request=rest)
    order.refresh_from_db()
    assert order.payment_status == "refunded" and order.refunded_amount == order.total_gross
    customer.refresh_from_db()
    assert customer.total_spent == 0 and customer.orders_count == 1
    assert ReturnRequest.objects.filter(order=order, status="refunded").count() == 2


def test_a_rejected_return_frees_its_quantities(order):
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    order_ship(order=order, actor_kind="staff")
    line = lines_of(order)["BOOK-1"]
    request = return_request_create(
        order=order, lines={line.pk: 2}, reason="other", actor_kind="customer"
    )
    return_reject(return_request=request, note="outside the 14 days")
    again = return_request_create(
        order=order, lines={line.pk: 2}, reason="other", actor_kind="customer"
    )
    assert again.pk != request.pk


def test_nothing_to_return_before_shipping_or_after_cancelling(order):
    line = lines_of(order)["BOOK-1"]
    with pytest.raises(OrderError) as excinfo:
        return_request_create(order=order, lines={line.pk: 1}, reason="other", actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.RETURN_LINES_INVALID
    order_cancel(order=order, actor_kind="staff", notify=False)
    with pytest.raises(OrderError) as excinfo:
        return_request_create(order=order, lines={line.pk: 1}, reason="other", actor_kind="staff")
    assert excinfo.value.code == OrderErrorCode.RETURN_NOT_ALLOWED


def test_emails_are_sent_at_most_once(order, django_capture_on_commit_callbacks):
    assert order_confirmation_email_send(order_id=order.pk) is True
    assert order_confirmation_email_send(order_id=order.pk) is False
    assert len(mail.outbox) == 1
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    shipment = order_ship(order=order, actor_kind="staff", notify=False)
    assert order_shipped_email_send(shipment_id=shipment.pk) is True
    assert order_shipped_email_send(shipment_id=shipment.pk) is False
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_later(order, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(OSError):
        order_confirmation_email_send(order_id=order.pk)
    monkeypatch.undo()
    assert Order.objects.get(pk=order.pk).confirmation_sent_at is None  # the claim rolled back
    assert order_confirmation_email_send(order_id=order.pk) is True


@pytest.mark.parametrize(
    ("language", "amount"),
    [("fr", "117,00\xa0€"), ("de", "117,00\xa0€"), ("en", "€117.00")],
)
def test_confirmation_in_each_language(shop, shirt, language, amount):
    """Rendered under the order's language: its product names, its money format, its words
    (French and German texts come with the translations)."""
    address = AddressInput("Seán O'Neil & Co", "1 Main St", "L-1111", "Luxembourg", "LU")
    the_buyer = BuyerInput(email="s@example.com", billing_address=address, language=language)
    order = place(shop, [(shirt, 1)], buyer_input=the_buyer, customer_note="<b>ring twice</b>")
    order_confirmation_email_send(order_id=order.pk)
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    assert "Seán O'Neil & Co" in message.body and "<b>ring twice</b>" in message.body
    assert "<b>ring" not in html and "&lt;b&gt;ring twice" in html
    assert f"SHIRT-M ({language})" in message.body and f"SHIRT-M ({language})" in html
    assert amount in message.body and amount in html
    assert f'<html lang="{language}">' in html
    assert order.number in message.subject


def test_paid_once(order):
    order_mark_paid(order=order)
    with pytest.raises(OrderError) as excinfo:
        order_mark_paid(order=order)
    assert excinfo.value.code == OrderErrorCode.PAYMENT_STATUS_INVALID


def test_a_closed_location_and_restock_default(order, shirt):
    """Restocking goes to the first active location when none is named."""
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    order_ship(order=order, actor_kind="staff")
    StockLocation.objects.create(name="Annex", code="annex", position=9)
    request = return_request_create(
        order=order, lines={lines_of(order)["SHIRT-M"].pk: 1}, reason="other", actor_kind="staff"
    )
    return_receive(return_request=request, restock=True, actor_kind="staff")
    assert StockLevel.objects.get(variant=shirt, location__code="main").on_hand == 8
