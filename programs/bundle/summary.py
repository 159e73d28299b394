"""What an import changed (or, in a dry run, would change), per kind of record."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS: dict[str, str] = {
    "program": "Program",
    "academic_years": "Academic years",
    "tracks": "Tracks",
    "rotations": "Rotations",
    "requirements": "Requirements",
    "residents": "Residents",
    "requests": "Requests",
    "faculty": "Faculty",
}


@dataclass
class KindChanges:
    """Names of the records created, updated (with the fields that changed) and removed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
        }


@dataclass
class ImportSummary:
    """The outcome of `bundle_import`: per kind, what was (or would be) created, updated,
    left unchanged and removed. A re-import of the same bundle has no changes at all."""

    slug: str
    dry_run: bool = False
    kinds: dict[str, KindChanges] = field(
        default_factory=lambda: {kind: KindChanges() for kind in KINDS}
    )

    def __getitem__(self, kind: str) -> KindChanges:
        return self.kinds[kind]

    @property
    def created(self) -> int:
        return sum(len(changes.created) for changes in self.kinds.values())

    @property
    def updated(self) -> int:
        return sum(len(changes.updated) for changes in self.kinds.values())

    @property
    def removed(self) -> int:
        return sum(len(changes.removed) for changes in self.kinds.values())

    @property
    def changed(self) -> bool:
        return any(changes.changed for changes in self.kinds.values())

    def rows(self) -> list[tuple[str, KindChanges]]:
        """`(label, changes)` per kind, in a fixed order, for pages and commands."""
        return [(KINDS[kind], self.kinds[kind]) for kind in KINDS]

    def lines(self, *, names: int | None = 10) -> list[str]:
        """A plain-text report: counts per kind, then up to `names` names (all when None) of
        what is created (+), updated (~) and removed (-)."""
        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} program {self.slug!r}: {self.created} created, {self.updated} updated, "
            f"{self.removed} removed."
        ]
        for label, changes in self.rows():
            counts = changes.counts()
            lines.append(
                f"  {label}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts['removed']} removed"
            )
            for action, listed in (
                ("+", changes.created),
                ("~", changes.updated),
                ("-", changes.removed),
            ):
                shown = listed if names is None else listed[:names]
                lines.extend(f"    {action} {name}" for name in shown)
                if len(listed) > len(shown):
                    lines.append(f"    {action} ... and {len(listed) - len(shown)} more")
        if self.dry_run:
            lines.append("Dry run: nothing was saved.")
        return lines
