"""`python manage.py compliance_report SLUG --year NAME [--json] [--as-of YYYY-MM-DD]`

Evaluates one academic year of a program in this process, exactly as the Celery job does
(the same residents, findings and figures), and prints the plain-text report or, with
`--json`, the `residency-compliance/1` document. Nothing is stored.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from compliance.engine import report_as_dict, report_as_text
from compliance.facts import compliance_report
from programs.clock import program_today
from programs.models import AcademicYear, Program


class Command(BaseCommand):
    help = "Print the compliance report of a program's academic year (text or JSON)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The program's slug")
        parser.add_argument("--year", required=True, help="Academic year name, e.g. 2027-2028")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text")
        parser.add_argument(
            "--as-of", dest="as_of", help="Evaluate as of this day, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, **options):
        program = Program.objects.filter(slug=options["slug"]).first()
        if program is None:
            raise CommandError(f"No program with the slug {options['slug']!r}.")
        names = list(
            AcademicYear.objects.for_program(program)
            .order_by("start")
            .values_list("name", flat=True)
        )
        if options["year"] not in names:
            known = ", ".join(names) or "none"
            raise CommandError(
                f"No academic year {options['year']!r} in {program.slug!r}; its years: {known}."
            )
        as_of = program_today(program)
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of must be a date like 2027-07-01, got {options['as_of']!r}."
                ) from None
        try:
            report = compliance_report(program=program, year=options["year"], as_of=as_of)
        except ValueError as error:  # facts that do not fit together, e.g. a bad stored limit
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report_as_dict(report), indent=2))
        else:
            self.stdout.write(report_as_text(report), ending="")
