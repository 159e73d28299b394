"""Just enough of JSON Schema (draft 2020-12) to check bundles against `schema.json` in tests.

jsonschema is not installed; this covers the keywords the published schema uses and fails
loudly on any other, so the schema cannot silently grow beyond what the tests check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import programs.bundle

SCHEMA_PATH = Path(programs.bundle.__file__).with_name("schema.json")
_ANNOTATIONS = {"$schema", "$id", "title", "description", "format", "$defs"}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def schema_errors(instance: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Where `instance` breaks the schema, as `path: keyword` strings (empty when it conforms)."""
    root = schema or load_schema()
    errors: list[str] = []
    _check(instance, root, root, "$", errors)
    return errors


def _check(value: Any, schema: dict, root: dict, path: str, errors: list[str]) -> None:
    for keyword, rule in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        fail = lambda: errors.append(f"{path}: {keyword}")  # noqa: B023, E731
        if keyword == "$ref":
            _check(value, root["$defs"][rule.removeprefix("#/$defs/")], root, path, errors)
        elif keyword == "type":
            if not _TYPES[rule](value):
                fail()
        elif keyword == "const":
            if value != rule or type(value) is not type(rule):
                fail()
        elif keyword == "enum":
            if value not in rule:
                fail()
        elif keyword in ("oneOf", "anyOf"):
            passing = sum(
                not schema_errors(value, {**option, "$defs": root["$defs"]}) for option in rule
            )
            if passing == 0 or (keyword == "oneOf" and passing > 1):
                fail()
        elif keyword == "required":
            if isinstance(value, dict):
                errors.extend(f"{path}.{key}: required" for key in rule if key not in value)
        elif keyword == "properties":
            if isinstance(value, dict):
                for key, sub in rule.items():
                    if key in value:
                        _check(value[key], sub, root, f"{path}.{key}", errors)
        elif keyword == "additionalProperties":
            if isinstance(value, dict) and rule is False:
                extra = set(value) - set(schema.get("properties", {}))
                errors.extend(f"{path}.{key}: additionalProperties" for key in sorted(extra))
        elif keyword == "items":
            if isinstance(value, list):
                for index, item in enumerate(value):
                    _check(item, rule, root, f"{path}[{index}]", errors)
        elif keyword in ("minItems", "maxItems", "minLength", "maxLength"):
            if isinstance(value, list | str):
                too_small = keyword.startswith("min") and len(value) < rule
                if too_small or (keyword.startswith("max") and len(value) > rule):
                    fail()
        elif keyword == "uniqueItems":
            if isinstance(value, list) and len({json.dumps(v) for v in value}) != len(value):
                fail()
        elif keyword in ("minimum", "maximum"):
            if _TYPES["number"](value) and (value < rule if keyword == "minimum" else value > rule):
                fail()
        elif keyword == "pattern":
            if isinstance(value, str) and not re.search(rule, value):
                fail()
        else:
            raise AssertionError(f"schema_check does not know the keyword {keyword!r}")
