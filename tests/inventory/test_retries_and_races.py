"""Reservations once per reference, settling once, and the "in stock" flag under parallel
movements: retried calls, and real parallel connections (tests/parallel.py)."""

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.catalog.models import Product
from apps.catalog.services import VariantInput, product_create
from apps.inventory.errors import InventoryError, InventoryErrorCode
from apps.inventory.models import StockLevel, StockLocation, StockMovement, StockReservation
from apps.inventory.selectors import stock_available
from apps.inventory.services import (
    ReserveLine,
    stock_fulfil,
    stock_receive,
    stock_release,
    stock_reserve,
)
from apps.tenancy.stores.models import Store
from tests.factories import VariantFactory
from tests.parallel import committed, in_parallel, unexpected

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        yield alpha.store()


@pytest.fixture
def main(shop):
    return StockLocation.objects.get(code="main")


def test_a_retried_reservation_reserves_once_and_returns_the_first(shop, main):
    variant = VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=10)
    first = stock_reserve(lines=[ReserveLine(variant.pk, 3)], reference="ORDER-7")
    again = stock_reserve(lines=[ReserveLine(variant.pk, 3)], reference=" ORDER-7 ")
    assert [m.pk for m in again] == [m.pk for m in first]
    assert stock_available(variant=variant) == 7
    # Lines given in another shape but adding up to the same reservation are the same call.
    split = stock_reserve(
        lines=[ReserveLine(variant.pk, 1), ReserveLine(variant.pk, 2)], reference="ORDER-7"
    )
    assert [m.pk for m in split] == [m.pk for m in first]
    assert StockMovement.objects.filter(reference="ORDER-7").count() == 1


def test_a_reference_reused_for_other_lines_is_refused(shop, main):
    variant, other = VariantFactory(store=shop), VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=10)
    stock_receive(variant=other, location=main, quantity=10)
    stock_reserve(lines=[ReserveLine(variant.pk, 3)], reference="ORDER-8")
    for lines in ([ReserveLine(variant.pk, 4)], [ReserveLine(other.pk, 3)]):
        with pytest.raises(InventoryError) as excinfo:
            stock_reserve(lines=lines, reference="ORDER-8")
        assert excinfo.value.code == InventoryErrorCode.REFERENCE_REUSED
    assert (stock_available(variant=variant), stock_available(variant=other)) == (7, 10)


def test_a_reservation_retried_after_its_release_reserves_nothing(shop, main):
    """A redelivered "reserve order 9" arriving after the order was cancelled."""
    variant = VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=5)
    stock_reserve(lines=[ReserveLine(variant.pk, 2)], reference="ORDER-9")
    stock_release(reference="ORDER-9")
    stock_reserve(lines=[ReserveLine(variant.pk, 2)], reference="ORDER-9")
    assert stock_available(variant=variant) == 5


def test_a_failed_reservation_leaves_its_reference_free(shop, main):
    variant = VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=1)
    with pytest.raises(InventoryError):
        stock_reserve(lines=[ReserveLine(variant.pk, 2)], reference="ORDER-10")
    assert not StockReservation.objects.filter(reference="ORDER-10").exists()
    stock_receive(variant=variant, location=main, quantity=1)
    stock_reserve(lines=[ReserveLine(variant.pk, 2)], reference="ORDER-10")
    assert stock_available(variant=variant) == 0


@pytest.mark.parametrize("reference", ["", "  ", "R" * 81])
def test_a_reservation_needs_a_reference_that_fits(shop, main, reference):
    variant = VariantFactory(store=shop)
    stock_receive(variant=variant, location=main, quantity=5)
    with pytest.raises(InventoryError) as excinfo:
        stock_reserve(lines=[ReserveLine(variant.pk, 1)], reference=reference)
    assert excinfo.value.code == InventoryErrorCode.REFERENCE_INVALID
    assert stock_available(variant=variant) == 5


def _stocked_variant(quantity: int, sku: str = "RACE-1"):
    def make():
        store = Store.objects.get(slug="shop")
        product = product_create(
            store=store, names={"fr": sku}, variants=[VariantInput(sku=sku, price="5.00")]
        )
        variant = product.variants.get()
        stock_receive(
            variant=variant, location=StockLocation.objects.get(code="main"), quantity=quantity
        )
        return variant

    return make


def _level(merchant, variant):
    return committed(
        lambda: StockLevel.objects.values_list("on_hand", "reserved").get(variant=variant),
        merchant=merchant,
    )


def test_one_reservation_sent_three_times_at_once_reserves_once(race_merchant):
    variant = committed(_stocked_variant(10), merchant=race_merchant)
    reserve = lambda: stock_reserve(lines=[ReserveLine(variant.pk, 4)], reference="WEB-1")  # noqa: E731
    outcomes = in_parallel(
        reserve,
        reserve,
        reserve,
        merchant=race_merchant,
        # All three find the reference free, then wait on its unique index.
        behind=lambda: StockReservation.objects.create(reference="WEB-1"),
    )
    assert not unexpected(outcomes) and all(o.ok for o in outcomes), outcomes
    assert len({tuple(m.pk for m in o.result) for o in outcomes}) == 1
    assert _level(race_merchant, variant) == (10, 4)


