"""Shipping part of a reservation (an order shipped in several parcels), and reservations of
many lines in a fixed number of queries."""

import pytest
from django.db.models import Sum
from django_tenants.utils import tenant_context

from apps.inventory.errors import InventoryError, InventoryErrorCode
from apps.inventory.models import StockLevel, StockLocation, StockMovement
from apps.inventory.services import (
    ReserveLine,
    stock_fulfil,
    stock_fulfil_lines,
    stock_receive,
    stock_release,
    stock_reserve,
)
from tests.factories import VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        yield alpha.store()


@pytest.fixture
def main(shop):
    return StockLocation.objects.get(code="main")


def levels(variant):
    return {
        lvl.location.code: (lvl.on_hand, lvl.reserved)
        for lvl in StockLevel.objects.filter(variant=variant).select_related("location")
    }


def assert_ledger_explains_every_level():
    for level in StockLevel.objects.all():
        sums = level.movements.aggregate(on_hand=Sum("on_hand_change"), res=Sum("reserved_change"))
        assert (sums["on_hand"] or 0, sums["res"] or 0) == (level.on_hand, level.reserved)
        last = level.movements.order_by("-id").first()
        if last:
            assert (last.on_hand_after, last.reserved_after) == (level.on_hand, level.reserved)


def test_ship_part_of_a_reservation_across_locations_then_the_rest(shop, main):
    annex = StockLocation.objects.create(name="Annex", code="annex", position=1)
    shirt, book = VariantFactory(store=shop, sku="SHIRT"), VariantFactory(store=shop, sku="BOOK")
    stock_receive(variant=shirt, location=main, quantity=2)
    stock_receive(variant=shirt, location=annex, quantity=5)
    stock_receive(variant=book, location=main, quantity=4)
    stock_reserve(lines=[ReserveLine(shirt.pk, 4), ReserveLine(book.pk, 3)], reference="O-1")
    assert levels(shirt) == {"main": (2, 2), "annex": (5, 2)}

    moved = stock_fulfil_lines(reference="O-1", lines=[ReserveLine(shirt.pk, 3)])
    # From the first location first, then the next; the book stays reserved.
    assert levels(shirt) == {"main": (0, 0), "annex": (4, 1)}
    assert levels(book) == {"main": (4, 3), "annex": (0, 0)}
    assert sorted((m.on_hand_change, m.reserved_change) for m in moved) == [(-2, -2), (-1, -1)]
    assert {m.kind for m in moved} == {"shipment"}

    stock_fulfil(reference="O-1")  # everything still held
    assert levels(shirt) == {"main": (0, 0), "annex": (3, 0)}
    assert levels(book) == {"main": (1, 0), "annex": (0, 0)}
    assert_ledger_explains_every_level()


def test_partial_fulfil_refuses_more_than_is_reserved_and_moves_nothing(shop, main):
    shirt, book = VariantFactory(store=shop, sku="SHIRT"), VariantFactory(store=shop, sku="BOOK")
    stock_receive(variant=shirt, location=main, quantity=5)
    stock_receive(variant=book, location=main, quantity=5)
    stock_reserve(lines=[ReserveLine(shirt.pk, 2)], reference="O-2")
    before = StockMovement.objects.count()
    for lines in (
        [ReserveLine(shirt.pk, 3)],
        [ReserveLine(shirt.pk, 1), ReserveLine(book.pk, 1)],  # the book is not reserved
    ):
        with pytest.raises(InventoryError) as excinfo:
            stock_fulfil_lines(reference="O-2", lines=lines)
        assert excinfo.value.code == InventoryErrorCode.NOTHING_RESERVED
    assert "SHIRT: 3 to ship, 2 reserved" in _message(shirt)
    with pytest.raises(InventoryError) as excinfo:
        stock_fulfil_lines(reference="O-2", lines=[ReserveLine(shirt.pk, 0)])
    assert excinfo.value.code == InventoryErrorCode.QUANTITY_INVALID
    assert StockMovement.objects.count() == before
    assert levels(shirt) == {"main": (5, 2)}
    # What is left can still be released.
    stock_fulfil_lines(reference="O-2", lines=[ReserveLine(shirt.pk, 1)])
    stock_release(reference="O-2")
    assert levels(shirt) == {"main": (4, 0)}
    assert_ledger_explains_every_level()


def _message(variant) -> str:
    try:
        stock_fulfil_lines(reference="O-2", lines=[ReserveLine(variant.pk, 3)])
    except InventoryError as exc:
        return exc.message
    return ""


@pytest.mark.parametrize("count", [1, 20])
def test_reserving_many_lines_costs_a_fixed_number_of_queries(
    shop, main, count, django_assert_max_num_queries
):
    variants = [VariantFactory(store=shop, sku=f"V-{n}") for n in range(count)]
    for variant in variants:
        stock_receive(variant=variant, location=main, quantity=10)
    # The reference's claim (savepoint, insert, release), the locations, the levels locked,
    # one UPDATE of the levels, one INSERT of the movements, and the atomic's savepoint.
    with django_assert_max_num_queries(10):
        stock_reserve(lines=[ReserveLine(v.pk, 1) for v in variants], reference="MANY")
    with django_assert_max_num_queries(9):
        stock_fulfil_lines(reference="MANY", lines=[ReserveLine(v.pk, 1) for v in variants])
    assert all(levels(v) == {"main": (9, 0)} for v in variants)
    assert_ledger_explains_every_level()
