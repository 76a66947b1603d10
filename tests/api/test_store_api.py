import json

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.models import Product
from apps.catalog.services import VariantInput, category_create, product_create
from apps.inventory.models import StockLevel
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db
NEW_PRODUCT = {
    "names": {"fr": "Pull en laine", "de": "Wollpullover", "en": "Wool sweater"},
    "descriptions": {"fr": "Chaud."},
    "brand": "Atelier",
    "categories": ["vetements"],
    "tax_class": "standard",
    "variants": [
        {"sku": "PULL-S", "price": "79.00", "options": {"size": "S"}, "gtin": "4006381333931"},
        {"sku": "PULL-M", "price": "79.00", "options": {"size": "M"}},
    ],
}


@pytest.fixture
def catalog(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        category_create(store=store, names={"fr": "Vêtements"})
        product_create(
            store=store,
            names={"fr": "Chaussettes"},
            variants=[VariantInput(sku="SOCK", price="12")],
        )
    return alpha


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_create_then_list_then_read_a_product(catalog, staff_client):
    client, _ = staff_client(catalog, Role.MANAGER)
    created = post(client, "/api/v1/store/products/", NEW_PRODUCT)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["names"] == NEW_PRODUCT["names"] and body["categories"] == ["vetements"]
    assert [v["sku"] for v in body["variants"]] == ["PULL-S", "PULL-M"]
    assert body["price_from"] == "79.00" and body["brand"] == "Atelier"
    listing = client.get("/api/v1/store/products/?q=pull").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]
    for query in ("pull-m", "4006381333931", "Wollpullover", "atelier"):
        found = client.get("/api/v1/store/products/", {"q": query}).json()
        assert [p["id"] for p in found["results"]] == [body["id"]], query
    typo = client.get("/api/v1/store/products/?q=chausettes").json()
    assert typo["corrected_query"] == "chaussettes" and typo["count"] == 1
    every = client.get("/api/v1/store/products/?page_size=1").json()
    assert every["count"] == 2 and len(every["results"]) == 1
    assert client.get(f"/api/v1/store/products/{body['id']}/").json()["slug"] == "pull-en-laine"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"variants": [{"sku": "X", "price": "1", "gtin": "123"}]}, "gtin_invalid", "gtin"),
        ({"variants": [{"sku": "SOCK", "price": "1"}]}, "sku_taken", "sku"),
        ({"variants": [{"sku": "X", "price": "-1"}]}, "price_invalid", "price"),
        ({"variants": [{"sku": "X", "price": "abc"}]}, "invalid", "variants"),
        ({"categories": ["nope"]}, "category_unknown", "categories"),
        ({"names": {"xx": "Name"}}, "invalid", "names"),
        ({"tax_class": "luxury"}, "invalid", "tax_class"),
        # Past the limits of the database columns: the services refuse them, never a 500.
        ({"names": {"fr": "N" * 201}}, "value_invalid", "name_fr"),
        ({"weight_grams": 2147483648}, "value_invalid", "weight_grams"),
        ({"brand": "B" * 121}, "value_invalid", "brand"),
    ],
)
def test_bad_input_is_a_400_with_code_and_detail_and_nothing_is_written(
    catalog, staff_client, change, code, field
):
    client, _ = staff_client(catalog, Role.OWNER)
    response = post(client, "/api/v1/store/products/", {**NEW_PRODUCT, **change})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["detail"] and field in body["fields"]
    with tenant_context(catalog.merchant):
        assert not Product.objects.filter(name_fr="Pull en laine").exists()


def test_malformed_json_is_a_400(catalog, staff_client):
    client, _ = staff_client(catalog, Role.OWNER)
    response = client.post("/api/v1/store/products/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_roles_and_authentication(catalog, staff_client, host_client):
    anonymous = host_client(catalog.dashboard_host).get("/api/v1/store/products/")
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "not_authenticated"
    viewer, _ = staff_client(catalog, Role.VIEWER)
    assert viewer.get("/api/v1/store/products/").status_code == 200
    refused = post(viewer, "/api/v1/store/products/", NEW_PRODUCT)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


def test_other_merchants_cannot_reach_this_store(catalog, beta, staff_client):
    client, _ = staff_client(catalog, Role.OWNER)
    with tenant_context(catalog.merchant):
        product_id = Product.objects.get().pk
    # alpha's session on beta's host: anonymous there
    assert client.get("/api/v1/store/products/", HTTP_HOST=beta.dashboard_host).status_code == 403
    owner_b, _ = staff_client(beta, Role.OWNER)
    assert owner_b.get(f"/api/v1/store/products/{product_id}/").status_code == 404
    assert owner_b.get("/api/v1/store/products/").json()["count"] == 0
    # the storefront host does not serve the store API
    assert (
        client.get("/api/v1/store/products/", HTTP_HOST=catalog.storefront_host).status_code == 404
    )


def test_stock_adjustment_and_levels(catalog, staff_client):
    client, _ = staff_client(catalog, Role.STAFF)
    done = post(
        client,
        "/api/v1/store/stock/adjustments/",
        {"sku": "SOCK", "change": 7, "reason": "inventory"},
    )
    assert done.status_code == 201 and done.json()["on_hand"] == 7
    levels = client.get("/api/v1/store/stock/?sku=SOCK").json()["results"]
    assert levels == [
        {"sku": "SOCK", "location": "main", "on_hand": 7, "reserved": 0, "available": 7}
    ]
    too_much = post(
        client, "/api/v1/store/stock/adjustments/", {"sku": "SOCK", "change": -8, "reason": "x"}
    )
    assert too_much.status_code == 400 and too_much.json()["code"] == "below_reserved"
    unknown = post(
        client, "/api/v1/store/stock/adjustments/", {"sku": "NOPE", "change": 1, "reason": "x"}
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "sku_unknown"
    no_reason = post(client, "/api/v1/store/stock/adjustments/", {"sku": "SOCK", "change": 1})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    with tenant_context(catalog.merchant):
        assert StockLevel.objects.get().on_hand == 7


def test_categories_and_unknown_store(catalog, staff_client):
    client, _ = staff_client(catalog, Role.VIEWER)
    assert client.get("/api/v1/store/categories/").json()["results"][0]["slug"] == "vetements"
    missing = client.get("/api/v1/store/products/?store=nope")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_product_list_query_count(catalog, staff_client, django_assert_max_num_queries):
    client, _ = staff_client(catalog, Role.VIEWER)
    with tenant_context(catalog.merchant):
        store = catalog.store()
        for n in range(20):
            product_create(
                store=store,
                names={"fr": f"Article {n}"},
                variants=[VariantInput(sku=f"A{n}", price="1")],
            )
    # the same for 21 products as for 1: one query per relation (variants, categories, VAT rates)
    with django_assert_max_num_queries(15):
        assert len(client.get("/api/v1/store/products/").json()["results"]) == 21
