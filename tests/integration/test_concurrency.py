"""Concurrency drills on the real PostgreSQL: people acting at the same moment.

Each drill runs its requests from threads (each thread has its own database connection, so
the row locks and constraints are PostgreSQL's own) through the HTTP interface, and checks
that nothing answers 500, nothing is lost, and the invariants hold: one published version,
unique version numbers, a cell that shows the edit that won. Figures are printed (`-s`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery._state import _set_task_join_will_block
from django.db import connection
from django.test import Client
from django.urls import reverse

from scheduling.models import Assignment, ScheduleVersion
from scheduling.services.versions import version_copy, version_publish
from tests.factories import RoleFactory, UserFactory
from tests.scheduling.conftest import make_built

pytestmark = pytest.mark.integration

YEAR = "2027-2028"


@pytest.fixture
def built(integration_services, transactional_db, two_programs):
    # Ten residents over the tiny ten-week year: a hundred cells.
    yield make_built(two_programs, residents=10)
    # The compliance recomputes these edits trigger run eagerly in their threads, and
    # Celery's "joining a result would block" mark is a process-wide flag that concurrent
    # eager tasks can leave set: clear it so later tests may wait on a real worker's result.
    _set_task_join_will_block(False)


def _director(program):
    user = UserFactory()
    RoleFactory(user=user, program=program, kind="director")
    return user


def _run_together(calls):
    """Run the callables at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _edit(user, version, resident, week, code, expected):
    def call():
        client = Client()
        client.force_login(user)
        url = reverse("scheduling:cell_edit", args=["alpha", YEAR, version.number])
        data = {"resident": resident.pk, "week": week, "rotation": code, "expected": expected}
        return client.post(url, data)

    return call


def test_two_directors_edit_the_same_cell_at_once_one_wins_the_other_is_told(built):
    resident, week = built.residents[1], 4
    seen = Assignment.objects.get(version=built.version, resident=resident, week=week)
    seen = seen.rotation.code
    first, second = _director(built.program), _director(built.program)
    # Two rotations, both different from what the directors saw (else one "edit" is a no-op).
    one, other = [code for code in ("WARDS", "ICU", "VAC", "CLINIC") if code != seen][:2]
    wanted = {first: one, second: other}
    started = time.perf_counter()
    responses = _run_together(
        [_edit(user, built.version, resident, week, code, seen) for user, code in wanted.items()]
    )
    elapsed = time.perf_counter() - started
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 400], statuses
    loser = next(r for r in responses if r.status_code == 400)
    assert "changed this cell" in loser.content.decode()
    winner_code = next(
        code
        for (user, code), r in zip(wanted.items(), responses, strict=True)
        if r.status_code == 200
    )
    cell = Assignment.objects.get(version=built.version, resident=resident, week=week)
    assert cell.rotation.code == winner_code  # no lost update: the cell shows the winner
    print(f"\nsame cell, two directors: {statuses} in {elapsed:.2f} s")


def test_a_hundred_concurrent_cell_edits_give_no_500_and_lose_nothing(built):
    directors = [_director(built.program) for _ in range(4)]
    cells = list(
        Assignment.objects.filter(version=built.version).select_related("rotation", "resident")[
            :100
        ]
    )
    codes = ["WARDS", "ICU", "VAC"]
    calls = [
        _edit(
            directors[n % 4],
            built.version,
            cell.resident,
            cell.week,
            codes[n % 3],
            cell.rotation.code,
        )
        for n, cell in enumerate(cells)
    ]
    started = time.perf_counter()
    # Twenty at a time: the barrier holds each batch until all its threads are ready.
    responses = []
    for batch in range(0, len(calls), 20):
        responses += _run_together(calls[batch : batch + 20])
    elapsed = time.perf_counter() - started
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 400}, statuses
    assert len(responses) == 100
    for n, (cell, response) in enumerate(zip(cells, responses, strict=True)):
        now = Assignment.objects.get(version=built.version, resident=cell.resident, week=cell.week)
        if response.status_code == 200:
            assert now.rotation.code == codes[n % 3]
        else:
            assert now.rotation_id == cell.rotation_id  # a refused edit changed nothing
    assert ScheduleVersion.objects.filter(schedule=built.schedule).count() == 1
    print(f"\n100 cell edits: {dict(statuses)} in {elapsed:.2f} s")


def test_twenty_concurrent_copies_take_twenty_different_numbers(built):
    version_publish(version=built.version, by=_director(built.program))

    def copy():
        return version_copy(version=built.version, by=None).number

    numbers = _run_together([copy for _ in range(20)])
    assert sorted(numbers) == list(range(2, 22))


def test_twenty_concurrent_publishes_give_no_500_and_one_published_version(built):
    director = _director(built.program)
    drafts = [built.version] + [version_copy(version=built.version, by=director) for _ in range(19)]
    client_of = {}

    def publish(version):
        def call():
            client = client_of.setdefault(threading.get_ident(), Client())
            client.force_login(director)
            url = reverse("scheduling:publish", args=["alpha", YEAR, version.number])
            return client.post(url)

        return call

    started = time.perf_counter()
    responses = _run_together([publish(v) for v in drafts])
    elapsed = time.perf_counter() - started
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 302}, statuses
    versions = ScheduleVersion.objects.filter(schedule=built.schedule)
    by_status = Counter(versions.values_list("status", flat=True))
    assert by_status["published"] == 1 and by_status["superseded"] == 19, by_status
    numbers = list(versions.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 20
    built.schedule.refresh_from_db()
    assert built.schedule.published_version.status == "published"
    print(f"\n20 publishes: {dict(statuses)}, {dict(by_status)} in {elapsed:.2f} s")
