import pytest
from django.db.models import Sum
from django_tenants.utils import tenant_context

from apps.inventory.errors import InventoryError, InventoryErrorCode
from apps.inventory.models import StockLevel, StockLocation, StockMovement
from apps.inventory.selectors import low_stock_variants, stock_available
from apps.inventory.services import (
    ReserveLine,
    stock_adjust,
    stock_count,
    stock_fulfil,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_return,
)
from tests.factories import VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        yield alpha.store()


@pytest.fixture
def main():
    return StockLocation.objects.get(code="main")


def assert_ledger_explains_every_level():
    for level in StockLevel.objects.all():
        sums = level.movements.aggregate(
            on_hand=Sum("on_hand_change"), reserved=Sum("reserved_change")
        )
        assert (sums["on_hand"] or 0, sums["reserved"] or 0) == (level.on_hand, level.reserved)
        last = level.movements.order_by("-id").first()
        if last:
            assert (last.on_hand_after, last.reserved_after) == (level.on_hand, level.reserved)


def test_every_merchant_starts_with_a_main_warehouse(shop):
    assert StockLocation.objects.filter(code="main", is_active=True).exists()


def test_the_full_life_of_stock_is_explained_by_the_ledger(shop, main):
    strassen = StockLocation.objects.create(name="Strassen", code="strassen", position=1)
    variant = VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=3, reference="PO-1")
    stock_receive(variant=variant, location=strassen, quantity=10, reference="PO-2")
    stock_reserve(lines=[ReserveLine(variant.pk, 5)], reference="ORDER-1")  # 3 main + 2 strassen
    assert stock_available(variant=variant) == 8
    stock_fulfil(reference="ORDER-1")
    stock_reserve(lines=[ReserveLine(variant.pk, 2)], reference="ORDER-2")
    stock_release(reference="ORDER-2")
    stock_return(variant=variant, location=strassen, quantity=1, reference="RMA-1")
    stock_adjust(variant=variant, location=strassen, change=-2, reason="broken in transit")
    stock_count(variant=variant, location=strassen, counted=6)
    levels = {
        lvl.location.code: (lvl.on_hand, lvl.reserved)
        for lvl in StockLevel.objects.select_related("location")
    }
    assert levels == {"main": (0, 0), "strassen": (6, 0)}
    kinds = list(StockMovement.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "receipt",
        "receipt",
        "reservation",
        "reservation",
        "shipment",
        "shipment",
        "reservation",
        "release",
        "return",
        "adjustment",
        "count",
    ]
    assert_ledger_explains_every_level()


def test_reservation_is_all_or_nothing(shop, main):
    plenty, scarce = (
        VariantFactory(store=shop, sku="PLENTY"),
        VariantFactory(store=shop, sku="SCARCE"),
    )
    stock_receive(variant=plenty, location=main, quantity=10)
    stock_receive(variant=scarce, location=main, quantity=1)
    with pytest.raises(InventoryError) as excinfo:
        stock_reserve(lines=[ReserveLine(plenty.pk, 2), ReserveLine(scarce.pk, 3)], reference="O-9")
    assert excinfo.value.code == InventoryErrorCode.INSUFFICIENT_STOCK
    assert "SCARCE: 3 wanted, 1 available" in excinfo.value.message
    assert stock_available(variant=plenty) == 10  # nothing was reserved
    assert not StockMovement.objects.filter(reference="O-9").exists()


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", True])
def test_bad_quantities_are_refused(shop, main, quantity):
    variant = VariantFactory(store=shop)
    with pytest.raises(InventoryError) as excinfo:
        stock_receive(variant=variant, location=main, quantity=quantity)
    assert excinfo.value.code == InventoryErrorCode.QUANTITY_INVALID
    assert not StockMovement.objects.exists()


def test_adjustments_need_a_reason_and_cannot_go_below_reserved(shop, main):
    variant = VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=5)
    stock_reserve(lines=[ReserveLine(variant.pk, 4)], reference="O-1")
    with pytest.raises(InventoryError, match="Say why"):
        stock_adjust(variant=variant, location=main, change=-1, reason="  ")
    with pytest.raises(InventoryError) as excinfo:
        stock_adjust(variant=variant, location=main, change=-2, reason="lost")
    assert excinfo.value.code == InventoryErrorCode.BELOW_RESERVED
    with pytest.raises(InventoryError):
        stock_count(variant=variant, location=main, counted=3)
    assert StockLevel.objects.get().on_hand == 5
    assert_ledger_explains_every_level()


def test_a_closed_location_receives_nothing_and_is_not_reserved_from(shop, main):
    variant = VariantFactory(store=shop)
    closed = StockLocation.objects.create(name="Old depot", code="old", is_active=False)
    with pytest.raises(InventoryError) as excinfo:
        stock_receive(variant=variant, location=closed, quantity=1)
    assert excinfo.value.code == InventoryErrorCode.LOCATION_INACTIVE


def test_release_or_ship_without_reservation_is_a_clear_error(shop):
    with pytest.raises(InventoryError) as excinfo:
        stock_release(reference="NOPE")
    assert excinfo.value.code == InventoryErrorCode.NOTHING_RESERVED
    with pytest.raises(InventoryError):
        stock_fulfil(reference="NOPE")


