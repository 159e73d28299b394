"""The spreadsheet helpers every CSV and XLSX export goes through."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook

from residency.spreadsheets import csv_bytes, safe_cell, safe_xlsx_cell, sheet_title, xlsx_append


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(lead):
    assert safe_cell(f"{lead}cmd|' /C calc'!A0") == f"'{lead}cmd|' /C calc'!A0"


@pytest.mark.parametrize("value", ["Ada Lovelace", "O'Neil", "", "2027-06-28", "a=b"])
def test_ordinary_text_is_kept(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [None, 3, -3, 2.5, datetime.date(2027, 6, 28)])
def test_values_that_are_not_text_are_kept(value):
    assert safe_cell(value) == value


def test_control_characters_are_removed_before_the_formula_check():
    assert safe_xlsx_cell("\x07=1+1") == "'=1+1"
    assert safe_xlsx_cell("line\x0bbreak\x00") == "linebreak"


def test_the_csv_writer_quotes_every_cell_that_needs_it():
    rows = [["id", "name"], ["R1", "=1+1"], ["R2", "@SUM(A1)"]]

    parsed = list(csv.reader(io.StringIO(csv_bytes(rows).decode())))

    assert parsed == [["id", "name"], ["R1", "'=1+1"], ["R2", "'@SUM(A1)"]]


def test_xlsx_append_writes_text_never_formulas():
    sheet = Workbook().active

    xlsx_append(sheet, ["=1+1", "ok\x07", 3])

    assert [c.value for c in sheet[1]] == ["'=1+1", "ok", 3]
    assert [c.data_type for c in sheet[1]] == ["s", "s", "n"]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2027-2028", "2027-2028"),
        ("2027:2028", "2027-2028"),
        ("a/b\\c?d*e[f]", "a-b-c-d-e-f-"),
        ("", "Sheet"),
        ("'quoted'", "quoted"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_titles_are_ones_excel_accepts(name, title):
    assert sheet_title(name) == title


def test_sheet_titles_are_unique_within_a_workbook():
    assert sheet_title("2027-2028", taken=["2027-2028"]) == "2027-2028 (2)"
    assert sheet_title("AY", taken=["ay", "AY (2)"]) == "AY (3)"
    long = sheet_title("y" * 40, taken=["y" * 31])
    assert long == "y" * 27 + " (2)" and len(long) == 31
