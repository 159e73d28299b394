"""Mentoring: pairing residents with faculty mentors, meeting logs, cadence and reminders."""
