"""Rotation attributes the bundle does not carry, derived from what it does.

- `intense`: ICU and nights count towards the program rule "no more than two consecutive
  intense blocks" (DOMAIN.md, program rules): setting `critical_care`, or "night" in the
  name, or a night-float code such as `NF`.
- `experiences`: the ACGME IM required experiences (geriatrics, palliative care, addiction
  medicine, emergency medicine, neurology) a rotation gives, recognised from its code and name.
- `color`: a colour for the schedule grid, from a fixed palette by kind and position.
"""

from __future__ import annotations

import re

# (experience, pattern over the code and name, code words that also name it)
EXPERIENCES: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = (
    ("geriatrics", re.compile(r"geri"), frozenset()),
    ("palliative care", re.compile(r"palliat|hospice"), frozenset({"pall"})),
    ("addiction medicine", re.compile(r"addict|substance"), frozenset()),
    ("emergency medicine", re.compile(r"emergenc"), frozenset({"em", "ed", "er"})),
    ("neurology", re.compile(r"neuro"), frozenset({"neuro", "neur"})),
)
_NIGHT = re.compile(r"night|\bnf\b|^nf")

# Soft, distinguishable colours; each kind of rotation has its own family.
PALETTE: dict[str, tuple[str, ...]] = {
    "vacation": ("#adb5bd", "#ced4da"),
    "ambulatory": ("#2e8b57", "#66bb6a", "#3a7d44", "#8bc34a", "#20a39e", "#5aa469"),
    "critical_care": ("#d64545", "#e57373", "#b23a48"),
    "night": ("#1f3a68", "#34495e", "#2c3e80"),
    "inpatient": ("#3b7dd8", "#5c9ded", "#2f6690", "#7aa6e0", "#4a90a4"),
    "elective_inpatient": ("#8e6cc0", "#b48ead", "#f0a04b", "#d4a373"),
}


def rotation_intense(*, code: str, name: str, setting: str) -> bool:
    """True for ICU (critical care) and night rotations."""
    return setting == "critical_care" or bool(_NIGHT.search(f"{code} {name}".lower()))


def rotation_experiences(*, code: str, name: str) -> list[str]:
    """The required experiences named by the rotation's code or name, in a fixed order.

    Short code words (`EM`, `ED`) count only in the code: in a name, "Med Ed" is not the ED.
    """
    text = f"{code} {name}".lower()
    code_words = set(re.split(r"[^a-z0-9]+", code.lower()))
    return [
        experience
        for experience, pattern, words in EXPERIENCES
        if pattern.search(text) or code_words & words
    ]


def palette_family(*, code: str, name: str, setting: str) -> str:
    if setting == "vacation":
        return "vacation"
    if setting != "critical_care" and rotation_intense(code=code, name=name, setting=setting):
        return "night"
    return setting if setting in PALETTE else "inpatient"


def rotation_colors(rotations: list[dict]) -> dict[str, str]:
    """A colour per rotation code: the n-th rotation of a family takes the family's n-th colour."""
    used: dict[str, int] = {}
    colors: dict[str, str] = {}
    for rotation in rotations:
        family = palette_family(
            code=rotation["code"], name=rotation["name"], setting=rotation["setting"]
        )
        shades = PALETTE[family]
        colors[rotation["code"]] = shades[used.get(family, 0) % len(shades)]
        used[family] = used.get(family, 0) + 1
    return colors
