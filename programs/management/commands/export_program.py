"""`manage.py export_program SLUG [--output FILE]`: a program as a residency-bundle/1 file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.bundle import bundle_json
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Export a program as a residency-bundle/1 JSON document (2-space indented UTF-8), "
        "to standard output or to --output FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the program's slug")
        parser.add_argument("--output", "-o", help="write to this file instead of stdout")

    def handle(self, *args, slug: str, output: str | None, **options) -> None:
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"no program with slug {slug!r}")
        text = bundle_json(program=program)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"Wrote {program.slug} to {output}.")
