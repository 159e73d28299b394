"""Every rotation colour is readable: the text drawn on it reaches WCAG 2.2 AA (4.5:1)."""

import json
import random

import pytest

from programs.bundle.derive import PALETTE, rotation_colors
from programs.colors import AA_NORMAL, contrast_ratio, text_color
from programs.demo import demo_bundle
from programs.validators import FALLBACK_COLOR

EVERY_PALETTE_COLOUR = sorted({c for shades in PALETTE.values() for c in shades})


def test_the_ratio_is_wcags():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1)


@pytest.mark.parametrize("background", [*EVERY_PALETTE_COLOUR, FALLBACK_COLOR])
def test_every_palette_colour_gets_readable_text(background):
    assert contrast_ratio(background, text_color(background)) >= AA_NORMAL


def test_the_demo_programs_colours_get_readable_text():
    colors = rotation_colors(demo_bundle(residents=6)["rotations"])
    assert colors
    for background in colors.values():
        assert contrast_ratio(background, text_color(background)) >= AA_NORMAL, background


def test_the_shared_demo_bundles_colours_get_readable_text(shared_demo_bundle_path):
    bundle = json.loads(shared_demo_bundle_path.read_text())
    for background in rotation_colors(bundle["rotations"]).values():
        assert contrast_ratio(background, text_color(background)) >= AA_NORMAL, background


def test_any_colour_a_program_picks_gets_readable_text():
    rng = random.Random(13)
    for _ in range(2000):
        background = "#" + "".join(f"{rng.randrange(256):02x}" for _ in range(3))
        assert contrast_ratio(background, text_color(background)) >= AA_NORMAL, background


def test_light_colours_get_dark_text_and_dark_ones_white():
    assert text_color("#66bb6a") == "#000"  # white on this green would be 2.4:1
    assert text_color("#1f3a68") == "#fff"
    assert text_color("not a colour") == text_color(FALLBACK_COLOR)
