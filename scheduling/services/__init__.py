"""Writes for schedules: `builds` (solver jobs), `versions` (edits, publishing), `calendar`."""
