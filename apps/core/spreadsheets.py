"""Writing data that people open in spreadsheets (CSV and XLSX exports, product feeds) so that no
cell is ever taken for a formula (OWASP "CSV injection").

``cell_safe`` is the one function every export passes its cells through: text that a spreadsheet
would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
also after spaces or quotes) gets a leading ``'``. Numbers stay numbers: Python writes them as
digits with at most a leading minus, which no spreadsheet evaluates. ``cell_text_restore`` is its
exact inverse, used by imports, so that export -> edit -> import changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# What a spreadsheet may evaluate. The set is closed under putting a quote in front (a quoted
# formula is itself quoted again), which is what makes cell_text_restore an exact inverse.
_FORMULA_LIKE = re.compile(r"^(?:[\s']*[=+\-@]|'*[\t\r])")
_NUMBER_TYPES = (int, float, Decimal)


def cell_safe(value):
    """A cell value that no spreadsheet runs as a formula: None -> "", numbers and dates unchanged,
    text that could start a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (*_NUMBER_TYPES, date, datetime)):
        return value
    text = str(value)
    return f"'{text}" if _FORMULA_LIKE.match(text) else text


def cell_text_restore(text: str) -> str:
    """Undo cell_safe on text read back from a file: drop the one ``'`` it added. A quote that
    cell_safe would not have added (``'t Hoekje``) stays."""
    if text.startswith("'") and _FORMULA_LIKE.match(text[1:]):
        return text[1:]
    return text


def csv_text(*, headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A whole CSV file (UTF-8 text, comma separated), every cell through cell_safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell_safe(h) for h in headers])
    for row in rows:
        writer.writerow([cell_safe(v) for v in row])
    return out.getvalue()


def _xlsx_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    value = cell_safe(value)
    if isinstance(value, str):
        # openpyxl refuses control characters (XML cannot hold them): drop them rather than fail.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text is text: openpyxl would otherwise write "=..." as a formula and "#N/A" as an error.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(*, headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> bytes:
    """A one-sheet XLSX workbook: text cells are strings (never formulas), numbers are numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\\*?:/\[\]]", "-", title)[:31] or None)
    sheet.append([_xlsx_cell(sheet, h, bold=True) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
