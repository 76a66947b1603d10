"""The Letzshop product feed: a Google-Shopping-style CSV per store and language.

One row per active variant of an active product. Prices are what a shopper pays (VAT included:
when the store enters prices without VAT, the store country's rate for the product's tax class
is added). Letzshop fetches the file from a secret address (``ProductFeed.token``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags

from apps.catalog.models import Category, Product, ProductFeed, Variant
from apps.core.spreadsheets import cell_safe
from apps.tenancy.stores.models import Store
from apps.vat.selectors import rate_table_load

COLUMNS = [
    "id", "item_group_id", "title", "description", "link", "image_link",
    "additional_image_link", "price", "sale_price", "availability", "brand", "gtin",
    "product_type",
]  # fmt: skip
BATCH = 500
# Available stock per variant id: apps.inventory.selectors.variants_available.
VariantsAvailable = Callable[..., Mapping[int, int]]


def product_feed_store(*, token: str) -> Store | None:
    feed = ProductFeed.objects.select_related("store").filter(token=token).first()
    return feed.store if feed and feed.store.is_active else None


def _gross(price: Decimal, rate: Decimal | None) -> Decimal:
    if rate is None:
        return price
    return (price * (1 + rate / 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def product_feed_rows(
    *, store: Store, language: str, base_url: str, variants_available: VariantsAvailable
) -> Iterator[list[str]]:
    """The rows of the feed. ``variants_available`` is inventory's selector of available stock
    per variant (the catalogue does not read stock): the caller passes it in."""
    from apps.vat.records.selectors import vat_settings_get

    add_vat = not vat_settings_get(store=store).prices_include_vat
    rates = rate_table_load() if add_vat else None
    today, home = timezone.localdate(), store.country.code
    # "Clothing > Socks" for every category, built once rather than per product.
    categories = list(Category.objects.filter(store=store).order_by("path"))
    product_types = {
        category.pk: " > ".join(
            getattr(a, f"name_{language}") or a.name
            for a in categories
            if category.path.startswith(a.path)
        )
        for category in categories
    }
    variants = Variant.objects.filter(is_active=True)
    products = (
        Product.objects.filter(store=store, is_active=True)
        .select_related("brand")
        .prefetch_related(
            Prefetch("variants", queryset=variants), "categories", "images__image", "vat_rates"
        )
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(products.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        stock = variants_available(
            variant_ids=[v.pk for product in batch for v in product.variants.all()]
        )
        for product in batch:
            last = product.pk
            title = getattr(product, f"name_{language}") or product.name
            description = strip_tags(getattr(product, f"description_{language}") or "")
            rate = None
            if rates:  # net prices: the feed shows them with the store's VAT
                own = {r.country: r.rate for r in product.vat_rates.all()}
                rate = own.get(home)
                if rate is None:
                    rate = rates.rate(country=home, day=today, tax_class=product.tax_class)
            category = next(iter(product.categories.all()), None)
            product_type = product_types.get(category.pk, "") if category else ""
            images = [
                url if url.startswith("http") else f"{base_url}{url}"
                for url in (pi.image.file.url for pi in product.images.all())
            ]
            for variant in product.variants.all():
                price, sale = _gross(variant.price, rate), ""
                if variant.compare_at_price and variant.compare_at_price > variant.price:
                    price, sale = (
                        _gross(variant.compare_at_price, rate),
                        _gross(variant.price, rate),
                    )
                options = " ".join(str(v) for v in variant.options.values())
                yield [
                    variant.sku,
                    str(product.pk),
                    f"{title} {options}".strip(),
                    description,
                    f"{base_url}/p/{product.slug}/",
                    images[0] if images else "",
                    ",".join(images[1:10]),
                    f"{price} EUR",
                    f"{sale} EUR" if sale else "",
                    "in stock" if stock[variant.pk] > 0 else "out of stock",
                    product.brand.name if product.brand else "",
                    variant.gtin,
                    product_type,
                ]


def product_feed_csv(
    *, store: Store, language: str, base_url: str, variants_available: VariantsAvailable
) -> Iterator[str]:
    """The feed as CSV text, produced in chunks (large catalogues stream). Merchants open it in
    spreadsheets too: every cell goes through cell_safe (a title "=..." is not a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield flush()
    for n, row in enumerate(
        product_feed_rows(
            store=store,
            language=language,
            base_url=base_url,
            variants_available=variants_available,
        ),
        start=1,
    ):
        writer.writerow([cell_safe(value) for value in row])
        if n % 200 == 0:
            yield flush()
    yield flush()
