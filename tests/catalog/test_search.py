from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Brand
from apps.catalog.search import SearchFilters, product_search, search_query_clean
from apps.catalog.services import (
    VariantInput,
    category_create,
    product_create,
    product_update,
    variant_update,
)
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

        def add(names, sku, price, descriptions=None, brand="", categories=(), stock=0, gtin=""):
            product = product_create(
                store=store,
                names=names,
                descriptions=descriptions,
                brand=brand,
                category_slugs=categories,
                variants=[VariantInput(sku=sku, price=price, gtin=gtin)],
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
        add(
            {"fr": "Crème pour cuir", "de": "Lederpflege für die Straße", "en": "Leather cream"},
            "BOU-0012",
            "9.90",
            brand="Müller Frères",
            gtin="4006381333931",
        )
        add({"fr": "Cirage noir"}, "BOU-00121", "4.50")
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
    assert names(every) == [
        "Cirage noir",
        "Crème pour cuir",
        "Chaussettes en laine",
        "Casserole en fonte",
        "Chaussures de course",
    ]
    assert [p.price_from for p in every.products] == [
        Decimal("4.50"),
        Decimal("9.90"),
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
    # typo: count, suggestion, count again, exact matches, page ids, page rows
    with django_assert_max_num_queries(6):
        product_search(store=shop, query="chausettes", filters=SearchFilters(in_stock=True))
    # identifier: SKU look-up, count, exact matches, page ids, page rows
    with django_assert_max_num_queries(5):
        product_search(store=shop, query="BOU-0012")
    with django_assert_max_num_queries(4):
        product_search(store=shop, query="laine")
    with django_assert_max_num_queries(3):  # sorted: no exact matches needed
        product_search(store=shop, query="laine", sort="price")


@pytest.mark.parametrize("query", ["BOU-0012", "bou-0012", " BOU-0012 "])
def test_an_exact_sku_comes_first_and_a_longer_sku_after_it(shop, query):
    page = product_search(store=shop, query=query, language="fr")
    assert names(page) == ["Crème pour cuir", "Cirage noir"]


def test_a_sku_prefix_finds_every_product_it_starts(shop):
    assert sorted(names(product_search(store=shop, query="bou-00"))) == [
        "Cirage noir",
        "Crème pour cuir",
    ]
    assert names(product_search(store=shop, query="SOCK")) == ["Chaussettes en laine"]


def test_a_prefix_of_many_skus_lists_the_first_ones_and_says_there_are_more(shop, monkeypatch):
    import apps.catalog.search as search_module

    monkeypatch.setattr(search_module, "PREFIX_LIMIT", 1)
    page = product_search(store=shop, query="BOU-00")
    assert names(page) == ["Crème pour cuir"]  # BOU-0012 sorts before BOU-00121
    assert page.total == 1 and page.total_is_lower_bound
    exact = product_search(store=shop, query="BOU-0012")
    assert names(exact)[0] == "Crème pour cuir"


def test_a_maximum_price_alone_reads_the_lowest_price(shop):
    cheap = product_search(store=shop, filters=SearchFilters(price_max=Decimal("10")))
    assert sorted(names(cheap)) == ["Cirage noir", "Crème pour cuir"]
    both = product_search(
        store=shop, filters=SearchFilters(price_min=Decimal("5"), price_max=Decimal("10"))
    )
    assert names(both) == ["Crème pour cuir"]


def test_a_gtin_finds_its_product(shop):
    assert names(product_search(store=shop, query="4006381333931")) == ["Crème pour cuir"]
    assert product_search(store=shop, query="4006381333932").products == []


@pytest.mark.parametrize("query", ["Müller", "muller", "MULLER freres", "Lux Tricot", "sprint"])
def test_brand_names_find_their_products_with_or_without_accents(shop, query):
    assert len(product_search(store=shop, query=query, language="fr").products) == 1


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "creme", "Crème pour cuir"),  # typed without the accent
        ("fr", "CRÈME", "Crème pour cuir"),
        ("fr", "crème cuir", "Crème pour cuir"),
        ("de", "strasse", "Lederpflege für die Straße"),  # ß is written ss
        ("de", "Straße", "Lederpflege für die Straße"),
        ("fr", "ecrasee", None),
    ],
)
def test_accents_are_ignored_both_ways(shop, language, query, expected):
    page = product_search(store=shop, query=query, language=language)
    assert names(page, language) == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "Wollsocken", "Chaussettes en laine"),  # German name on the French storefront
        ("fr", "leather cream", "Crème pour cuir"),  # English name
        ("de", "Chaussures de course", "Laufschuhe"),  # French name on the German storefront
        ("en", "Gusseisentopf", "Cast iron pot"),
    ],
)
def test_a_name_in_another_catalogue_language_finds_the_product(shop, language, query, expected):
    page = product_search(store=shop, query=query, language=language)
    assert names(page, language) == [expected]
    assert page.corrected_query == ""


