"""The bundle's rules, applied to one record a form or the API is about to save.

There is one set of rules: the checks `bundle_problems` runs on an imported bundle. A form
does not repeat them. It exports the program as a bundle (`bundle_export`), puts the record
it is about to save in its place (or at the end, for a new one), runs `bundle_problems`, and
turns each problem found at that record's path into an error on the matching form field.
Problems elsewhere in the document that the change causes (and that were not there before)
are reported too, as errors of the whole form.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from programs.bundle.exporter import bundle_export
from programs.bundle.validate import bundle_problems
from programs.models import Program

_INDEX = re.compile(r"^\[(\d+)\]")


@dataclass
class RecordProblems:
    """Problems of one record: by the path inside it (`code`, `staffing[0].min`), and others."""

    by_path: dict[str, list[str]] = field(default_factory=dict)
    elsewhere: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_path or self.elsewhere)


def record_problems(
    *,
    program: Program | None,
    section: str,
    record: dict[str, Any],
    replaces: Any = None,
    key: str = "code",
    at: int | None = None,
    base: dict[str, Any] | None = None,
) -> RecordProblems:
    """What `bundle_problems` says about `record` in `section` of `program`'s bundle.

    `replaces` is the key (code, name, id) of the record it replaces, or `at` its index (for
    requirements, which have no key); neither adds a new one.
    `base` is the bundle to check against when there is no program yet (a new program).
    References to a renamed code (a requirement naming a track or rotation, a resident's
    track) follow the rename, as the database's foreign keys do.
    """
    data = copy.deepcopy(base) if base is not None else bundle_export(program=program)
    before = {str(problem) for problem in bundle_problems(data)}
    if section in ("program", "template"):
        data[section] = record
        prefix = f"$.{section}"
    else:
        items = data[section]
        index = at
        if index is None and replaces is not None:
            index = next((i for i, item in enumerate(items) if item[key] == replaces), None)
        if index is None:
            items.append(record)
            index = len(items) - 1
        else:
            items[index] = record
            if replaces is not None and record.get(key) != replaces:
                _follow_rename(data, section, replaces, record.get(key))
        prefix = f"$.{section}[{index}]"
    result = RecordProblems()
    for problem in bundle_problems(data):
        if problem.path == prefix or problem.path.startswith((prefix + ".", prefix + "[")):
            inner = problem.path[len(prefix) :].lstrip(".")
            result.by_path.setdefault(inner, []).append(problem.message)
        elif str(problem) not in before:
            result.elsewhere.append(str(problem))
    return result


def _follow_rename(data: dict[str, Any], section: str, old: Any, new: Any) -> None:
    if section == "tracks":
        for requirement in data["requirements"]:
            if isinstance(requirement["tracks"], list):
                requirement["tracks"] = [new if t == old else t for t in requirement["tracks"]]
        for resident in data["residents"]:
            if resident["track"] == old:
                resident["track"] = new
    elif section == "rotations":
        for requirement in data["requirements"]:
            requirement["rotations"] = [new if r == old else r for r in requirement["rotations"]]
        for resident in data["residents"]:
            for request in resident.get("requests", ()):
                if request.get("rotation") == old:
                    request["rotation"] = new


def split_index(inner: str) -> tuple[str, int | None, str]:
    """`staffing[2].min` -> ("staffing", 2, "min"); `code` -> ("code", None, "")."""
    name, _, rest = inner.partition("[")
    if not rest:
        return inner, None, ""
    match = _INDEX.match("[" + rest)
    if match is None:
        return inner, None, ""
    tail = ("[" + rest)[match.end() :].lstrip(".")
    return name, int(match.group(1)), tail
