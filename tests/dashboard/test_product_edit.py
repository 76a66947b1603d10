import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Product, Variant
from apps.catalog.services import category_create
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "name_fr": "Pull en laine", "name_de": "Wollpullover", "name_en": "",
        "description_fr": "Chaud", "description_de": "", "description_en": "",
        "brand": "Atelier", "category": "vetements", "tax_class": "standard",
        "weight_grams": "350", "is_active": "on",
        "v-TOTAL_FORMS": "2", "v-INITIAL_FORMS": "0",
        "v-MIN_NUM_FORMS": "0", "v-MAX_NUM_FORMS": "100",
        "v-0-sku": "PULL-S", "v-0-price": "79.00", "v-0-options": "size=S", "v-0-is_active": "on",
        "v-1-sku": "PULL-M", "v-1-price": "79.00", "v-1-options": "size=M", "v-1-is_active": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        category_create(store=alpha.store(), names={"fr": "Vêtements"})
    return alpha


def test_create_then_edit_a_product_with_variants(shop, staff_client):
    client, _ = staff_client(shop, Role.MANAGER)
    assert client.get("/dashboard/products/new/").status_code == 200
    created = client.post("/dashboard/products/new/", form())
    assert created.status_code == 302
    with tenant_context(shop.merchant):
        product = Product.objects.get()
        variant_s = product.variants.get(sku="PULL-S")
        assert (product.name_de, product.weight_grams, product.categories.get().slug) == (
            "Wollpullover",
            350,
            "vetements",
        )
    page = client.get(f"/dashboard/products/{product.pk}/").content.decode()
    assert "PULL-S" in page and "size=M" in page
    edit = form(**{
        "v-TOTAL_FORMS": "3", "v-INITIAL_FORMS": "2",
        "v-0-id": str(variant_s.pk), "v-0-price": "69.00",
        "v-1-id": str(variant_s.pk + 1),
        "v-2-sku": "PULL-L", "v-2-price": "85.00", "v-2-options": "size=L", "v-2-is_active": "on",
        "name_en": "Wool sweater",
    })  # fmt: skip
    assert client.post(f"/dashboard/products/{product.pk}/", edit).status_code == 302
    with tenant_context(shop.merchant):
        product.refresh_from_db()
        prices = dict(Variant.objects.filter(product=product).values_list("sku", "price"))
        assert {k: str(v) for k, v in prices.items()} == {
            "PULL-S": "69.00",
            "PULL-M": "79.00",
            "PULL-L": "85.00",
        }
        assert (product.name_en, str(product.price_from)) == ("Wool sweater", "69.00")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"v-1-gtin": "123"}, "not a valid GTIN"),
        ({"v-1-options": "size"}, "size=M;colour=red"),
        ({"name_fr": "", "name_de": ""}, "needs a name"),
        ({"v-1-price": "-2"}, "zero or more"),
        # Limits of the database columns: a clear error, never a 500.
        ({"v-1-price": "1e400"}, "no more than 12 digits"),
        ({"v-1-price": "10000000000.00"}, "no more than 12 digits"),
        ({"name_fr": "x" * 201}, "at most 200 characters"),
        ({"brand": "b" * 121}, "at most 120 characters"),
        ({"weight_grams": "2147483648"}, "less than or equal to 2147483647"),
    ],
)
def test_bad_input_shows_an_error_and_writes_nothing(shop, staff_client, overrides, message):
    client, _ = staff_client(shop, Role.OWNER)
    response = client.post("/dashboard/products/new/", form(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    with tenant_context(shop.merchant):
        assert not Product.objects.exists() and not Variant.objects.exists()


def test_staff_cannot_edit_and_other_merchants_cannot_see(shop, beta, staff_client):
    manager, _ = staff_client(shop, Role.MANAGER)
    manager.post("/dashboard/products/new/", form())
    with tenant_context(shop.merchant):
        product_id = Product.objects.get().pk
    staff, _ = staff_client(shop, Role.STAFF)
    assert staff.get(f"/dashboard/products/{product_id}/").status_code == 200
    assert staff.post(f"/dashboard/products/{product_id}/", form()).status_code == 403
    other, _ = staff_client(beta, Role.OWNER)
    assert other.get(f"/dashboard/products/{product_id}/").status_code == 404


def test_deactivating_the_variant_with_stock_takes_the_product_out_of_stock(shop, staff_client):
    """The catalogue does not read stock: the page asks inventory to refresh the flag."""
    from apps.inventory.models import StockLocation
    from apps.inventory.services import stock_receive

    client, _ = staff_client(shop, Role.MANAGER)
    assert client.post("/dashboard/products/new/", form()).status_code == 302
    with tenant_context(shop.merchant):
        product = Product.objects.get()
        small = product.variants.get(sku="PULL-S")
        stock_receive(variant=small, location=StockLocation.objects.get(code="main"), quantity=2)
        product.refresh_from_db()
        assert product.in_stock
    edit = {
        "v-INITIAL_FORMS": "2", "v-0-id": str(small.pk), "v-0-is_active": "",
        "v-1-id": str(product.variants.get(sku="PULL-M").pk),
    }  # fmt: skip

    def in_stock_after(data):
        assert client.post(f"/dashboard/products/{product.pk}/", form(**data)).status_code == 302
        with tenant_context(shop.merchant):
            return Product.objects.values_list("in_stock", flat=True).get(pk=product.pk)

    assert not in_stock_after(edit)
    assert in_stock_after({**edit, "v-0-is_active": "on"})
