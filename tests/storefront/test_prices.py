"""Storefront prices: written the shopper's language's way and saying whether VAT is included,
as the store's VAT settings say."""

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.services import VariantInput, product_create
from apps.vat.records.services import vat_settings_update

pytestmark = pytest.mark.django_db

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def shop(alpha):
    with tenant_context(alpha.merchant):
        product_create(
            store=alpha.store(),
            names={"fr": "Pull en laine", "de": "Wollpullover", "en": "Wool sweater"},
            variants=[
                VariantInput(
                    sku="PULL", price="1234.50", compare_at_price="1500", options={"size": "M"}
                )
            ],
        )
    return alpha


def prices_include_vat(fixture, included: bool) -> None:
    with tenant_context(fixture.merchant):
        vat_settings_update(store=fixture.store(), data={"prices_include_vat": included})


@pytest.mark.parametrize(
    ("language", "price", "was", "from_price", "note"),
    [
        ("fr", f"1{NNBSP}234,50{NBSP}€", f"1{NNBSP}500,00{NBSP}€", "à partir de", "TVA incluse"),
        ("de", f"1.234,50{NBSP}€", f"1.500,00{NBSP}€", "ab", "inkl. MwSt."),
        ("en", "€1,234.50", "€1,500.00", "from", "incl. VAT"),
    ],
)
def test_prices_follow_the_language_and_say_vat_is_included(
    shop, host_client, language, price, was, from_price, note
):
    prices_include_vat(shop, True)
    client = host_client(shop.storefront_host)
    product = client.get("/p/pull-en-laine/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'{price} <s class="muted">{was}</s> <span class="muted vat-note">{note}</span>' in (
        product
    )
    listing = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'{from_price} {price} <span class="muted vat-note">{note}</span>' in listing


@pytest.mark.parametrize(
    ("language", "note"), [("fr", "HT"), ("de", "zzgl. MwSt."), ("en", "excl. VAT")]
)
def test_net_prices_say_vat_is_excluded(shop, host_client, language, note):
    prices_include_vat(shop, False)
    client = host_client(shop.storefront_host)
    for path in ("/", "/p/pull-en-laine/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<span class="muted vat-note">{note}</span>' in html
        assert "incl. VAT" not in html and "TVA incluse" not in html


def test_dashboard_product_list_shows_money_and_stock_in_the_staff_language(shop, staff_client):
    client, _member = staff_client(shop, "owner")
    html = client.get("/dashboard/products/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"<td>1.234,50{NBSP}€</td>" in html
