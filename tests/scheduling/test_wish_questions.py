"""'Why didn't I get my wish?': asked on the resident's page, answered by a job, stored in words.

The tiny program's first resident (the cast's resident account) wishes to avoid the wards
all year, which their PGY's wards requirement forbids: the job must say so, naming the
requirement, and the resident and the director read the same stored answer.
"""

import datetime

import pytest
from django.urls import reverse

from scheduling.models import WishQuestion
from scheduling.selectors_residents import resident_wishes
from scheduling.services import wishes as wish_services
from scheduling.services.versions import version_publish
from tests.scheduling import conftest
from tests.scheduling.conftest import make_built, tiny_bundle

YEAR = "2027-2028"
START = datetime.date(2027, 6, 28)
ALL_WEEKS = [(START + datetime.timedelta(weeks=w)).isoformat() for w in range(10)]


def _wishful_bundle(**kwargs):
    bundle = tiny_bundle(**kwargs)
    bundle["residents"][0]["requests"].append(
        {"kind": "avoid", "rotation": "WARDS", "weeks": ALL_WEEKS, "weight": 3}
    )
    bundle["residents"][1]["requests"] = [{"kind": "prefer", "rotation": "ICU", "weight": 1}]
    return bundle


@pytest.fixture
def wished(two_programs, monkeypatch):
    monkeypatch.setattr(conftest, "tiny_bundle", _wishful_bundle)
    built = make_built(two_programs)
    version_publish(version=built.version, by=two_programs.director)
    built.version.refresh_from_db()
    return built


def _me(wished):
    return next(r for r in wished.residents if r.external_id == "T01")


def _url(name, wished, resident, *more):
    return reverse(
        f"scheduling:{name}", args=["alpha", YEAR, wished.version.number, resident.pk, *more]
    )


def test_the_selector_lists_the_wishes_and_which_are_unmet(wished, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        lines = resident_wishes(version=wished.version, resident=_me(wished))
    assert [line.index for line in lines] == [0]
    assert "avoid WARDS" in lines[0].text and lines[0].unmet.startswith("on WARDS in ")
    assert lines[0].question is None


def test_a_resident_asks_about_their_own_wish_and_reads_the_answer(
    client, wished, two_programs, django_capture_on_commit_callbacks
):
    client.force_login(two_programs.resident_user)
    me = _me(wished)
    page = client.get(reverse("scheduling:my_schedule", args=["alpha"])).content.decode()
    assert _url("wishes", wished, me) in page  # the button on their own page
    page = client.get(_url("wishes", wished, me)).content.decode()
    assert "Why didn't I get it?" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("wish_ask", wished, me, 0))
    assert response.status_code == 302
    question = WishQuestion.objects.get(resident=me, version=wished.version, wish_index=0)
    assert question.status == WishQuestion.Status.ANSWERED
    assert question.possible is False
    words = " ".join(question.answer)
    assert "cannot be granted" in words and "WARDS" in words
    assert question.asked_by == two_programs.resident_user
    page = client.get(_url("wishes", wished, me)).content.decode()
    assert "cannot be granted" in page and question.answer[1] in page.replace("&#x27;", "'")


def test_asking_again_keeps_the_answer_instead_of_running_another_job(
    wished, two_programs, django_capture_on_commit_callbacks, monkeypatch
):
    me = _me(wished)
    with django_capture_on_commit_callbacks(execute=True):
        first = wish_services.wish_question_ask(
            version=wished.version, resident=me, wish_index=0, by=two_programs.director
        )
    monkeypatch.setattr(wish_services, "why_not", lambda *a, **k: pytest.fail("asked twice"))
    with django_capture_on_commit_callbacks(execute=True):
        again = wish_services.wish_question_ask(
            version=wished.version, resident=me, wish_index=0, by=two_programs.director
        )
    assert again.pk == first.pk and WishQuestion.objects.count() == 1


def test_a_failed_job_says_why_and_may_be_asked_again(
    wished, two_programs, django_capture_on_commit_callbacks, monkeypatch
):
    me = _me(wished)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(wish_services, "why_not", broken)
    with django_capture_on_commit_callbacks(execute=True):
        question = wish_services.wish_question_ask(
            version=wished.version, resident=me, wish_index=0, by=two_programs.director
        )
    question.refresh_from_db()
    assert question.status == WishQuestion.Status.FAILED
    assert question.answer == ["The job failed: solver crashed"]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        wish_services.wish_question_ask(
            version=wished.version, resident=me, wish_index=0, by=two_programs.director
        )
    question.refresh_from_db()
    assert question.status == WishQuestion.Status.ANSWERED


def test_the_director_asks_from_the_grid_and_sees_the_same_answer(
    client, wished, two_programs, django_capture_on_commit_callbacks
):
    client.force_login(two_programs.director)
    me = _me(wished)
    grid = client.get(reverse("scheduling:grid", args=["alpha", YEAR])).content.decode()
    assert _url("wishes", wished, me) in grid  # each row links to the resident's wishes
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("wish_ask", wished, me, 0))
    page = client.get(_url("wishes", wished, me)).content.decode()
    assert "cannot be granted" in page and "Why didn't they get it?" not in page


def test_a_classmate_and_faculty_may_not_ask_about_someone_elses_wish(client, wished, two_programs):
    other = next(r for r in wished.residents if r.external_id == "T02")
    for user in (two_programs.resident_user, two_programs.faculty_user):
        client.force_login(user)
        assert client.get(_url("wishes", wished, other)).status_code == 403
        assert client.post(_url("wish_ask", wished, other, 0)).status_code == 403
    assert not WishQuestion.objects.exists()


def test_a_wish_that_does_not_exist_is_refused_with_a_message_not_a_500(
    client, wished, two_programs
):
    client.force_login(two_programs.resident_user)
    response = client.post(_url("wish_ask", wished, _me(wished), 7), follow=True)
    assert response.status_code == 200
    assert "No such wish." in response.content.decode()
    assert not WishQuestion.objects.exists()


def test_a_wish_page_polls_only_while_a_question_is_open(client, wished, two_programs):
    client.force_login(two_programs.resident_user)
    me = _me(wished)
    WishQuestion.objects.create(
        version=wished.version, resident=me, wish_index=0, wish_text="x", asked_by=None
    )
    page = client.get(_url("wishes", wished, me)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Trying the schedule" in page
    partial = client.get(_url("wishes", wished, me), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Trying the schedule" in partial


def test_an_answer_not_known_in_time_may_be_asked_again_with_a_longer_limit(
    client, wished, two_programs, django_capture_on_commit_callbacks, monkeypatch
):
    from scheduling.solver.whynot import WishAnswer

    me = _me(wished)
    limits = []

    def unknown(problem, rows, rid, index, options):
        limits.append(options.time_limit_s)
        return WishAnswer(None, ["No schedule granting it was found in time."])

    monkeypatch.setattr(wish_services, "why_not", unknown)
    client.force_login(two_programs.resident_user)
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(_url("wish_ask", wished, me, 0))
    assert limits == [15, 30, 60, 60]
    page = client.get(_url("wishes", wished, me)).content.decode()
    assert "Ask again with a longer limit" in page
