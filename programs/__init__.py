"""Programs: programs, tracks, academic years, rotations, requirements, residents, faculty, roles."""
