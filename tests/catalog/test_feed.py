import csv
import io

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.feeds import COLUMNS
from apps.catalog.models import ProductFeed
from apps.catalog.services import VariantInput, category_create, product_create, product_feed_get
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_receive
from apps.tenancy.stores.roles import Role
from apps.vat.records.services import vat_settings_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(alpha):
    with tenant_context(alpha.merchant):
        store = alpha.store()
        clothes = category_create(store=store, names={"fr": "Vêtements", "de": "Kleidung"})
        category_create(store=store, names={"fr": "Chaussettes", "de": "Socken"}, parent=clothes)
        sock = product_create(
            store=store,
            names={"fr": "Chaussettes en laine", "de": "Wollsocken"},
            descriptions={"fr": "<p>Chaudes</p>", "de": "Warm"},
            brand="Lux Tricot",
            category_slugs=["chaussettes"],
            variants=[
                VariantInput(
                    sku="SOCK-M", price="12.50", gtin="4006381333931", options={"size": "M"}
                ),
                VariantInput(
                    sku="SOCK-L", price="10.00", compare_at_price="14.00", options={"size": "L"}
                ),
            ],
        )
        stock_receive(
            variant=sock.variants.get(sku="SOCK-M"),
            location=StockLocation.objects.get(code="main"),
            quantity=4,
        )
        product_create(
            store=store,
            names={"fr": "Ancien"},
            is_active=False,
            variants=[VariantInput(sku="OLD", price="1")],
        )
        token = product_feed_get(store=store).token
    return alpha, token


def read(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_feed_rows_per_variant_in_the_asked_language(feed, host_client):
    alpha, token = feed
    response = host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/de.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read(response)
    assert rows[0] == COLUMNS
    by_sku = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_sku) == {"SOCK-M", "SOCK-L"}  # inactive products are left out
    medium = by_sku["SOCK-M"]
    assert medium["title"] == "Wollsocken M" and medium["description"] == "Warm"
    assert medium["price"] == "12.50 EUR" and medium["sale_price"] == ""
    assert medium["availability"] == "in stock" and medium["gtin"] == "4006381333931"
    assert medium["brand"] == "Lux Tricot" and medium["product_type"] == "Kleidung > Socken"
    assert medium["link"] == f"http://{alpha.storefront_host}/p/chaussettes-en-laine/"
    large = by_sku["SOCK-L"]
    assert (large["price"], large["sale_price"], large["availability"]) == (
        "14.00 EUR",
        "10.00 EUR",
        "out of stock",
    )
    french = {
        row[0]: row
        for row in read(host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv"))[
            1:
        ]
    }
    assert french["SOCK-M"][3] == "Chaudes"  # HTML stripped


def test_product_images_are_absolute_links(feed, host_client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from apps.catalog.media import media_upload, product_image_add
    from apps.catalog.models import Product

    alpha, token = feed
    with tenant_context(alpha.merchant):
        product = Product.objects.get(name_fr="Chaussettes en laine")
        for name in ("front.png", "back.png"):
            out = io.BytesIO()
            Image.new("RGB", (20, 20)).save(out, format="PNG")
            product_image_add(
                product=product,
                image=media_upload(
                    store=alpha.store(), upload=SimpleUploadedFile(name, out.getvalue())
                ),
            )
    rows = read(host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv"))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["image_link"].startswith(f"http://{alpha.storefront_host}/media/alpha/media/")
    assert "front" in row["image_link"] and "back" in row["additional_image_link"]


def test_prices_entered_without_vat_get_the_store_rate(feed, host_client):
    alpha, token = feed
    with tenant_context(alpha.merchant):
        vat_settings_update(store=alpha.store(), data={"prices_include_vat": False})
    rows = read(host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv"))
    prices = {row[0]: row[7] for row in rows[1:]}
    assert prices["SOCK-M"] == "14.63 EUR"  # 12.50 + 17% LU VAT = 14.625 -> 14.63


def test_a_products_own_rate_for_the_store_country_wins_in_the_feed(feed, host_client):
    from apps.catalog.models import Product
    from apps.catalog.services import product_vat_rates_set

    alpha, token = feed
    with tenant_context(alpha.merchant):
        vat_settings_update(store=alpha.store(), data={"prices_include_vat": False})
        sock = Product.objects.get(variants__sku="SOCK-M")
        product_vat_rates_set(product=sock, rates={"LU": "3", "FR": "5.5"})
    rows = read(host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv"))
    prices = {row[0]: row[7] for row in rows[1:]}
    assert prices["SOCK-M"] == "12.88 EUR"  # 12.50 + 3% = 12.875 -> 12.88


def test_wrong_token_language_or_host_is_404(feed, beta, host_client):
    alpha, token = feed
    client = host_client(alpha.storefront_host)
    assert client.get("/feeds/letzshop/wrong/fr.csv").status_code == 404
    assert client.get(f"/feeds/letzshop/{token}/it.csv").status_code == 404
    assert (
        host_client(beta.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv").status_code == 404
    )
    assert (
        host_client(alpha.dashboard_host).get(f"/feeds/letzshop/{token}/fr.csv").status_code == 404
    )


def test_dashboard_shows_downloads_and_rotates_the_secret(feed, staff_client, host_client):
    alpha, token = feed
    admin, _ = staff_client(alpha, Role.ADMIN)
    page = admin.get("/dashboard/products/feed/").content.decode()
    assert f"/feeds/letzshop/{token}/fr.csv" in page
    download = admin.get("/dashboard/products/feed/fr.csv")
    assert download.status_code == 200 and len(read(download)) == 3
    manager, _ = staff_client(alpha, Role.MANAGER)
    assert manager.post("/dashboard/products/feed/").status_code == 403
    assert admin.post("/dashboard/products/feed/").status_code == 302
    with tenant_context(alpha.merchant):
        new_token = ProductFeed.objects.get().token
    assert new_token != token
    assert (
        host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv").status_code == 404
    )
    assert (
        host_client(alpha.storefront_host).get(f"/feeds/letzshop/{new_token}/fr.csv").status_code
        == 200
    )


def test_no_feed_cell_is_a_formula_in_a_spreadsheet(feed, host_client):
    alpha, token = feed
    with tenant_context(alpha.merchant):
        product_create(
            store=alpha.store(),
            names={"fr": '=HYPERLINK("http://evil.example","Cliquez")'},
            descriptions={"fr": "<p>-2+3+cmd|' /C calc'!A0</p>"},
            brand="@SUM(1+1)",
            variants=[VariantInput(sku="EVIL", price="1.00", options={"taille": "+1"})],
        )
    rows = read(host_client(alpha.storefront_host).get(f"/feeds/letzshop/{token}/fr.csv"))
    evil = dict(zip(COLUMNS, next(row for row in rows if row[0] == "EVIL"), strict=True))
    assert evil["title"] == '\'=HYPERLINK("http://evil.example","Cliquez") +1'
    assert evil["description"] == "'-2+3+cmd|' /C calc'!A0" and evil["brand"] == "'@SUM(1+1)"
    assert evil["price"] == "1.00 EUR"
    for row in rows:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)
