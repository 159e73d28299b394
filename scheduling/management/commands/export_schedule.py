"""`python manage.py export_schedule SLUG --year NAME --format json|csv|xlsx|ics [--output FILE]`

Exports the published version (or, with --version-number N or when none is published, the newest
version). `json` is `residency-schedule/1` from spec/program-bundle.md.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from programs.models import AcademicYear
from scheduling.exports import FORMATS, export_version
from scheduling.models import Schedule


class Command(BaseCommand):
    help = "Export a program-year's schedule as JSON, CSV, Excel or iCalendar."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--year", required=True)
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "--version-number", type=int, help="Version number (default: the published one)"
        )
        parser.add_argument("--output", help="File to write (default: standard output)")

    def handle(self, *args, **options):
        year = AcademicYear.objects.filter(
            program__slug=options["slug"], name=options["year"]
        ).first()
        if year is None:
            raise CommandError(
                f"No academic year {options['year']!r} in program {options['slug']!r}."
            )
        schedule = Schedule.objects.filter(academic_year=year).first()
        versions = schedule.versions.order_by("-number") if schedule else None
        if not versions or not versions.exists():
            raise CommandError("This schedule has no version yet; run build_schedule first.")
        if options["version_number"] is not None:
            version = versions.filter(number=options["version_number"]).first()
            if version is None:
                raise CommandError(f"No version {options['version']}.")
        else:
            version = schedule.published_version or versions.first()
        body = export_version(version, options["format"])
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(body)
            self.stderr.write(f"Wrote v{version.number} to {options['output']}")
        elif options["format"] == "xlsx":
            sys.stdout.buffer.write(body)
        else:
            self.stdout.write(body.decode(), ending="")
