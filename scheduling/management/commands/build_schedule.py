"""`python manage.py build_schedule SLUG --year NAME [--time-limit S] [--seed N]`

Builds the year's schedule in this process (no worker needed), stores it as a draft version
and prints what the result means ("Best possible schedule found", "Good schedule; could be
up to 3% better"), the solver's figures, the wish loss and fairness per class. Exits
non-zero with the explanation when the rules cannot all hold, and with "No schedule found in
N s - try a longer limit" when time ran out before any schedule (not a proof of a conflict).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programs.models import AcademicYear
from scheduling.models import BuildJob
from scheduling.selectors import schedule_problem, schedule_working_version, version_rows
from scheduling.services import builds, versions
from scheduling.solver.report import fairness, wish_loss


class Command(BaseCommand):
    help = "Build a program-year's schedule with the solver and store it as a draft version."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--year", required=True, help="Academic year name, e.g. 2027-2028")
        parser.add_argument(
            "--time-limit",
            type=int,
            default=settings.SCHEDULE_BUILD_TIME_LIMIT_S,
            help="Seconds (default: the SCHEDULE_BUILD_TIME_LIMIT_S setting, 60)",
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--resolve",
            action="store_true",
            help="Re-solve the current version: keep pinned cells, change as little as it can.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the result.")

    def handle(self, *args, **options):
        year = (
            AcademicYear.objects.select_related("program")
            .filter(program__slug=options["slug"], name=options["year"])
            .first()
        )
        if year is None:
            raise CommandError(
                f"No academic year {options['year']!r} in program {options['slug']!r}."
            )
        schedule = builds.schedule_get_or_create(year=year)
        base = schedule_working_version(schedule=schedule) if options["resolve"] else None
        try:
            job = builds.build_job_create(
                schedule=schedule,
                by=None,
                base_version=base,
                time_limit_s=options["time_limit"],
                seed=options["seed"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        job = builds.build_job_run(job_id=job.pk)
        version = job.result_version
        write = self.stdout.write
        write(f"status             {job.status}")
        if job.explanation and version is not None:
            write(f"result             {job.explanation[0]}")
            for line in job.explanation[1:]:
                # What a build during the year kept as history; what the proof covers when
                # the builder chose the cohorts.
                label = "cohorts" if line.startswith("The builder chose") else "history"
                write(f"{label:<19}{line}")
        if version is not None:
            write(f"solver status      {version.solver_status}")
            write(f"version            v{version.number} (draft)")
            write(f"variables          {version.variables}")
            write(f"objective          {version.objective:g}")
            write(f"best bound         {version.best_bound:g}")
            write(f"gap                {version.gap:.4f}")
            first = version.first_solution_s
            write(f"first solution     {first:.2f} s" if first is not None else "first solution -")
            write(f"total time         {version.wall_time_s:.2f} s")
            self._figures(schedule, version)
        if job.status == BuildJob.Status.INFEASIBLE:
            lines = "\n".join(f"  - {line}" for line in job.explanation)
            raise CommandError(f"The schedule cannot be built; these rules conflict:\n{lines}")
        if job.status == BuildJob.Status.FAILED:
            raise CommandError(job.error)
        if job.status != BuildJob.Status.SUCCEEDED:
            raise CommandError(f"The build ended as {job.status}. {job.error}")
        if options["publish"]:
            versions.version_publish(version=version, by=None)
            write(f"published          v{version.number}")

    def _figures(self, schedule, version) -> None:
        """Wish loss and fairness per class (track x PGY) of the stored version."""
        problem = schedule_problem(schedule=schedule, base_version=version).with_cohorts()
        rows = version_rows(version=version)
        write = self.stdout.write
        write(f"wish loss          {wish_loss(problem, rows)} (weight x weeks of unmet wishes)")
        write("fairness per class (fewest-most per resident):")
        for line in fairness(problem, rows):
            write(f"  {line.line()}")
