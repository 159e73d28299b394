"""What a bad bundle reports: problems with the JSON path they are found at."""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a bundle: where (a JSON path such as `$.residents[3].pgy`) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class BundleInvalid(Exception):  # noqa: N818 (the name the brief and callers use)
    """Raised instead of importing a bundle with problems; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"the bundle has {count} problem{'s' if count != 1 else ''}")

    def lines(self) -> list[str]:
        """Every problem as `path: message`, one per item."""
        return [str(problem) for problem in self.problems]


def key_path(path: str, key: str) -> str:
    """The path of `key` inside the object at `path`: `$.program.name`, or `$['odd key']`."""
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"


def index_path(path: str, index: int) -> str:
    """The path of item `index` of the list at `path`: `$.residents[12]`."""
    return f"{path}[{index}]"
