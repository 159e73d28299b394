"""schemathesis against the live OpenAPI schema, through the Django WSGI app: every
operation, as an authorised user (alpha's director, with the path aimed at alpha's year,
build and mentorship so that calls reach real rows) and as an unauthorised caller (no
token). No 500s, and every response matches what the schema documents. Bounded: a few
examples per operation."""

from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import YEAR

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
BOUNDED = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


# Loaded from the running app at collection (schemathesis's fixture-based loader does not
# work with pytest 9 yet); serving the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT = "100000/min"


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request (Django's test
    client turns that off; schemathesis calls the handler itself). On PostgreSQL that would
    close the test's own connection, and its transaction, after the first call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@BOUNDED
def test_an_authorised_caller_never_gets_a_500_and_every_answer_matches_the_schema(case, api):
    if case.path_parameters:
        # Aimed at alpha's real rows: its year, its finished build, its mentorship.
        real = {"slug": "alpha", "year": YEAR, "job_id": api.job.pk, "id": api.mentorship.pk}
        case.path_parameters.update({k: v for k, v in real.items() if k in case.path_parameters})
    case.call_and_validate(headers=api.auth("director"), checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_an_unauthorised_caller_gets_documented_401s(case):
    """A 401 wherever the path names an endpoint; a path that names none (a word where a
    build's number goes) is a 404 before anyone asks who is calling."""
    response = case.call_and_validate(checks=CHECKS)
    path = unquote(urlsplit(response.request.url).path)
    if resolve(path).url_name == "not_found":
        assert response.status_code == 404
    else:
        assert response.status_code == 401
