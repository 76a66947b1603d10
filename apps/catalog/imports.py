"""Product import and export files (CSV or XLSX, read and written by tablib).

Import is two steps. ``import_file_read`` parses the file and checks every row without writing
anything (the preview: columns, prices, GTINs, tax classes, categories, SKUs), and
``product_import_run`` (a Celery task, see tasks.py) creates the products group by group through
``product_create``, each group in its own savepoint: a bad row never leaves half a product, and
the good rows are imported. Rows sharing a ``product`` key become variants of one product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.utils.translation import gettext as _

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.models import CATALOG_LANGUAGES, Category, Product, Variant
from apps.catalog.services import SKU_PATTERN, gtin_validate, options_parse
from apps.tenancy.stores.models import Store
from apps.vat.codes import TaxClass

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = [
    "product", "sku", "name_fr", "name_de", "name_en", "description_fr", "description_de",
    "description_en", "price", "compare_at_price", "gtin", "options", "brand", "category",
    "tax_class",
]  # fmt: skip
REQUIRED = {"sku", "price"}


@dataclass
class ImportPreview:
    rows: list[dict]  # every parsed row, with its line number
    errors: list[dict] = field(default_factory=list)  # {"line": n, "message": "..."}
    products: int = 0

    @property
    def error_lines(self) -> set[int]:
        return {error["line"] for error in self.errors}


def _file_error(message: str) -> CatalogError:
    return CatalogError(CatalogErrorCode.FILE_INVALID, message, field="file")


def _decode(content: bytes) -> str:
    if b"\x00" in content[:4096]:
        raise _file_error(_("The file is not a text CSV (UTF-16 or binary?). Save it as UTF-8."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error(_("The file's encoding is not readable. Save it as UTF-8."))


def _dataset(content: bytes, file_name: str) -> tablib.Dataset:
    if len(content) > MAX_BYTES:
        raise _file_error(_("The file is larger than 5 MB. Split it in several files."))
    try:
        if file_name.lower().endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if file_name.lower().endswith(".csv"):
            text = _decode(content)
            delimiter = (
                ";"
                if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",")
                else ","
            )
            return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except CatalogError:
        raise
    except Exception as exc:  # tablib and openpyxl raise many kinds for broken files
        raise _file_error(_("The file could not be read: %(error)s") % {"error": exc}) from exc
    raise _file_error(_("Upload a .csv or .xlsx file."))


def _check_row(
    row: dict, *, categories: set[str], skus_in_store: set[str], seen: set[str]
) -> list[str]:
    problems = []
    sku = row["sku"]
    if not SKU_PATTERN.match(sku):
        problems.append(_("SKU “%(sku)s” is not valid.") % {"sku": sku})
    elif sku in skus_in_store:
        problems.append(_("SKU %(sku)s already exists in this store.") % {"sku": sku})
    elif sku in seen:
        problems.append(_("SKU %(sku)s appears twice in the file.") % {"sku": sku})
    seen.add(sku)
    for column in ("price", "compare_at_price"):
        if row[column] == "" and column == "compare_at_price":
            continue
        try:
            value = Decimal(row[column].replace(",", "."))
            if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
                raise InvalidOperation
            row[column] = str(value)
        except InvalidOperation:
            problems.append(
                _("%(column)s “%(value)s” is not a price.")
                % {"column": column, "value": row[column]}
            )
    if row["gtin"]:
        try:
            row["gtin"] = gtin_validate(gtin=row["gtin"])
        except CatalogError as error:
            problems.append(error.message)
    if row["tax_class"] and row["tax_class"] not in TaxClass.values:
        problems.append(_("Unknown tax class “%(value)s”.") % {"value": row["tax_class"]})
    if row["category"] and row["category"] not in categories:
        problems.append(_("Unknown category “%(value)s”.") % {"value": row["category"]})
    try:
        row["options"] = options_parse(raw=row["options"])
    except CatalogError as error:
        problems.append(error.message)
    if not any(row[f"name_{lang}"] for lang in CATALOG_LANGUAGES):
        problems.append(_("A product needs a name (name_fr, name_de or name_en)."))
    return problems


def import_file_read(*, store: Store, content: bytes, file_name: str) -> ImportPreview:
    """Parse and check a product file. Raises CatalogError when the file as a whole is unusable;
    row problems are listed with their line numbers (line 1 is the header)."""
    data = _dataset(content, file_name)
    headers = [str(h or "").strip().lower() for h in (data.headers or [])]
    missing = sorted(REQUIRED - set(headers))
    if missing:
        raise _file_error(
            _("Missing columns: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    if len(data) > MAX_ROWS:
        raise _file_error(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    categories = set(Category.objects.filter(store=store).values_list("slug", flat=True))
    skus_in_store = set(Variant.objects.filter(store=store).values_list("sku", flat=True))
    preview = ImportPreview(rows=[])
    seen: set[str] = set()
    for index, values in enumerate(data, start=2):
        raw = dict(zip(headers, values, strict=False))
        row = {column: str(raw.get(column) or "").strip() for column in COLUMNS}
        row["line"] = index
        for problem in _check_row(
            row, categories=categories, skus_in_store=skus_in_store, seen=seen
        ):
            preview.errors.append({"line": index, "message": problem})
        preview.rows.append(row)
    preview.products = len({row["product"] or row["sku"] for row in preview.rows})
    return preview


def import_groups(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped into products, in file order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["product"] or row["sku"], []).append(row)
    return list(groups.values())


def product_export(*, store: Store, file_format: str) -> bytes | str:
    """Every variant of the store, with the import columns plus stock (CSV or XLSX)."""
    data = tablib.Dataset(headers=[*COLUMNS, "available"])
    products = (
        Product.objects.filter(store=store)
        .select_related("brand")
        .prefetch_related("variants__stock_levels", "categories")
        .order_by("pk")
    )
    for product in products.iterator(chunk_size=500):
        category = next(iter(product.categories.all()), None)
        for variant in product.variants.all():
            available = sum(level.available for level in variant.stock_levels.all())
            data.append(
                [
                    product.slug,
                    variant.sku,
                    product.name_fr or "",
                    product.name_de or "",
                    product.name_en or "",
                    product.description_fr or "",
                    product.description_de or "",
                    product.description_en or "",
                    f"{variant.price}",
                    f"{variant.compare_at_price or ''}",
                    variant.gtin,
                    ";".join(f"{k}={v}" for k, v in variant.options.items()),
                    product.brand.name if product.brand else "",
                    category.slug if category else "",
                    product.tax_class,
                    available,
                ]
            )
    return data.export("xlsx" if file_format == "xlsx" else "csv")
