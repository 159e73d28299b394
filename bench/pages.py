"""`python -m bench.pages [--residents 400]`: server time and queries of the heaviest pages.

Builds a generated program in a scratch SQLite database, schedules it, then times the
director's grid (residents x 52 weeks) and a cell edit through Django's test client, which
measures server time without a network. Targets (issue #3): grid under a second with a fixed
number of queries; a cell edit under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def _setup(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # As in production, the compliance recompute an edit enqueues runs on a worker, not
    # inside the request (its own cost is in bench.compliance).
    os.environ["CELERY_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(call, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=400)
    parser.add_argument("--time-limit", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(os.path.join(folder, "bench.sqlite3"))
        from django.test import Client
        from django.urls import reverse

        from accounts.models import User
        from programs.bundle import bundle_import
        from programs.bundle.generator import generate_bundle
        from programs.models import Program, Role
        from scheduling.models import BuildJob
        from scheduling.services import builds

        bundle = generate_bundle(residents=args.residents, seed=11, slug="bench-im")
        bundle_import(data=bundle)
        program = Program.objects.get(slug="bench-im")
        year = program.academic_years.get()
        schedule = builds.schedule_get_or_create(year=year)
        job = BuildJob.objects.create(schedule=schedule, time_limit_s=args.time_limit)
        job = builds.build_job_run(job_id=job.pk)
        version = job.result_version
        director = User.objects.create_user(email="bench@example.org", password="x")
        Role.objects.create(user=director, program=program, kind=Role.Kind.DIRECTOR)
        client = Client()
        client.force_login(director)
        grid_url = reverse("scheduling:grid", args=[program.slug, year.name])
        edit_url = reverse("scheduling:cell_edit", args=[program.slug, year.name, version.number])
        cell = version.assignments.select_related("rotation").first()
        codes = [cell.rotation.code, "VAC"]

        def grid():
            assert client.get(grid_url).status_code == 200

        flip = iter(range(10**6))

        def edit():
            code = codes[next(flip) % 2]
            data = {"resident": cell.resident_id, "week": cell.week, "rotation": code}
            assert client.post(edit_url, data).status_code == 200

        grid_time, grid_queries = _timed(grid, 5)
        edit_time, edit_queries = _timed(edit, 10)
        cells = args.residents * year.weeks
        row = "{:<28}{:>10}{:>8}{:>9.3f}s{:>9}"
        print(f"{'page':<28}{'residents':>10}{'cells':>8}{'median':>10}{'queries':>9}")
        print(row.format("grid (GET)", args.residents, cells, grid_time, grid_queries))
        print(row.format("cell edit (POST)", args.residents, cells, edit_time, edit_queries))
        print(f"(build: {job.status}, {version.solver_status if version else '-'})")


if __name__ == "__main__":
    main()
