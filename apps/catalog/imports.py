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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.catalog.errors import CatalogError, CatalogErrorCode
from apps.catalog.import_plans import (
    CATEGORY_SEPARATOR,
    PRODUCT_COLUMNS,
    RowAction,
    categories_split,
    group_plan,
    import_groups,
    newlines_normalise,
    variants_by_sku,
)
from apps.catalog.models import CATALOG_LANGUAGES, Brand, Category, Product, Variant
from apps.catalog.rules import field_value_check, price_parse, whole_number_parse
from apps.catalog.services import gtin_validate, options_parse, sku_clean
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
    reader = None
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
    except csv.Error as exc:  # e.g. a cell of more than 131,072 characters
        raise _file_error(
            _("Line %(line)d could not be read: %(error)s")
            % {"line": getattr(reader, "line_num", 0), "error": exc}
        ) from exc
    except Exception as exc:  # csv and openpyxl raise many kinds for broken files
        raise _file_error(_("The file could not be read: %(error)s") % {"error": exc}) from exc


def _cell(value) -> tuple[str, bool]:
    """A cell as clean text, and whether it held NUL characters (replaced: the preview is stored
    in PostgreSQL, which refuses them; the row is refused anyway)."""
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # XLSX numbers: 250.0 grams is "250"
    text = newlines_normalise(str(value))
    had_nul = "\x00" in text
    return cell_text_restore(text.replace("\x00", "\ufffd").strip()), had_nul


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
    slugs = categories_split(row["category"])
    for slug in slugs:
        if slug not in categories:
            problems.append(_("Unknown category “%(value)s”.") % {"value": slug})
    row["category"] = CATEGORY_SEPARATOR.join(slugs)
    options = check(options_parse, raw=row["options"])
    row["options"] = options if options is not None else {}
    return problems


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
