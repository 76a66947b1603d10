import pytest
from django_tenants.utils import tenant_context

from apps.catalog.services import VariantInput, product_create
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(alpha, beta):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        for n in range(30):
            product = product_create(
                store=store,
                names={"fr": f"Chaussettes en laine {n}", "de": f"Wollsocken {n}"},
                variants=[VariantInput(sku=f"S{n}", price=f"{10 + n}.00", options={"size": "M"})],
            )
            if n % 2:
                stock_receive(
                    variant=product.variants.get(),
                    location=StockLocation.objects.get(code="main"),
                    quantity=3,
                )
        product_create(
            store=store,
            names={"fr": "Casserole en fonte"},
            variants=[VariantInput(sku="POT", price="45")],
        )
    with tenant_context(beta.merchant):
        product_create(
            store=beta.store(),
            names={"fr": "Produit de Beta"},
            variants=[VariantInput(sku="B", price="1")],
        )
    return alpha


def test_home_lists_the_catalogue_with_pagination(
    catalog, host_client, django_assert_max_num_queries
):
    client = host_client(catalog.storefront_host)
    with django_assert_max_num_queries(11):  # the 11th: the store's VAT settings (price note)
        page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200 and "31 products" in html
    assert html.count('class="card product-card"') == 24 and "Next" in html
    second = client.get("/?page=2").content.decode()
    assert second.count('class="card product-card"') == 7 and "Previous" in second
    assert "Produit de Beta" not in html + second


def test_search_with_a_typo_filters_and_sort(catalog, host_client):
    client = host_client(catalog.storefront_host)
    html = client.get(
        "/?q=chausettes&in_stock=1&sort=price", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Aucun résultat pour « chausettes ». Résultats pour « chaussettes »." in html
    assert "15 produits" in html  # the odd ones have stock
    assert html.index("Chaussettes en laine 1<") < html.index("Chaussettes en laine 3<")
    german = client.get("/?q=Wollsocke", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "30 Produkte" in german and "Wollsocken 29" in german  # German stemming


def test_search_by_sku_by_a_name_in_another_language_and_nothing_found(catalog, host_client):
    client = host_client(catalog.storefront_host)
    html = client.get("/?q=pot", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Casserole en fonte" in html and "1 produit" in html
    html = client.get("/?q=Wollsocken+7", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Chaussettes en laine 7<" in html  # the German name, on the French storefront
    html = client.get("/?q=xylophone", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Aucun résultat pour « xylophone »." in html
    html = client.get("/?q=xylophone", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing matches “xylophone”. Try fewer or other words." in html
    assert "Produit de Beta" not in client.get("/?q=B").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?q=%ED%A0%80",
        "?page=%C2%B2",
        "?page=1000000000000000000",
        "?price_min=1e999999",
        "?price_max=0E-1000000",
        "?price_min=10000000000.00",
        "?page=abc",
        "?page=-3",
        "?price_min=xyz&price_max=1e999",
        "?sort=drop",
        "?q=" + "x" * 5000,
    ],
)
def test_garbage_parameters_never_break_the_page(catalog, host_client, query):
    assert host_client(catalog.storefront_host).get("/" + query).status_code == 200


@pytest.mark.parametrize("query", ["?q=%00", "?q=caf%C3%A9%00", "?sort=%00", "?in%00stock=1"])
def test_a_nul_character_is_a_clear_400(catalog, host_client, query):
    response = host_client(catalog.storefront_host).get("/" + query)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_product_page_and_isolation(catalog, beta, host_client):
    client = host_client(catalog.storefront_host)
    page = client.get("/p/chaussettes-en-laine-1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "€11.00" in html and "incl. VAT" in html and "In stock" in html
    assert client.get("/p/chaussettes-en-laine-0/").content.decode().count("Out of stock") == 1
    assert client.get("/p/produit-de-beta/").status_code == 404
    assert host_client(beta.storefront_host).get("/p/chaussettes-en-laine-1/").status_code == 404
