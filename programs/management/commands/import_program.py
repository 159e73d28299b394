"""`manage.py import_program FILE.json [--dry-run]`: create or update a program from a bundle."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.bundle import BundleInvalid
from programs.services.imports import program_import_bundle


class Command(BaseCommand):
    help = (
        "Import a residency-bundle/1 JSON file: create the program it names or update it. "
        "Prints what changed; on a bad bundle prints every problem with its JSON path and "
        "writes nothing. See docs/bundle-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle's path, or - to read standard input")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the bundle and show what would change, without saving anything",
        )

    def handle(self, *args, file: str, dry_run: bool, verbosity: int, **options) -> None:
        try:
            raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            summary = program_import_bundle(raw=raw, dry_run=dry_run)
        except BundleInvalid as error:
            count = len(error.problems)
            heading = f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was imported."
            raise CommandError("\n".join([heading, *error.lines()])) from None
        self.stdout.write("\n".join(summary.lines(names=None if verbosity > 1 else 10)))
