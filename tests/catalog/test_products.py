import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.models import Category, Product, Variant
from apps.catalog.services import VariantInput, category_create, gtin_validate, product_create
from apps.tenancy.stores.services import store_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        yield alpha.store()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("4006381333931", "4006381333931"),  # EAN-13
        ("400-6381-333931", "4006381333931"),
        ("73513537", "73513537"),  # EAN-8
        ("036000291452", "036000291452"),  # UPC-A
        ("10012345678902", "10012345678902"),  # GTIN-14
        ("", ""),
    ],
)
def test_valid_gtins(raw, clean):
    assert gtin_validate(gtin=raw) == clean


@pytest.mark.parametrize("raw", ["4006381333932", "12345", "ABCDEFGHIJKLM", "400638133393100"])
def test_invalid_gtins(raw):
    with pytest.raises(CatalogError) as excinfo:
        gtin_validate(gtin=raw)
    assert excinfo.value.code == CatalogErrorCode.GTIN_INVALID and excinfo.value.field == "gtin"


def test_product_text_in_three_languages_with_fallback(shop):
    product = product_create(
        store=shop,
        names={"fr": "Chaussettes en laine", "de": "Wollsocken"},
        descriptions={"fr": "Chaudes et douces.", "en": "Warm and soft."},
        variants=[VariantInput(sku="SOCK-M", price="12.50", options={"size": "M"})],
    )
    seen = {}
    for lang in ("fr", "de", "en"):
        with translation.override(lang):
            again = Product.objects.get(pk=product.pk)
            seen[lang] = (again.name, again.description)
    assert seen == {
        "fr": ("Chaussettes en laine", "Chaudes et douces."),
        "de": ("Wollsocken", "Chaudes et douces."),  # no German description: French
        "en": ("Chaussettes en laine", "Warm and soft."),  # no English name: French
    }
    assert product.slug == "chaussettes-en-laine"


def test_product_with_variants_sku_unique_per_store(shop, alpha):
    product_create(
        store=shop, names={"fr": "T-shirt"}, variants=[VariantInput(sku="TS-1", price="20")]
    )
    with pytest.raises(CatalogError) as excinfo:
        product_create(
            store=shop, names={"fr": "Autre"}, variants=[VariantInput(sku="TS-1", price="5")]
        )
    assert excinfo.value.code == CatalogErrorCode.SKU_TAKEN
    assert Product.objects.filter(name_fr="Autre").count() == 0  # all or nothing
    outlet = store_create(merchant=alpha.merchant, name="Outlet", slug="outlet")
    product_create(
        store=outlet, names={"fr": "T-shirt"}, variants=[VariantInput(sku="TS-1", price="15")]
    )
    assert Variant.objects.filter(sku="TS-1").count() == 2


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        (VariantInput(sku="", price="1"), CatalogErrorCode.SKU_INVALID),
        (VariantInput(sku="has space", price="1"), CatalogErrorCode.SKU_INVALID),
        (VariantInput(sku="OK", price="-1"), CatalogErrorCode.PRICE_INVALID),
        (VariantInput(sku="OK", price="1.999"), CatalogErrorCode.PRICE_INVALID),
        (VariantInput(sku="OK", price="abc"), CatalogErrorCode.PRICE_INVALID),
        (VariantInput(sku="OK", price="1", gtin="123"), CatalogErrorCode.GTIN_INVALID),
    ],
)
def test_bad_variant_input_writes_nothing(shop, variant, code):
    with pytest.raises(CatalogError) as excinfo:
        product_create(store=shop, names={"fr": "Produit"}, variants=[variant])
    assert excinfo.value.code == code
    assert not Product.objects.exists()


def test_categories_tree_and_unknown_category(shop):
    clothes = category_create(store=shop, names={"fr": "Vêtements", "de": "Kleidung"})
    socks = category_create(store=shop, names={"fr": "Chaussettes"}, parent=clothes)
    assert Category.objects.get_parent(socks) == clothes
    assert list(Category.objects.get_children(clothes)) == [socks]
    product = product_create(store=shop, names={"fr": "Sock"}, category_slugs=["chaussettes"])
    assert list(product.categories.all()) == [socks]
    with pytest.raises(CatalogError) as excinfo:
        product_create(store=shop, names={"fr": "X"}, category_slugs=["chaussettes", "nope"])
    assert (
        excinfo.value.code == CatalogErrorCode.CATEGORY_UNKNOWN and "nope" in excinfo.value.message
    )


def test_a_product_needs_a_name(shop):
    with pytest.raises(CatalogError) as excinfo:
        product_create(store=shop, names={"fr": "  "})
    assert excinfo.value.code == CatalogErrorCode.NAME_REQUIRED


def test_a_category_name_is_unique_per_store(shop):
    category_create(store=shop, names={"fr": "Vêtements"})
    with pytest.raises(CatalogError) as excinfo:
        category_create(store=shop, names={"fr": "vêtements"})
    assert excinfo.value.code == CatalogErrorCode.CATEGORY_EXISTS
