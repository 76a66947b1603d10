"""The catalogue as a file (CSV or XLSX) in the import's columns, plus stock: what a merchant
edits in a spreadsheet and imports again. Every cell goes through ``cell_safe`` (no formulas)."""

from __future__ import annotations

from collections.abc import Iterator

from apps.catalog.feeds import VariantsAvailable
from apps.catalog.import_plans import CATEGORY_SEPARATOR
from apps.catalog.imports import COLUMNS
from apps.catalog.models import Product
from apps.core.spreadsheets import csv_text, xlsx_bytes
from apps.tenancy.stores.models import Store

EXPORT_COLUMNS = [*COLUMNS, "available"]


BATCH = 500


def product_export_rows(*, store: Store, variants_available: VariantsAvailable) -> Iterator[list]:
    """One row per variant, in EXPORT_COLUMNS order; prices and numbers as numbers. Stock comes
    from ``variants_available`` (inventory's one definition, passed in by the caller: the
    catalogue does not read stock)."""
    products = (
        Product.objects.filter(store=store)
        .select_related("brand")
        .prefetch_related("variants", "categories")
        .order_by("pk")
    )
    last = 0
    while batch := list(products.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        available = variants_available(
            variant_ids=[v.pk for product in batch for v in product.variants.all()]
        )
        for product in batch:
            categories = CATEGORY_SEPARATOR.join(sorted(c.slug for c in product.categories.all()))
            for variant in product.variants.all():
                yield [
                    product.slug,
                    variant.sku,
                    product.name_fr or "",
                    product.name_de or "",
                    product.name_en or "",
                    product.description_fr or "",
                    product.description_de or "",
                    product.description_en or "",
                    variant.price,
                    variant.compare_at_price,
                    variant.gtin,
                    ";".join(f"{k}={v}" for k, v in variant.options.items()),
                    product.brand.name if product.brand else "",
                    categories,
                    product.tax_class,
                    product.weight_grams,
                    available.get(variant.pk, 0),
                ]


def product_export(
    *, store: Store, file_format: str, variants_available: VariantsAvailable
) -> bytes | str:
    """Every variant of the store, with the import columns plus stock (CSV or XLSX)."""
    rows = product_export_rows(store=store, variants_available=variants_available)
    if file_format == "xlsx":
        return xlsx_bytes(headers=EXPORT_COLUMNS, rows=rows, title=store.slug)
    return csv_text(headers=EXPORT_COLUMNS, rows=rows)