def test_a_release_and_a_shipment_of_one_order_at_once_settle_it_once(race_merchant):
    """Both count what the order holds, then lock the level: the second must count again
    after the first, or it releases (or ships) another order's units."""
    variant = committed(_stocked_variant(10), merchant=race_merchant)

    def reserve_two_orders():
        stock_reserve(lines=[ReserveLine(variant.pk, 3)], reference="WEB-1")
        stock_reserve(lines=[ReserveLine(variant.pk, 4)], reference="WEB-2")

    committed(reserve_two_orders, merchant=race_merchant)
    outcomes = in_parallel(
        lambda: stock_release(reference="WEB-1"),
        lambda: stock_fulfil(reference="WEB-1"),
        merchant=race_merchant,
        behind=lambda: list(StockLevel.objects.select_for_update().filter(variant=variant)),
    )
    assert not unexpected(outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True]
    assert [o.code for o in outcomes if not o.ok] == [InventoryErrorCode.NOTHING_RESERVED]
    on_hand, reserved = _level(race_merchant, variant)
    assert reserved == 4  # WEB-2's units are still reserved
    assert on_hand in (10, 7)  # released, or shipped: once


def test_a_product_whose_last_units_go_in_two_parallel_reservations_is_out_of_stock(
    race_merchant,
):
    """Each reservation empties one variant of the product and then looks at the other: without
    the product locked first, each still sees the other variant's unit (not yet committed) and
    the product stays "in stock" with nothing left. Several rounds: the race needs both to
    look before either commits."""

    def product_with_two_units(n):
        def make():
            store = Store.objects.get(slug="shop")
            product = product_create(
                store=store,
                names={"fr": f"Duo {n}"},
                variants=[
                    VariantInput(sku=f"DUO-{n}-A", price="5.00"),
                    VariantInput(sku=f"DUO-{n}-B", price="5.00"),
                ],
            )
            main = StockLocation.objects.get(code="main")
            variants = list(product.variants.order_by("pk"))
            for variant in variants:
                stock_receive(variant=variant, location=main, quantity=1)
            return product, variants

        return make

    for n in range(5):
        product, (a, b) = committed(product_with_two_units(n), merchant=race_merchant)
        outcomes = in_parallel(
            lambda a=a, n=n: stock_reserve(lines=[ReserveLine(a.pk, 1)], reference=f"A-{n}"),
            lambda b=b, n=n: stock_reserve(lines=[ReserveLine(b.pk, 1)], reference=f"B-{n}"),
            merchant=race_merchant,
            # Both wait for their level, then go on at the same instant.
            behind=lambda a=a, b=b: list(
                StockLevel.objects.select_for_update().filter(variant__in=[a, b])
            ),
        )
        assert all(o.ok for o in outcomes), outcomes
        flag = committed(
            lambda product=product: Product.objects.get(pk=product.pk).in_stock,
            merchant=race_merchant,
        )
        assert flag is False, f"round {n}: the product still says it is in stock"


def test_closed_locations_do_not_count_anywhere(alpha, shop, main, host_client, staff_client):
    """One definition of available stock: what active locations hold beyond reservations."""
    from apps.catalog.feeds import COLUMNS, product_feed_rows
    from apps.inventory.selectors import (
        low_stock_variants,
        product_available_stock,
        products_available,
        variants_available,
    )
    from apps.inventory.services import products_stock_refresh
    from apps.tenancy.stores.roles import Role

    product = product_create(
        store=shop,
        names={"fr": "Lampe"},
        variants=[VariantInput(sku="LAMP", price="30.00", low_stock_threshold=3)],
    )
    variant = product.variants.get()
    depot = StockLocation.objects.create(name="Depot", code="depot", position=1)
    stock_receive(variant=variant, location=main, quantity=2)
    stock_receive(variant=variant, location=depot, quantity=8)
    stock_reserve(lines=[ReserveLine(variant.pk, 1)], reference="L-1")
    assert stock_available(variant=variant) == 9
    StockLocation.objects.filter(pk=depot.pk).update(is_active=False)  # the depot closes
    products_stock_refresh(product_ids=[product.pk])
    annotated = Product.objects.annotate(n=product_available_stock()).get(pk=product.pk)
    assert (
        stock_available(variant=variant),
        variants_available(variant_ids=[variant.pk])[variant.pk],
        products_available(product_ids=[product.pk])[product.pk],
        annotated.n,
    ) == (1, 1, 1, 1)
    assert [v.sku for v in low_stock_variants(store_id=shop.pk)] == ["LAMP"]
    assert Product.objects.get(pk=product.pk).in_stock  # 1 left at the main warehouse
    stock_reserve(lines=[ReserveLine(variant.pk, 1)], reference="L-2")
    assert not Product.objects.get(pk=product.pk).in_stock  # 8 at the closed depot only
    (row,) = product_feed_rows(
        store=shop, language="fr", base_url="http://x", variants_available=variants_available
    )
    assert row[COLUMNS.index("availability")] == "out of stock"
    page = host_client(alpha.storefront_host).get(f"/p/{product.slug}/").content.decode()
    assert "Out of stock" in page
    client, _ = staff_client(alpha, Role.MANAGER)
    listed = client.get("/api/v1/store/products/").json()["results"]
    assert [p["available"] for p in listed if p["slug"] == product.slug] == [0]
    connection.set_schema_to_public()
