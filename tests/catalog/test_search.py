from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Brand
from apps.catalog.search import SearchFilters, product_search, similarity
from apps.catalog.services import VariantInput, category_create, product_create
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive
from apps.tenancy.stores.services import store_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        clothes = category_create(store=store, names={"fr": "Vêtements"})
        category_create(store=store, names={"fr": "Cuisine"})

        def add(names, sku, price, descriptions=None, brand="", categories=(), stock=0):
            product = product_create(
                store=store,
                names=names,
                descriptions=descriptions,
                brand=brand,
                category_slugs=categories,
                variants=[VariantInput(sku=sku, price=price)],
            )
            if stock:
                stock_receive(
                    variant=product.variants.get(),
                    location=StockLocation.objects.get(code="main"),
                    quantity=stock,
                )
            return product

        add(
            {"fr": "Chaussettes en laine", "de": "Wollsocken", "en": "Wool socks"},
            "SOCK",
            "12.50",
            descriptions={"fr": "Tricotées au Luxembourg."},
            brand="Lux Tricot",
            categories=["vetements"],
            stock=3,
        )
        add(
            {"fr": "Chaussures de course", "de": "Laufschuhe", "en": "Running shoes"},
            "SHOE",
            "89.00",
            brand="Sprint",
            categories=["vetements"],
        )
        add(
            {"fr": "Casserole en fonte", "de": "Gusseisentopf", "en": "Cast iron pot"},
            "POT",
            "45.00",
            descriptions={"en": "Keeps soups warm for hours."},
            categories=["cuisine"],
            stock=1,
        )
        store.clothes = clothes
        yield store


def names(page, lang="fr"):
    return [getattr(p, f"name_{lang}") for p in page.products]


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "chaussette", ["Chaussettes en laine"]),  # singular finds plural (stemming)
        ("fr", "tricoté", ["Chaussettes en laine"]),  # description, stemmed
        ("de", "Laufschuh", ["Laufschuhe"]),
        ("en", "shoe", ["Running shoes"]),
        ("en", "run", ["Running shoes"]),
        ("en", "soup", ["Cast iron pot"]),
    ],
)
def test_language_stemming(shop, language, query, expected):
    page = product_search(store=shop, query=query, language=language)
    assert names(page, language) == expected
    assert page.corrected_query == ""


@pytest.mark.parametrize(
    ("language", "typo", "expected", "corrected"),
    [
        ("fr", "chausettes", "Chaussettes en laine", "chaussettes"),
        ("fr", "casserolle", "Casserole en fonte", "casserole"),
        ("de", "Wolsocken", "Wollsocken", "wollsocken"),
        ("en", "runing shoes", "Running shoes", "running shoes"),
    ],
)
def test_a_typo_still_finds_the_product(shop, language, typo, expected, corrected):
    page = product_search(store=shop, query=typo, language=language)
    assert names(page, language) == [expected]
    assert page.corrected_query == corrected


def test_nonsense_finds_nothing(shop):
    page = product_search(store=shop, query="xylophone quantique", language="fr")
    assert page.products == [] and page.total == 0


def test_filters_and_sorting(shop):
    every = product_search(store=shop, sort="price")
    assert names(every) == ["Chaussettes en laine", "Casserole en fonte", "Chaussures de course"]
    assert [p.price_from for p in every.products] == [
        Decimal("12.50"),
        Decimal("45.00"),
        Decimal("89.00"),
    ]
    assert names(product_search(store=shop, sort="-price"))[0] == "Chaussures de course"
    in_clothes = product_search(store=shop, filters=SearchFilters(category_id=shop.clothes.pk))
    assert sorted(names(in_clothes)) == ["Chaussettes en laine", "Chaussures de course"]
    priced = product_search(
        store=shop, filters=SearchFilters(price_min=Decimal("20"), price_max=Decimal("50"))
    )
    assert names(priced) == ["Casserole en fonte"]
    stocked = product_search(store=shop, filters=SearchFilters(in_stock=True), sort="name")
    assert names(stocked) == ["Casserole en fonte", "Chaussettes en laine"]
    brand = Brand.objects.get(name="Sprint")
    assert names(
        product_search(store=shop, query="chaussures", filters=SearchFilters(brand_id=brand.pk))
    ) == ["Chaussures de course"]


def test_search_stays_within_its_store(shop, alpha):
    outlet = store_create(merchant=alpha.merchant, name="Outlet", slug="outlet")
    product_create(
        store=outlet,
        names={"fr": "Chaussettes de l'outlet"},
        variants=[VariantInput(sku="O1", price="1")],
    )
    assert names(product_search(store=shop, query="chaussettes")) == ["Chaussettes en laine"]
    assert names(product_search(store=outlet, query="chaussettes")) == ["Chaussettes de l'outlet"]


def test_search_query_count_is_bounded(shop, django_assert_max_num_queries):
    product_search(store=shop, query="chausettes")  # warms the vocabulary cache
    with django_assert_max_num_queries(6):
        product_search(store=shop, query="chausettes", filters=SearchFilters(in_stock=True))


def test_trigram_similarity_matches_pg_trgm_definition():
    assert similarity("word", "word") == 1.0
    # "  chausettes " has 11 trigrams, "  chaussettes " 12, sharing 10: 10 / (11 + 12 - 10)
    assert round(similarity("chausettes", "chaussettes"), 3) == round(10 / 13, 3)
    assert similarity("abc", "xyz") == 0.0


def test_large_result_counts_are_capped(shop, settings, monkeypatch):
    import apps.catalog.search as search_module

    monkeypatch.setattr(search_module, "COUNT_LIMIT", 1)
    page = product_search(store=shop, query="")
    assert page.total == 2 and page.total_is_lower_bound  # "more than 1"
    assert len(page.products) == 3