def test_an_exact_name_ranks_before_names_that_only_contain_the_words(shop):
    for n, name in enumerate(("Pull en laine rouge à col roulé", "Pull", "Pull en laine")):
        product_create(
            store=shop, names={"fr": name}, variants=[VariantInput(sku=f"P{n}", price="1")]
        )
    assert names(product_search(store=shop, query="pull"))[0] == "Pull"
    assert names(product_search(store=shop, query="pull en laine"))[0] == "Pull en laine"


def test_search_keys_follow_changes_of_brand_and_variants(shop):
    product = product_search(store=shop, query="Sprint").products[0]
    product_update(
        product=product,
        names={"fr": product.name_fr, "de": product.name_de, "en": product.name_en},
        descriptions={},
        brand="Velocità",
    )
    assert product_search(store=shop, query="Sprint").products == []
    assert names(product_search(store=shop, query="velocita")) == ["Chaussures de course"]
    variant = product.variants.get()
    variant_update(variant=variant, data=VariantInput(sku="SHOE", price="89", gtin="96385074"))
    assert names(product_search(store=shop, query="96385074")) == ["Chaussures de course"]
    variant_update(variant=variant, data=VariantInput(sku="SHOE", price="89", gtin=""))
    assert product_search(store=shop, query="96385074").products == []


def test_a_typo_in_a_brand_or_a_german_word_is_corrected_in_the_database(shop):
    page = product_search(store=shop, query="Mulller", language="fr")
    assert names(page) == ["Crème pour cuir"] and page.corrected_query == "muller"
    page = product_search(store=shop, query="Gusseisntopf", language="de")
    assert names(page, "de") == ["Gusseisentopf"]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("a\x00b", "a b"), ("  pull \t rouge\n", "pull rouge"), ("x" * 500, "x" * 200), (None, "")],
)
def test_queries_are_cleaned_before_they_reach_the_database(raw, cleaned):
    assert search_query_clean(raw) == cleaned


def test_control_characters_and_huge_queries_do_not_break_the_search(shop):
    assert product_search(store=shop, query="chaus\x00settes").total == 0
    assert product_search(store=shop, query="é" * 10_000).total == 0
    assert product_search(store=shop, query="'\"():*&|!<->").total == 0


def test_large_result_counts_are_capped(shop, settings, monkeypatch):
    import apps.catalog.search as search_module

    monkeypatch.setattr(search_module, "COUNT_LIMIT", 1)
    page = product_search(store=shop, query="")
    assert page.total == 1 and page.total_is_lower_bound  # "at least 1"
    assert len(page.products) == 5


def test_a_common_word_pages_by_exact_match_then_newest(shop, monkeypatch):
    import apps.catalog.search as search_module

    for n in range(4):
        product_create(
            store=shop, names={"fr": f"Pull {n}"}, variants=[VariantInput(sku=f"PU{n}", price="1")]
        )
    product_create(store=shop, names={"fr": "PULL"}, variants=[VariantInput(sku="PU", price="1")])
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 2)  # "pull" is now a common word
    first = product_search(store=shop, query="pull", limit=3)
    assert names(first) == ["PULL", "Pull 3", "Pull 2"]
    second = product_search(store=shop, query="pull", limit=3, offset=3)
    assert names(second) == ["Pull 1", "Pull 0"]
