"""Helpers the importer uses to bring rows in line with a bundle, in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Model

if TYPE_CHECKING:
    from programs.bundle.summary import KindChanges


def assign(obj: Model, values: dict[str, Any]) -> list[str]:
    """Sets `values` on `obj`; returns the names of the fields whose value changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


_LABELS = {"position": "order", "pgy_levels": "pgy"}


def label_fields(fields: Iterable[str]) -> str:
    """`["track_id", "position"]` -> `"track, order"`: field names as a person reads them."""
    return ", ".join(_LABELS.get(name, name.removesuffix("_id")) for name in fields)


def create_all(model: type[Model], objs: Sequence[Model]) -> None:
    """Inserts `objs`, setting their primary keys (one query on SQLite and PostgreSQL)."""
    if not objs:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs)
        return
    for obj in objs:  # Backends that cannot return ids from a bulk insert (MySQL).
        obj.save(force_insert=True)


def update_all(model: type[Model], objs: Sequence[Model], fields: Iterable[str]) -> None:
    """Saves `fields` of `objs` in bulk (the bulk form of `save(update_fields=...)`)."""
    fields = sorted(set(fields))
    if objs and fields:
        model.objects.bulk_update(objs, fields, batch_size=500)


@dataclass
class RowBatch:
    """One kind of row being brought in line with a bundle: what to insert, what to update,
    and each change recorded in the summary. `save()` writes both in bulk."""

    model: type[Model]
    changes: KindChanges
    describe: Callable[[Any], str]  # a row as the summary names it, e.g. "R0001 Kira Garcia"
    created: list[Model] = field(default_factory=list)
    updated: list[Model] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def create(self, obj: Model) -> None:
        self.created.append(obj)
        self.changes.created.append(self.describe(obj))

    def update(self, obj: Model, values: dict[str, Any]) -> None:
        """Set `values` on an existing row; record it (by its new name) as updated or unchanged."""
        changed = assign(obj, values)
        if changed:
            self.updated.append(obj)
            self.fields.update(changed)
            self.changes.updated.append(f"{self.describe(obj)} ({label_fields(changed)})")
        else:
            self.changes.unchanged += 1

    def save(self) -> None:
        update_all(self.model, self.updated, self.fields)
        create_all(self.model, self.created)
