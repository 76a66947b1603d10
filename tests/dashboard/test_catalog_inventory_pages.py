import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Product, Variant
from apps.catalog.services import VariantInput, product_create
from apps.inventory.models import StockLevel, StockLocation, StockMovement
from apps.inventory.services import ReserveLine, stock_receive, stock_reserve
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        made = []
        for n in range(3):
            product = product_create(
                store=store, names={"fr": f"Bougie {n}"},
                variants=[VariantInput(sku=f"BG-{n}", price="9.90", low_stock_threshold=5)],
                is_active=n != 2,
            )  # fmt: skip
            made.append(product)
        main = StockLocation.objects.get(code="main")
        stock_receive(variant=made[0].variants.get(), location=main, quantity=20)
        stock_receive(variant=made[1].variants.get(), location=main, quantity=4)
        stock_reserve(lines=[ReserveLine(made[1].variants.get().pk, 3)], reference="O-1")
    return made


def test_product_list_shows_inactive_products_and_stock(
    alpha, products, staff_client, django_assert_max_num_queries
):
    client, _ = staff_client(alpha, Role.VIEWER)
    # session, user, staff, store, stores, categories (filter), count, page ids, rows
    with django_assert_max_num_queries(13):
        html = client.get("/dashboard/products/").content.decode()
    assert "Bougie 0" in html and "Bougie 2" in html and "inactive" in html
    assert "<td>20</td>" in html and "<td>1</td>" in html  # available = 4 on hand - 3 reserved
    assert "Apply" not in html  # a viewer cannot change products


def test_bulk_activate_and_deactivate(alpha, beta, products, staff_client):
    manager, _ = staff_client(alpha, Role.MANAGER)
    ids = [str(p.pk) for p in products] + ["abc"]
    response = manager.post(
        "/dashboard/products/", {"action": "deactivate", "product": ids}, follow=True
    )
    assert "2 products changed." in response.content.decode()
    with tenant_context(alpha.merchant):
        assert not Product.objects.filter(is_active=True).exists()
    manager.post("/dashboard/products/", {"action": "activate", "product": [products[0].pk]})
    with tenant_context(alpha.merchant):
        assert list(Product.objects.filter(is_active=True)) == [products[0]]
    staff, _ = staff_client(alpha, Role.STAFF)
    assert (
        staff.post("/dashboard/products/", {"action": "activate", "product": ids[:1]}).status_code
        == 403
    )
    nothing = manager.post("/dashboard/products/", {"action": "explode"}, follow=True)
    assert "Select products and an action." in nothing.content.decode()


def test_inventory_low_stock_and_adjustments(alpha, products, staff_client):
    client, _ = staff_client(alpha, Role.STAFF)
    overview = client.get("/dashboard/inventory/").content.decode()
    assert "BG-1" in overview and "BG-0" not in overview  # 1 available <= 5; 20 is fine
    with tenant_context(alpha.merchant):
        variant_id = products[1].variants.get().pk
        main = StockLocation.objects.get(code="main")
    url = f"/dashboard/inventory/variants/{variant_id}/"
    ok = client.post(url, {"location": main.pk, "change": "2", "reason": "found in the back"})
    assert ok.status_code == 302
    refused = client.post(url, {"location": main.pk, "change": "-5", "reason": "lost"})
    assert refused.status_code == 400 and "cannot go down by 5" in refused.content.decode()
    missing = client.post(url, {"location": main.pk, "change": "1", "reason": ""})
    assert missing.status_code == 400
    page = client.get(url).content.decode()
    assert "found in the back" in page and "+2 → 6" in page
    with tenant_context(alpha.merchant):
        level = StockLevel.objects.get(variant_id=variant_id)
        assert (level.on_hand, level.reserved) == (6, 3)
        assert StockMovement.objects.filter(level=level, kind="adjustment").count() == 1


def test_viewers_cannot_adjust_and_other_merchants_see_nothing(alpha, beta, products, staff_client):
    with tenant_context(alpha.merchant):
        variant_id = products[0].variants.get().pk
    viewer, _ = staff_client(alpha, Role.VIEWER)
    assert (
        viewer.post(f"/dashboard/inventory/variants/{variant_id}/", {"change": "1"}).status_code
        == 403
    )
    owner_b, _ = staff_client(beta, Role.OWNER)
    assert owner_b.get(f"/dashboard/inventory/variants/{variant_id}/").status_code == 404
    assert "Bougie" not in owner_b.get("/dashboard/products/").content.decode()
    with tenant_context(alpha.merchant):
        assert Variant.objects.filter(pk=variant_id).exists()


def test_product_search_finds_skus_and_says_when_nothing_matches(
    alpha, beta, products, staff_client, django_assert_max_num_queries
):
    client, _ = staff_client(alpha, Role.VIEWER)
    with django_assert_max_num_queries(15):
        html = client.get("/dashboard/products/?q=bg-2").content.decode()
    assert "Bougie 2" in html and "Bougie 0" not in html  # an inactive product, by its SKU
    assert "Bougie 1" in client.get("/dashboard/products/?q=BG-").content.decode()
    html = client.get("/dashboard/products/?q=bougei").content.decode()
    assert "Showing results for “bougie”" in html and "Bougie 0" in html
    html = client.get("/dashboard/products/?q=zzzz+qqqq").content.decode()
    assert "No product matches “zzzz qqqq”." in html and "No products yet." not in html
    with tenant_context(beta.merchant):
        product_create(
            store=beta.store(), names={"fr": "Bougie de Beta"},
            variants=[VariantInput(sku="BETA-1", price="1")],
        )  # fmt: skip
    assert "Bougie de Beta" not in client.get("/dashboard/products/?q=BETA-1").content.decode()
