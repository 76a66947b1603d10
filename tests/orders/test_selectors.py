"""Order list filters, search and sorting; the detail page's queries; a shopper sees only
their own orders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import Order
from apps.orders.selectors import (
    order_detail,
    order_get,
    order_list,
    orders_to_fulfil_count,
)
from apps.orders.services import (
    OrderLineInput,
    order_cancel,
    order_mark_paid,
    order_ship,
    order_status_change,
    return_request_create,
)
from apps.tenancy.stores.services import store_create
from tests.orders.conftest import D, buyer, make_variant, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(shop, shirt, book):
    anne = place(shop, [(shirt, 1)], buyer_input=buyer(email="anne@example.com"))
    jonas = place(
        shop, [(book, 2)], country="DE", buyer_input=buyer("DE", email="jonas@example.de")
    )
    manual = place(
        shop,
        [OrderLineInput(shirt.pk, 2, unit_price="50.00")],
        channel="manual",
        actor_kind="staff",
        buyer_input=buyer("FR", email="claire@example.fr"),
        external_reference="PHONE-17",
    )
    order_mark_paid(order=jonas)
    order_cancel(order=manual, actor_kind="staff", notify=False)
    return anne, jonas, manual


def numbers(qs):
    return [o.number for o in qs]


def test_filters_search_and_sorts(shop, orders):
    anne, jonas, manual = orders
    assert numbers(order_list(store=shop)) == [manual.number, jonas.number, anne.number]
    assert numbers(order_list(store=shop, sort="oldest")) == [
        anne.number,
        jonas.number,
        manual.number,
    ]
    assert numbers(order_list(store=shop, sort="total")) == [
        anne.number,
        manual.number,
        jonas.number,
    ]
    assert numbers(order_list(store=shop, status="cancelled")) == [manual.number]
    assert numbers(order_list(store=shop, status=["pending"], sort="oldest")) == [
        anne.number,
        jonas.number,
    ]
    assert numbers(order_list(store=shop, channel="manual")) == [manual.number]
    assert numbers(order_list(store=shop, payment_status="paid")) == [jonas.number]
    assert numbers(order_list(store=shop, search="jonas")) == [jonas.number]
    assert numbers(order_list(store=shop, search="Müller")) == [jonas.number]
    assert numbers(order_list(store=shop, search="claire martin")) == [manual.number]
    assert numbers(order_list(store=shop, search=jonas.number.lower())) == [jonas.number]
    assert numbers(order_list(store=shop, search="PHONE-17")) == [manual.number]
    assert len(order_list(store=shop, search=anne.number[:-1])) == 3  # a number's beginning
    today = timezone.localdate()
    assert len(order_list(store=shop, date_from=today, date_to=today)) == 3
    assert not order_list(store=shop, date_to=today - timedelta(days=1)).exists()
    assert not order_list(store=shop, date_from=today + timedelta(days=1)).exists()
    for bad in ({"status": "lost"}, {"channel": ["web", "fax"]}, {"payment_status": "maybe"}):
        with pytest.raises(OrderError) as excinfo:
            order_list(store=shop, **bad)
        assert excinfo.value.code == OrderErrorCode.VALUE_INVALID
    with pytest.raises(OrderError) as excinfo:
        order_list(store=shop, sort="customer__user__password")
    assert excinfo.value.code == OrderErrorCode.SORT_INVALID
    assert orders_to_fulfil_count(store=shop) == 2


def test_one_store_never_lists_another_stores_orders(shop, orders, alpha):
    other = store_create(merchant=alpha.merchant, name="Outlet", slug="outlet-o")
    variant = make_variant(other, sku="OUT-1", price="5.00")
    elsewhere = place(other, [(variant, 1)])
    assert elsewhere.number.startswith("OUTLET-O-")
    assert elsewhere.number not in numbers(order_list(store=shop))
    assert order_get(order_id=elsewhere.pk, store=shop) is None
    assert order_detail(order_id=elsewhere.pk, store=shop) is None
    assert len(order_list()) == 4  # the merchant's consolidated view


def test_a_shopper_sees_only_their_own_orders(shop, orders):
    anne, jonas, _manual = orders
    assert order_get(order_id=jonas.pk, customer=anne.customer) is None
    assert order_detail(order_id=jonas.pk, customer=anne.customer) is None
    assert numbers(order_list(customer=anne.customer)) == [anne.number]
    assert order_detail(order_id=anne.pk, customer=anne.customer) == anne


def test_detail_in_a_fixed_number_of_queries(shop, shirt, book, django_assert_num_queries):
    order = place(shop, [(shirt, 3), (book, 2)])
    order_status_change(order=order, to="confirmed", actor_kind="staff")
    lines = {line.sku: line.pk for line in order.lines.all()}
    order_ship(order=order, lines={lines["SHIRT-M"]: 1}, actor_kind="staff", notify=False)
    order_ship(order=order, actor_kind="staff", notify=False)
    return_request_create(
        order=order, lines={lines["BOOK-1"]: 1}, reason="damaged", actor_kind="customer"
    )
    with django_assert_num_queries(7):
        detail = order_detail(order_id=order.pk, store=shop)
        view = (
            [line.sku for line in detail.lines.all()],
            [(c.to_status, c.actor) for c in detail.status_changes.all()],
            [
                [(sl.order_line.sku, sl.quantity) for sl in s.lines.all()]
                for s in detail.shipments.all()
            ],
            [
                [(rl.order_line.sku, rl.quantity) for rl in r.lines.all()]
                for r in detail.returns.all()
            ],
            detail.store.name,
            detail.customer.email,
        )
    assert view[0] == ["SHIRT-M", "BOOK-1"]
    assert [c[0] for c in view[1]] == ["pending", "confirmed", "partially_shipped", "shipped"]
    assert view[2] == [[("SHIRT-M", 1)], [("SHIRT-M", 2), ("BOOK-1", 2)]]
    assert view[3] == [[("BOOK-1", 1)]]
    assert Order.objects.get(pk=order.pk).total_gross == D("371.60")
