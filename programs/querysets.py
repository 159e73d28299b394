"""Reusable filters over a program's rows, as QuerySet methods (`.for_program(p)`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from programs.models import Program


class ProgramQuerySet(models.QuerySet):
    """Rows that belong to one program: ``Rotation.objects.for_program(program)``."""

    def for_program(self, program: Program | int):
        return self.filter(program=program)


class RosterQuerySet(models.QuerySet):
    """The roster filters every page shares (the roster, the grid), for any model with
    ``pgy``, ``track`` and ``cohort``: residents, and residents as they stand in a version."""

    def filtered(
        self, *, pgy: int | None = None, track: str | None = None, cohort: int | None = None
    ):
        """Residents of PGY ``pgy``, on the track with code ``track``, in ``cohort``;
        a filter left as None (or empty) is not applied."""
        rows = self
        if pgy:
            rows = rows.filter(pgy=pgy)
        if track:
            rows = rows.filter(track__code=track)
        if cohort is not None:
            rows = rows.filter(cohort=cohort)
        return rows


class ResidentQuerySet(RosterQuerySet, ProgramQuerySet):
    def search(self, query: str):
        """Residents whose name or e-mail contains ``query``, or whose id is ``query``."""
        if not query:
            return self
        return self.filter(
            models.Q(name__icontains=query)
            | models.Q(email__icontains=query)
            | models.Q(external_id__iexact=query)
        )