def test_low_stock_list(shop, main):
    low = VariantFactory(store=shop, sku="LOW", low_stock_threshold=5)
    fine = VariantFactory(store=shop, sku="FINE", low_stock_threshold=5)
    untracked = VariantFactory(store=shop, sku="UNTRACKED", low_stock_threshold=0)
    stock_receive(variant=low, location=main, quantity=4)
    stock_receive(variant=fine, location=main, quantity=9)
    stock_reserve(lines=[ReserveLine(fine.pk, 3)], reference="O")  # 6 available: still fine
    assert [v.sku for v in low_stock_variants(store_id=shop.pk)] == ["LOW"]
    assert untracked.sku not in [v.sku for v in low_stock_variants(store_id=shop.pk)]


def test_twenty_parallel_reservations_of_the_last_five_units(race_merchant):
    """Real parallel connections (threads, committed transactions): exactly 5 succeed."""
    from apps.tenancy.stores.models import Store
    from tests.parallel import committed, in_parallel, unexpected

    def setup():
        variant = VariantFactory(store=Store.objects.get(slug="shop"), sku="LAST-FIVE")
        stock_receive(variant=variant, location=StockLocation.objects.get(code="main"), quantity=5)
        return variant.pk

    variant_id = committed(setup, merchant=race_merchant)

    def reserve(n):
        return lambda: stock_reserve(lines=[ReserveLine(variant_id, 1)], reference=f"RACE-{n}")

    outcomes = in_parallel(*(reserve(n) for n in range(20)), merchant=race_merchant)
    assert not unexpected(outcomes), unexpected(outcomes)
    assert sum(o.ok for o in outcomes) == 5
    codes = [o.code for o in outcomes if not o.ok]
    assert codes == [InventoryErrorCode.INSUFFICIENT_STOCK] * 15

    def check():
        assert_ledger_explains_every_level()
        level = StockLevel.objects.get(variant_id=variant_id)
        return level.on_hand, level.reserved

    assert committed(check, merchant=race_merchant) == (5, 5)


def test_product_in_stock_flag_follows_every_stock_change(shop, main):
    from apps.catalog.models import Product
    from apps.catalog.services import VariantInput, variant_update
    from apps.inventory.services import products_stock_refresh

    variant = VariantFactory(store=shop)
    product = Product.objects.get(pk=variant.product_id)

    def in_stock() -> bool:
        return Product.objects.values_list("in_stock", flat=True).get(pk=product.pk)

    assert not in_stock()
    stock_receive(variant=variant, location=main, quantity=2)
    assert in_stock()
    stock_reserve(lines=[ReserveLine(variant.pk, 2)], reference="O-1")
    assert not in_stock()  # everything is reserved
    stock_release(reference="O-1")
    assert in_stock()
    variant_update(variant=variant, data=VariantInput(sku=variant.sku, price="1"), is_active=False)
    products_stock_refresh(product_ids=[product.pk])  # what the product page does after saving
    assert not in_stock()  # an inactive variant sells nothing


def test_stock_cannot_grow_past_what_a_level_can_hold(shop, main, alpha, staff_client):
    """2,148 adjustments of +1,000,000 once overflowed the integer column (a 500)."""
    variant = VariantFactory(store=shop)
    stock_adjust(variant=variant, location=main, change=2_147_000_000, reason="found")
    with pytest.raises(InventoryError) as excinfo:
        stock_adjust(variant=variant, location=main, change=1_000_000, reason="found")
    assert excinfo.value.code == InventoryErrorCode.QUANTITY_TOO_LARGE
    with pytest.raises(InventoryError):
        stock_receive(variant=variant, location=main, quantity=10**30)
    assert StockLevel.objects.get().on_hand == 2_147_000_000
    assert_ledger_explains_every_level()
    from apps.tenancy.stores.roles import Role

    client, _ = staff_client(alpha, Role.OWNER)
    response = client.post(
        f"/dashboard/inventory/variants/{variant.pk}/",
        {"location": main.pk, "change": "1000000", "reason": "found"},
    )
    assert response.status_code == 400 and "more than a stock level can hold" in (
        response.content.decode()
    )


def test_the_in_stock_flag_can_be_refreshed_outside_a_transaction(race_merchant):
    """A caller in autocommit mode (a command, a bulk load) gets the service's own transaction:
    the product rows are locked (SELECT ... FOR UPDATE needs one) and nothing fails."""
    from apps.inventory.services import products_stock_refresh
    from tests.parallel import committed

    def load_and_refresh():
        store = race_merchant_store()
        variant = VariantFactory(store=store)
        StockLevel.objects.create(
            variant=variant, location=StockLocation.objects.get(code="main"), on_hand=3
        )
        products_stock_refresh(product_ids=[variant.product_id])  # autocommit: no atomic here
        variant.product.refresh_from_db()
        return variant.product.in_stock

    def race_merchant_store():
        from apps.tenancy.stores.models import Store

        return Store.objects.first()

    assert committed(load_and_refresh, merchant=race_merchant) is True
