"""Real parallel connections (threads, committed transactions) in a merchant provisioned for the
test and dropped afterwards, so that nothing committed here reaches other tests."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.customers.models import Customer
from apps.inventory.models import StockLevel, StockLocation
from apps.inventory.services import stock_receive
from apps.orders.errors import OrderError, OrderErrorCode
from apps.orders.models import Order, OrderCounter
from apps.orders.services import OrderLineInput, order_place
from apps.tenancy.services import merchant_archive, merchant_delete, merchant_provision
from apps.tenancy.stores.models import Store
from apps.vat.records.models import VatLedgerEntry
from tests.factories import PASSWORD, VariantFactory
from tests.orders.conftest import buyer

pytestmark = pytest.mark.django_db(transaction=False)


class Merchant:
    """A throwaway merchant; ``run`` executes a function in its schema on a new connection."""

    def __init__(self):
        self.errors: list[BaseException] = []
        self.slug = f"race{uuid.uuid4().hex[:8]}"
        self.merchant = None
        self.run(self._provision, in_schema=False)

    def _provision(self):
        self.merchant = merchant_provision(
            slug=self.slug,
            name="Race SARL",
            owner_email=f"owner@{self.slug}.lu",
            owner_password=PASSWORD,
        )

    def thread(self, fn, *, in_schema=True) -> threading.Thread:
        def run():
            try:
                if in_schema:
                    with tenant_context(self.merchant):
                        fn()
                else:
                    fn()
            except BaseException as exc:  # surfaced by the assertions
                self.errors.append(exc)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def run(self, fn, *, in_schema=True):
        self.thread(fn, in_schema=in_schema).join(timeout=120)
        assert not self.errors, self.errors

    def drop(self):
        def delete():
            merchant_archive(merchant=self.merchant)
            merchant_delete(merchant=self.merchant, confirmation=self.slug)

        self.run(delete, in_schema=False)


@pytest.fixture
def race(django_db_setup):
    merchant = Merchant()
    yield merchant
    merchant.drop()


def parallel(race: Merchant, count: int, fn) -> list:
    """Run fn(n) for n in range(count) at once (a barrier releases them together)."""
    results: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def worker(n):
        def go():
            barrier.wait(timeout=60)
            try:
                outcome = fn(n)
            except OrderError as exc:
                outcome = exc.code
            with lock:
                results.append(outcome)

        return go

    threads = [race.thread(worker(n)) for n in range(count)]
    for thread in threads:
        thread.join(timeout=180)
    assert not race.errors, race.errors
    return results


def test_twenty_checkouts_for_five_units_give_five_orders(race):
    ids = {}

    def setup():
        store = Store.objects.get()
        variant = VariantFactory(store=store, sku="LAST-FIVE", price="25.00")
        stock_receive(variant=variant, location=StockLocation.objects.get(code="main"), quantity=5)
        ids["store"], ids["variant"] = store.pk, variant.pk

    race.run(setup)

    def checkout(n):
        store = Store.objects.get(pk=ids["store"])
        order = order_place(
            store=store,
            channel="web",
            lines=[OrderLineInput(ids["variant"], 1, expected_unit_price="25.00")],
            buyer=buyer(email=f"shopper{n}@example.com"),
            actor_kind="customer",
        )
        return order.number

    results = parallel(race, 20, checkout)
    numbers = [r for r in results if r != OrderErrorCode.OUT_OF_STOCK]
    assert len(numbers) == 5 and len(set(numbers)) == 5
    assert results.count(OrderErrorCode.OUT_OF_STOCK) == 15
    checked = {}

    def check():
        level = StockLevel.objects.get(variant_id=ids["variant"])
        checked["level"] = (level.on_hand, level.reserved)
        checked["orders"] = Order.objects.count()
        checked["ledger"] = VatLedgerEntry.objects.values("reference").distinct().count()
        checked["counter"] = OrderCounter.objects.get().last_number
        checked["customers"] = Customer.objects.filter(orders_count=1).count()
        checked["numbers"] = sorted(Order.objects.values_list("number", flat=True))

    race.run(check)
    assert checked["level"] == (5, 5)
    assert (checked["orders"], checked["ledger"], checked["counter"]) == (5, 5, 5)
    assert checked["customers"] == 5
    # The failed checkouts used no number: the five orders have 1 to 5.
    assert [n.rsplit("-", 1)[1] for n in checked["numbers"]] == [f"{i:05d}" for i in range(1, 6)]


def test_fifty_parallel_orders_get_fifty_distinct_numbers(race):
    ids = {}

    def setup():
        store = Store.objects.get()
        variants = [VariantFactory(store=store, sku=f"PLENTY-{n}", price="9.90") for n in range(5)]
        for variant in variants:
            stock_receive(
                variant=variant, location=StockLocation.objects.get(code="main"), quantity=100
            )
        ids["store"], ids["variants"] = store.pk, [v.pk for v in variants]

    race.run(setup)

    def checkout(n):
        store = Store.objects.get(pk=ids["store"])
        # Some shoppers order twice at once: their customer record is created once.
        order = order_place(
            store=store,
            channel="web",
            lines=[OrderLineInput(ids["variants"][n % 5], 1)],
            buyer=buyer(email=f"shopper{n % 25}@example.com"),
            actor_kind="customer",
        )
        return order.number

    results = parallel(race, 50, checkout)
    assert len(results) == 50 and len(set(results)) == 50, Counter(results)
    assert all(isinstance(r, str) for r in results), results
    checked = {}

    def check():
        checked["customers"] = sorted(Customer.objects.values_list("orders_count", flat=True))
        checked["reserved"] = sum(StockLevel.objects.values_list("reserved", flat=True))

    race.run(check)
    assert checked["customers"] == [2] * 25
    assert checked["reserved"] == 50
    assert sorted(int(n.rsplit("-", 1)[1]) for n in results) == list(range(1, 51))


def test_placing_cancelling_and_shipping_at_once_never_deadlocks(race):
    """Each service takes its locks in the same order (VAT threshold, counter, stock levels,
    customer; an order row before the stock): mixed at once, all succeed and the stock adds up."""
    from apps.orders.services import order_cancel, order_ship, order_status_change

    ids = {}

    def setup():
        store = Store.objects.get()
        variant = VariantFactory(store=store, sku="BUSY", price="12.00")
        stock_receive(variant=variant, location=StockLocation.objects.get(code="main"), quantity=30)
        orders = []
        for n in range(10):
            order = order_place(
                store=store,
                channel="web",
                lines=[OrderLineInput(variant.pk, 1)],
                buyer=buyer(email=f"early{n}@example.com"),
                actor_kind="customer",
            )
            order_status_change(order=order, to="confirmed", actor_kind="staff")
            orders.append(order.pk)
        ids.update(store=store.pk, variant=variant.pk, orders=orders)

    race.run(setup)

    def work(n):
        if n < 10:
            store = Store.objects.get(pk=ids["store"])
            return order_place(
                store=store,
                channel="web",
                lines=[OrderLineInput(ids["variant"], 1)],
                buyer=buyer(email=f"late{n}@example.com"),
                actor_kind="customer",
            ).number
        order = Order.objects.get(pk=ids["orders"][n - 10])
        if n < 15:
            return order_cancel(order=order, actor_kind="customer").status
        return order_ship(order=order, carrier="Post", actor_kind="staff").order.status

    results = parallel(race, 20, work)
    assert Counter(r for r in results if r in ("cancelled", "shipped")) == {
        "cancelled": 5,
        "shipped": 5,
    }
    assert len({r for r in results if r not in ("cancelled", "shipped")}) == 10
    checked = {}

    def check():
        level = StockLevel.objects.get(variant_id=ids["variant"])
        checked["level"] = (level.on_hand, level.reserved)
        checked["statuses"] = Counter(Order.objects.values_list("status", flat=True))

    race.run(check)
    assert checked["level"] == (25, 10)
    assert checked["statuses"] == {"pending": 10, "cancelled": 5, "shipped": 5}
