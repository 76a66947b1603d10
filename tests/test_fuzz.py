"""Fuzz every page and endpoint with what users and clients may type: no input gives a 500.

The routes are read from the URL configurations (dashboard, storefront, store API), so a new page
or endpoint joins this test without anyone adding it. Each is called with hypothesis-generated
path values, query parameters, form fields and JSON bodies built from the nastiest inputs seen in
reviews: NUL characters, lone surrogates, non-ASCII digits, numbers out of every range, strings
longer than any column, deep nesting. A 4xx with a clear answer is fine; a 5xx fails the test.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.services import AddressInput, address_create
from apps.catalog.services import VariantInput, product_create
from apps.tenancy.stores.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NASTY_VALUES = (
    [
        "", "\x00", "a\x00b", "²", "٣", "１２", "-1", "0", "1e999999", "-1e400", "0E-1000000",
        "10000000000.00", "2147483648", "9223372036854775808", str(10**18), "NaN", "Infinity",
        "x" * 5000, "é" * 300, "'; DROP TABLE x; --", "<script>alert(1)</script>", "=1+1",
        "../../etc/passwd", "%00", "true", "null", "[]", "{}", " ", "\t\r\n", "🧦", "\ufffd",
    ]
)  # fmt: skip
NASTY = st.sampled_from(NASTY_VALUES)
# One of each kind, for the systematic sweep below (every route, every parameter).
SWEEP_VALUES = (
    "\x00", "²", "１２", "-1", "1e999999", "0E-1000000", "10000000000.00", "2147483648",
    "9223372036854775808", "NaN", "x" * 5000, "é" * 300, "=1+1", "../../etc/passwd", "🧦", "",
)  # fmt: skip
TEXT = st.one_of(NASTY, st.text(max_size=300))
PARAM_NAMES = [
    "q", "page", "page_size", "sort", "category", "in_stock", "price_min", "price_max", "store",
    "sku", "year", "quarter", "language", "active", "next", "action", "product",
    "delete", "media", "image_action", "product_image", "name", "slug", "email", "role",
    "name_fr", "brand", "tax_class", "weight_grams", "vat_rates", "change", "reason", "counted",
    "location", "v-TOTAL_FORMS", "v-INITIAL_FORMS", "v-0-sku", "v-0-price", "v-0-options",
    "first_name", "last_name", "phone", "marketing_consent", "label", "company", "vat_number",
    "line1", "line2", "postal_code", "city", "country", "kind", "default_shipping",
]  # fmt: skip
PARAMS = st.dictionaries(st.sampled_from(PARAM_NAMES), TEXT, max_size=6)
JSON_LEAVES = st.one_of(
    TEXT,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.just("\ud800"),  # a lone surrogate, sent JSON-escaped
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(PARAM_NAMES), inner, max_size=4),
    ),
    max_leaves=12,
)
PRODUCT_BODY = st.fixed_dictionaries(
    {
        "names": st.dictionaries(st.sampled_from(["fr", "de", "en", "\x00", "xx"]), TEXT),
        "variants": st.lists(
            st.fixed_dictionaries(
                {"sku": TEXT, "price": st.one_of(TEXT, st.integers(), st.floats())},
                optional={"gtin": TEXT, "options": st.dictionaries(TEXT, TEXT, max_size=2)},
            ),
            max_size=2,
        ),
    },
    optional={
        "brand": TEXT, "tax_class": TEXT, "weight_grams": st.one_of(TEXT, st.integers()),
        "categories": st.lists(TEXT, max_size=2), "vat_rates": st.dictionaries(TEXT, TEXT),
        "descriptions": st.dictionaries(st.sampled_from(["fr", "de", "en"]), TEXT),
    },
)  # fmt: skip
DEEP = "[" * 5000 + "]" * 5000
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


def routes(urlconf: str, prefix: str = "") -> list[str]:
    """Every route of our own apps in a URL configuration, converters left in."""
    found = []

    def walk(patterns, base):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name and entry.app_name.startswith(("account", "socialaccount")):
                    continue
                walk(entry.url_patterns, base + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = base + str(entry.pattern)
                if not route.startswith(("accounts/", "i18n/")):
                    found.append(route)

    walk(get_resolver(urlconf).url_patterns, prefix)
    return sorted(set(found))


def fill(route: str, data) -> str:
    def value(match):
        kind = match.group(1) or "str"
        if kind == "int":
            return str(data.draw(st.sampled_from([1, 2, 0, 10**20, 2**63]), label=match.group(2)))
        return quote(data.draw(TEXT, label=match.group(2)) or "x", safe="")

    return "/" + CONVERTER.sub(value, route)


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}"
    if response.status_code >= 400 and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        body = response.json()
        assert "code" in body and "detail" in body, f"{what} -> {body}"


@pytest.fixture
def sites(alpha, staff_client, host_client):
    with tenant_context(alpha.merchant):
        product_create(
            store=alpha.store(),
            names={"fr": "Chaussettes"},
            variants=[VariantInput(sku="SOCK-1", price="12.50")],
        )
        # A signed-in shopper with an address (id 1 or 2, which the fuzzed ids include).
        shopper_user = UserFactory(email="fuzzy@example.lu")
        address_create(
            user=shopper_user,
            data=AddressInput(
                first_name="Anne", last_name="Schmit", line1="1, rue Neuve",
                postal_code="L-1111", city="Luxembourg", country="LU",
            ),
        )  # fmt: skip
        shopper = host_client(alpha.storefront_host)
        shopper.force_login(shopper_user, backend="django.contrib.auth.backends.ModelBackend")
    owner, _ = staff_client(alpha, Role.OWNER)
    return {
        "dashboard": owner,
        "storefront": host_client(alpha.storefront_host),
        "shopper": shopper,
    }


DASHBOARD_ROUTES = routes("orion.urls_tenant")
STOREFRONT_ROUTES = routes("orion.urls_storefront")
API_ROUTES = [r for r in DASHBOARD_ROUTES if r.startswith("api/")]


def sweep_path(route: str, value: str) -> str:
    """The route with every converter set to ``value`` (ints to an out-of-range number)."""

    def one(match):
        return str(10**20) if match.group(1) == "int" else quote(value or "x", safe="")

    return "/" + CONVERTER.sub(one, route)


@pytest.mark.parametrize(
    ("site", "route"),
    [("dashboard", r) for r in DASHBOARD_ROUTES]
    + [("storefront", r) for r in STOREFRONT_ROUTES]
    + [("shopper", r) for r in STOREFRONT_ROUTES if r.startswith("account/")],
)
def test_every_route_with_every_nasty_value_in_every_parameter(sites, site, route):
    """A systematic sweep: each nasty value in every known parameter (and path part) at once."""
    client: Client = sites[site]
    for value in SWEEP_VALUES:
        path = sweep_path(route, value)
        params = dict.fromkeys(PARAM_NAMES, value)
        assert_no_server_error(client.get(path, params), f"GET {path} = {value[:20]!r}")
        if site in ("dashboard", "shopper") and not route.startswith("api/"):
            assert_no_server_error(client.post(path, params), f"POST {path} = {value[:20]!r}")


def test_the_route_lists_cover_every_area():
    assert "dashboard/products/" in DASHBOARD_ROUTES and "api/v1/store/products/" in API_ROUTES
    assert "" in STOREFRONT_ROUTES and "p/<slug:slug>/" in STOREFRONT_ROUTES
    assert "account/addresses/<int:address_id>/" in STOREFRONT_ROUTES


@FUZZ
@given(data=st.data())
def test_dashboard_and_api_pages_never_answer_a_server_error(sites, data):
    client: Client = sites["dashboard"]
    route = fill(data.draw(st.sampled_from(DASHBOARD_ROUTES), label="route"), data)
    params = data.draw(PARAMS, label="params")
    assert_no_server_error(client.get(route, params), f"GET {route} {params!r}")
    if not route.startswith("/api/"):
        assert_no_server_error(client.post(route, params), f"POST {route} {params!r}")


@FUZZ
@given(data=st.data())
def test_storefront_pages_never_answer_a_server_error(sites, data):
    site = data.draw(st.sampled_from(["storefront", "shopper"]), label="site")
    client: Client = sites[site]
    route = fill(data.draw(st.sampled_from(STOREFRONT_ROUTES), label="route"), data)
    params = data.draw(PARAMS, label="params")
    assert_no_server_error(client.get(route, params), f"GET {route} {params!r}")
    if site == "shopper":
        assert_no_server_error(client.post(route, params), f"POST {route} {params!r}")


@FUZZ
@given(data=st.data())
def test_store_api_bodies_never_answer_a_server_error(sites, data):
    client: Client = sites["dashboard"]
    route = fill(data.draw(st.sampled_from(API_ROUTES), label="route"), data)
    body = data.draw(st.one_of(PRODUCT_BODY, JSON), label="body")
    payload = json.dumps(body)
    for method in (client.post, client.put, client.patch, client.options):
        response = method(route, payload, content_type="application/json")
        assert_no_server_error(response, f"{method.__name__} {route} {payload[:200]}")


@pytest.mark.parametrize(
    "payload",
    [DEEP, '{"names": {"fr": "\\ud800"}}', '{"names": {"fr": "a\\u0000b"}}', "{", "\x00"],
)
def test_malformed_json_bodies_are_clear_400s(sites, payload):
    response = sites["dashboard"].post(
        "/api/v1/store/products/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] and response.json()["detail"]
