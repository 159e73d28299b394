"""A rotation's colour is a `#rrggbb` everywhere: refused otherwise at input, and whatever is
stored (an old row, a raw fix) never reaches an HTML attribute or the XLSX unchecked."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Rotation
from scheduling.exports import export_version
from scheduling.grid_html import cell_html
from tests.factories import RotationFactory

YEAR = "2027-2028"
HOSTILE = [
    '#fff" onmouseover="alert(1)',
    "#fff;background-image:url(https://evil.example/x)",
    "red",
    "#12345g",
    "",
]
# What a rotation's colour column (seven characters) can hold at all, hostile or not: a
# longer value never reaches the database on PostgreSQL.
STORED_HOSTILE = ['#f"><b>', "#f;u:1", "red", "#12345g", ""]


@pytest.mark.parametrize("color", [*HOSTILE, "#fff", "#1234567", "1a2b3c"])
def test_the_model_refuses_anything_but_rrggbb(db, color):
    rotation = RotationFactory()
    rotation.color = color

    with pytest.raises(ValidationError) as raised:
        rotation.full_clean()

    assert "color" in raised.value.message_dict


@pytest.mark.parametrize("color", ["#1a2B3c", "#000000", "#FFFFFF"])
def test_rrggbb_colours_pass(db, color):
    rotation = RotationFactory(color=color)

    rotation.full_clean()


def test_the_bundle_import_gives_every_rotation_a_valid_colour(built):
    for rotation in Rotation.objects.filter(program=built.program):
        rotation.full_clean()


@pytest.mark.parametrize("color", STORED_HOSTILE)
def test_a_stored_bad_colour_never_reaches_the_grids_html(client, built, two_programs, color):
    Rotation.objects.filter(program=built.program).update(color=color)
    client.force_login(two_programs.director)

    page = client.get(reverse("scheduling:grid", args=["alpha", YEAR])).content.decode()

    assert '"><b>' not in page and "#f;u:1" not in page
    assert 'style="background-color:#6c757d;color:#fff"' in page  # the cells fall back to grey
    assert 'style="background: #6c757d; color: #fff"' in page  # and so does the legend


@pytest.mark.parametrize("color", HOSTILE)
def test_an_edited_cell_falls_back_to_grey_too(color):
    html = cell_html(resident_pk=1, week=0, code="ICU", color=color, pinned=False, is_y=False)

    assert 'style="background-color:#6c757d;color:#fff"' in html
    assert "evil" not in html and "alert" not in html


def test_every_value_in_a_grid_attribute_is_escaped(client, built, two_programs):
    Rotation.objects.filter(program=built.program, code="ICU").update(code='I"CU')
    client.force_login(two_programs.director)

    page = client.get(reverse("scheduling:grid", args=["alpha", YEAR])).content.decode()

    assert 'data-code="I"CU"' not in page
    assert "I&quot;CU" in page


@pytest.mark.parametrize("color", STORED_HOSTILE)
def test_a_stored_bad_colour_does_not_break_the_xlsx_export(built, color):
    Rotation.objects.filter(program=built.program).update(color=color)

    sheet = load_workbook(io.BytesIO(export_version(built.version, "xlsx"))).active

    assert sheet.max_row == len(built.residents) + 1
