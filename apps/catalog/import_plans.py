"""Planning an import: what importing one product's rows does to the catalogue. The preview
(imports.py) and the run (import_services.py) plan with these same functions, against the
catalogue as it is at that moment: create the product, or update exactly what differs.

A row whose SKU is in the store updates that variant and its product; only the file's columns
change, the others keep their values (a price-only file changes prices). A product whose values
all equal the file's is "unchanged" and is not written at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.models import CATALOG_LANGUAGES, Product, Variant
from apps.catalog.services import VariantInput
from apps.tenancy.stores.models import Store
from apps.vat.codes import TaxClass

# Values of the product, taken from the first row of its group; the others are the variant's.
PRODUCT_COLUMNS = (
    *(f"name_{lang}" for lang in CATALOG_LANGUAGES),
    *(f"description_{lang}" for lang in CATALOG_LANGUAGES),
    "brand", "category", "tax_class", "weight_grams",
)  # fmt: skip
VARIANT_COLUMNS = ("price", "compare_at_price", "gtin", "options")
CATEGORY_SEPARATOR = ";"


class RowAction(TextChoices):
    CREATE = "create", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")


def newlines_normalise(text: str) -> str:
    # XLSX (XML) reads CR LF and CR as LF: compare and import text with LF only.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def categories_split(raw: str) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in raw.split(CATEGORY_SEPARATOR) if s.strip()))


def import_groups(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped into products, in file order: by ``product`` key, else each SKU alone."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        key = ("product", row["product"]) if row["product"] else ("sku", row["sku"])
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def _product_current(product: Product) -> dict:
    """A product's values as the import columns hold them."""
    values = {}
    for lang in CATALOG_LANGUAGES:
        values[f"name_{lang}"] = getattr(product, f"name_{lang}") or ""
        values[f"description_{lang}"] = newlines_normalise(
            getattr(product, f"description_{lang}") or ""
        )
    values["brand"] = product.brand.name if product.brand_id else ""
    values["category"] = sorted(c.slug for c in product.categories.all())
    values["tax_class"] = product.tax_class
    values["weight_grams"] = product.weight_grams
    return values


def _product_wanted(row: dict, current: dict | None, columns: set[str]) -> dict:
    """The product's values after the import: the file's columns, else what it has."""
    from_file = {
        **{c: row.get(c, "") for c in PRODUCT_COLUMNS if c.startswith(("name_", "description_"))},
        "brand": row.get("brand", ""),
        "category": sorted(categories_split(row.get("category", ""))),
        "tax_class": row.get("tax_class") or TaxClass.STANDARD,
        "weight_grams": int(row["weight_grams"]) if row.get("weight_grams") else None,
    }
    if current is None:
        return from_file
    return {c: from_file[c] if c in columns else current[c] for c in PRODUCT_COLUMNS}


def product_fields(values: Mapping) -> dict:
    """Keyword arguments of product_create / product_update from import values."""
    return {
        "names": {lang: values[f"name_{lang}"] for lang in CATALOG_LANGUAGES},
        "descriptions": {lang: values[f"description_{lang}"] for lang in CATALOG_LANGUAGES},
        "brand": values["brand"],
        "category_slugs": list(values["category"]),
        "tax_class": values["tax_class"],
        "weight_grams": values["weight_grams"],
    }


def _variant_current(variant: Variant) -> dict:
    return {
        "price": variant.price,
        "compare_at_price": variant.compare_at_price,
        "gtin": variant.gtin,
        "options": dict(variant.options),
    }


def variant_input(row: dict, variant: Variant | None, columns: set[str]) -> VariantInput:
    """The variant after the import: the file's columns, else what it has."""
    wanted = {
        "price": Decimal(row["price"]),
        "compare_at_price": Decimal(row["compare_at_price"]) if row["compare_at_price"] else None,
        "gtin": row["gtin"],
        "options": row["options"],
    }
    if variant is not None:
        current = _variant_current(variant)
        wanted = {c: wanted[c] if c in columns else current[c] for c in VARIANT_COLUMNS}
    return VariantInput(
        sku=row["sku"],
        low_stock_threshold=variant.low_stock_threshold if variant else 0,
        **wanted,
    )


@dataclass
class GroupPlan:
    """What importing one product's rows does: create it, or update what differs."""

    product: Product | None  # the existing product, None when the group creates one
    values: dict  # the product's values after the import
    product_changes: list[str]  # the product columns that change
    variants: list[tuple[dict, Variant | None, VariantInput, list[str]]]  # row, existing, input,
    # changed columns

    @property
    def action(self) -> RowAction:
        if self.product is None:
            return RowAction.CREATE
        changed = self.product_changes or any(
            existing is None or changes for _row, existing, _data, changes in self.variants
        )
        return RowAction.UPDATE if changed else RowAction.UNCHANGED


def group_plan(
    *, group: list[dict], existing: Mapping[str, Variant], columns: set[str]
) -> GroupPlan:
    """Plan one group against the store's variants with these SKUs (``existing``, with their
    products). Raises CatalogError when the rows cannot become one product."""
    products = {existing[row["sku"]].product for row in group if row["sku"] in existing}
    if len(products) > 1:
        raise CatalogError(
            CatalogErrorCode.IMPORT_PRODUCT_CONFLICT,
            _(
                "These SKUs belong to different products in the store (%(products)s): give "
                "their rows different product keys."
            )
            % {"products": ", ".join(sorted(p.slug for p in products))},
        )
    product = next(iter(products), None)
    current = _product_current(product) if product else None
    values = _product_wanted(group[0], current, columns)
    if not any(values[f"name_{lang}"] for lang in CATALOG_LANGUAGES):
        raise CatalogError(
            CatalogErrorCode.NAME_REQUIRED,
            _("A product needs a name (name_fr, name_de or name_en)."),
            field="name_fr",
        )
    product_changes = (
        [c for c in PRODUCT_COLUMNS if values[c] != current[c]] if current is not None else []
    )
    variants = []
    for row in group:
        variant = existing.get(row["sku"])
        data = variant_input(row, variant, columns)
        changes = []
        if variant is not None:
            current_variant = _variant_current(variant)
            changes = [c for c in VARIANT_COLUMNS if getattr(data, c) != current_variant[c]]
        variants.append((row, variant, data, changes))
    return GroupPlan(product, values, product_changes, variants)


def variants_by_sku(*, store: Store, skus: Iterable[str]) -> dict[str, Variant]:
    """The store's variants with these SKUs, with what planning reads of their products."""
    return {
        v.sku: v
        for v in Variant.objects.filter(store=store, sku__in=list(skus))
        .select_related("product__brand")
        .prefetch_related("product__categories")
    }
