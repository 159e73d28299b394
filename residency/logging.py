"""Quiet logs: what a developer or an operator reads should be news, one line each.

- A task that succeeded is routine: Celery's "Task ... succeeded in 0.003s" goes to DEBUG
  (shown only with LOG_LEVEL=DEBUG); failures and retries keep their levels.
- An expected 403 or 404 (PermissionDenied, Http404: the access helpers' answers) is one
  line, without the traceback Django attaches to it; a 500 keeps its traceback.
"""

from __future__ import annotations

import logging

#: Client errors the access helpers raise on purpose: one line in the log, no traceback.
EXPECTED_STATUSES = frozenset({400, 403, 404, 405})


class TaskSuccessAtDebug(logging.Filter):
    """On `celery.app.trace` and `celery.worker.strategy`: lower "Task ... succeeded" (and
    its "Task ... received") to DEBUG, and drop it unless the logger is enabled for DEBUG."""

    ROUTINE = (" succeeded in ", "Task %(name)s[%(id)s] received")

    def filter(self, record: logging.LogRecord) -> bool:
        routine = any(marker in str(record.msg) for marker in self.ROUTINE)
        if record.levelno == logging.INFO and routine:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


class ExpectedErrorsOnOneLine(logging.Filter):
    """On `django.request`: the warning for an expected client error, without its
    traceback ("Forbidden (Permission denied): /p/alpha/people/" and nothing more)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in EXPECTED_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True
