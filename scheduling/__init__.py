"""Scheduling: the X+Y template, the solver, schedule versions, edits, publishing, calendars and
compliance."""
