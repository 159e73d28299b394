"""Settings for a developer's machine: debug on, static files served from their sources."""

from residency.settings.base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
# E-mails on the console as one line each (residency/mail_backends.py), not their whole text;
# MAIL_LOG_BODIES=1 shows the bodies too. EMAIL_URL=smtp://... still sends for real.
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":  # noqa: F405
    EMAIL_BACKEND = "residency.mail_backends.SummaryConsoleBackend"
MAIL_LOG_BODIES = env.bool("MAIL_LOG_BODIES", default=False)  # noqa: F405
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# The dev server and its worker (`runserver_with_worker`) write the same SQLite file: wait for
# a lock rather than fail, take the write lock when a transaction starts (no upgrade
# deadlock), and let readers run beside the writer (WAL).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
