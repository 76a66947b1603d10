"""Product import files (CSV or XLSX): reading them, checking every row, and planning each product.

Import is two steps. ``import_file_read`` parses the file and checks every row without writing
anything (the preview): each value goes through the same checks as the catalog services
(``apps.catalog.rules``: lengths, number ranges and NUL characters read from the model fields;
SKU, GTIN, options, tax class, categories), so a row the preview accepts is one the database
accepts. ``product_import_run`` (import_services.py, a Celery task) then applies the plan product
by product.

Rows sharing a ``product`` key are the variants of one product. A row whose SKU is already in the
store updates that variant and its product (create-or-update by SKU), so that export -> edit in a
spreadsheet -> import round-trips: only the columns present in the file change, and a product
whose values all equal the file's is left untouched ("unchanged").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.models import CATALOG_LANGUAGES, Brand, Category, Product, Variant
from apps.catalog.rules import field_value_check, price_parse, whole_number_parse
from apps.catalog.services import VariantInput, gtin_validate, options_parse, sku_clean
from apps.core.spreadsheets import cell_text_restore
from apps.tenancy.stores.models import Store
from apps.vat.codes import TaxClass

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = [
    "product", "sku", "name_fr", "name_de", "name_en", "description_fr", "description_de",
    "description_en", "price", "compare_at_price", "gtin", "options", "brand", "category",
    "tax_class", "weight_grams",
]  # fmt: skip
REQUIRED = {"sku", "price"}
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


@dataclass
class ImportPreview:
    rows: list[dict]  # every parsed row, with its line number, action and changed columns
    errors: list[dict] = field(default_factory=list)  # {"line": n, "message": "..."}
    products: int = 0
    columns: list[str] = field(default_factory=list)  # the import columns the file has

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


def _csv_records(content: bytes) -> Iterable[list]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_records(content: bytes) -> Iterable[tuple]:
    # data_only: a formula cell gives the value the spreadsheet computed, never the formula.
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    return sheet.iter_rows(values_only=True, max_col=len(COLUMNS) * 4)


def _records(content: bytes, file_name: str) -> list[list]:
    """The file's records (header first), at most MAX_ROWS + 1 of them."""
    if len(content) > MAX_BYTES:
        raise _file_error(_("The file is larger than 5 MB. Split it in several files."))
    name = file_name.lower()
    if not name.endswith((".csv", ".xlsx")):
        raise _file_error(_("Upload a .csv or .xlsx file."))
    try:
        reader = _xlsx_records(content) if name.endswith(".xlsx") else _csv_records(content)
        records = []
        for record in reader:
            records.append(list(record))
            if len(records) > MAX_ROWS + 1:
                raise _file_error(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
        return records
    except CatalogError:
        raise
    except Exception as exc:  # csv and openpyxl raise many kinds for broken files
        raise _file_error(_("The file could not be read: %(error)s") % {"error": exc}) from exc


def _cell(value) -> tuple[str, bool]:
    """A cell as clean text, and whether it held NUL characters (replaced: the preview is stored
    in PostgreSQL, which refuses them; the row is refused anyway)."""
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # XLSX numbers: 250.0 grams is "250"
    text = _newlines(str(value))
    had_nul = "\x00" in text
    return cell_text_restore(text.replace("\x00", "\ufffd").strip()), had_nul


def _newlines(text: str) -> str:
    # XLSX (XML) reads CR LF and CR as LF: compare and import text with LF only.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _categories_split(raw: str) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in raw.split(CATEGORY_SEPARATOR) if s.strip()))


def _row_check(row: dict, *, categories: set[str]) -> list[str]:
    """Check one row and normalise its values in place (prices to two decimals, GTIN digits,
    options as a dict); return its problems."""
    problems = []

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CatalogError as error:
            problems.append(error.message)
            return None

    row["sku"] = check(sku_clean, sku=row["sku"]) or row["sku"]
    for column in ("price", "compare_at_price"):
        value = row[column].replace(",", ".")  # Excel in French or German writes 79,00
        price = check(
            price_parse,
            value,
            model=Variant,
            field_name=column,
            required=column == "price",
            label=column,
        )
        if price is not None:
            row[column] = str(price)
    if row["gtin"]:
        row["gtin"] = check(gtin_validate, gtin=row["gtin"]) or row["gtin"]
    for lang in CATALOG_LANGUAGES:
        name = f"name_{lang}"
        check(field_value_check, model=Product, field_name=name, value=row[name], label=name)
    check(field_value_check, model=Brand, field_name="name", value=row["brand"], label="brand")
    weight = check(
        whole_number_parse,
        row["weight_grams"],
        model=Product,
        field_name="weight_grams",
        label="weight_grams",
    )
    if weight is not None:
        row["weight_grams"] = str(weight)
    if row["tax_class"] and row["tax_class"] not in TaxClass.values:
        problems.append(_("Unknown tax class “%(value)s”.") % {"value": row["tax_class"]})
    slugs = _categories_split(row["category"])
    for slug in slugs:
        if slug not in categories:
            problems.append(_("Unknown category “%(value)s”.") % {"value": slug})
    row["category"] = CATEGORY_SEPARATOR.join(slugs)
    options = check(options_parse, raw=row["options"])
    row["options"] = options if options is not None else {}
    return problems


def import_groups(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped into products, in file order: by ``product`` key, else each SKU alone."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        key = ("product", row["product"]) if row["product"] else ("sku", row["sku"])
        groups.setdefault(key, []).append(row)
    return list(groups.values())


# --- Planning: what importing a group does to the catalogue (the preview and the run) -------


def _product_current(product: Product) -> dict:
    """A product's values as the import columns hold them."""
    values = {}
    for lang in CATALOG_LANGUAGES:
        values[f"name_{lang}"] = getattr(product, f"name_{lang}") or ""
        values[f"description_{lang}"] = _newlines(getattr(product, f"description_{lang}") or "")
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
        "category": sorted(_categories_split(row.get("category", ""))),
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


def _group_consistency(group: list[dict], columns: set[str]) -> list[dict]:
    """A product's values come from its first row: another row that says otherwise is refused
    rather than silently ignored (blank cells are fine)."""
    first, errors = group[0], []
    for row in group[1:]:
        for column in PRODUCT_COLUMNS:
            if column in columns and row[column] and row[column] != first[column]:
                errors.append(
                    {
                        "line": row["line"],
                        "message": _(
                            "%(column)s differs from line %(first)d, the first row of this "
                            "product: the rows of one product share its %(column)s."
                        )
                        % {"column": column, "first": first["line"]},
                    }
                )
    return errors


def import_file_read(*, store: Store, content: bytes, file_name: str) -> ImportPreview:
    """Parse and check a product file. Raises CatalogError when the file as a whole is unusable;
    row problems are listed with their line numbers (line 1 is the header)."""
    records = _records(content, file_name)
    headers = [_cell(h)[0].lower() for h in (records[0] if records else [])]
    missing = sorted(REQUIRED - set(headers))
    if missing:
        raise _file_error(
            _("Missing columns: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    columns = [c for c in COLUMNS if c in headers]
    categories = set(Category.objects.filter(store=store).values_list("slug", flat=True))
    preview = ImportPreview(rows=[], columns=columns)
    seen: set[str] = set()
    for line, values in enumerate(records[1:], start=2):
        cells = dict(zip(headers, values, strict=False))
        if not any(_cell(v)[0] for v in cells.values()):
            continue  # blank rows
        row = {"line": line}
        problems = []
        for column in COLUMNS:
            row[column], had_nul = _cell(cells.get(column))
            if had_nul:
                problems.append(
                    _("%(column)s contains a NUL character: remove it, or save the file as UTF-8.")
                    % {"column": column}
                )
        problems += _row_check(row, categories=categories)
        if row["sku"] in seen:
            problems.append(_("SKU %(sku)s appears twice in the file.") % {"sku": row["sku"]})
        seen.add(row["sku"])
        preview.errors += [{"line": line, "message": problem} for problem in problems]
        preview.rows.append(row)
    _plan_preview(store=store, preview=preview)
    preview.errors.sort(key=lambda e: e["line"])
    return preview


def _plan_preview(*, store: Store, preview: ImportPreview) -> None:
    """Say for each row what the import will do (new, update and which columns, unchanged)."""
    columns = set(preview.columns)
    groups = import_groups(preview.rows)
    preview.products = len(groups)
    bad_lines = preview.error_lines
    existing = variants_by_sku(
        store=store, skus=[r["sku"] for r in preview.rows if r["line"] not in bad_lines]
    )
    claimed: dict[int, int] = {}  # product id -> first line of the group that updates it
    for group in groups:
        inconsistent = _group_consistency(group, columns)
        preview.errors += inconsistent
        if inconsistent or bad_lines.intersection(row["line"] for row in group):
            continue
        try:
            plan = group_plan(group=group, existing=existing, columns=columns)
        except CatalogError as error:
            preview.errors.append({"line": group[0]["line"], "message": error.message})
            continue
        if plan.product is not None:
            first = claimed.setdefault(plan.product.pk, group[0]["line"])
            if first != group[0]["line"]:
                preview.errors.append(
                    {
                        "line": group[0]["line"],
                        "message": _(
                            "These rows update the same product as line %(line)d: give them "
                            "the same product key."
                        )
                        % {"line": first},
                    }
                )
                continue
        for index, (row, variant, _data, changes) in enumerate(plan.variants):
            row["changes"] = (plan.product_changes if index == 0 else []) + changes
            if plan.product is None or variant is None:
                row["action"] = RowAction.CREATE.value
            else:
                row["action"] = (
                    RowAction.UPDATE.value if row["changes"] else RowAction.UNCHANGED.value
                )
        group[0]["product_action"] = plan.action.value
