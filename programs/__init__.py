"""Programs: programs, tracks, years, rotations, requirements, residents, faculty, roles."""
