"""Settings shared by every environment, read from environment variables (django-environ).

Defaults give a working local app: SQLite in the project folder, Celery on a broker in
files (the worker `make run` starts beside the dev server), e-mail printed on the console.
`DATABASE_URL`, `REDIS_URL` and `EMAIL_URL` switch to the real services; see the README for
the full list.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env("SITE_NAME", default="Residency")
SITE_URL = env("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "residency.apps.OperatorAdminConfig",  # the admin, for site operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "programs",
    "scheduling",
    "compliance",
    "mentoring",
    "history",
    "homes",
    "resident_requests",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireDirectorMFAMiddleware",
]

ROOT_URLCONF = "residency.urls"
WSGI_APPLICATION = "residency.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail sign-in, no open sign-up (people join by invitation), TOTP for MFA.
ACCOUNT_ADAPTER = "accounts.adapter.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Content-Security-Policy (django-csp): scripts only from this site's /static/ (no inline
# script or event handler anywhere: chart data goes through json_script, behaviour through
# data attributes and static/js/). Styles allow inline because the grid colours cells with a
# style attribute and htmx adds its indicator styles; images allow data: for Bootstrap's
# icons and the TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The REST API (api/): personal access tokens or a browser session, JSON only, one error
# shape, paginated lists, a rate per token. Swagger UI and its assets come from
# drf-spectacular-sidecar (served from /static/, no CDN) and its init script from a URL
# (SpectacularSwaggerSplitView), so the CSP above needs no exception.
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.auth.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "api.errors.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Residency API",
    "DESCRIPTION": (
        "Programs, rosters, schedules and compliance of internal-medicine residency programs. "
        "Authenticate with a personal access token (`Authorization: Bearer rsd_…`, made on "
        "/account/tokens/). Everything is addressed by the program's slug and its own keys. "
        "Errors share one shape: `{status, code, detail, fields}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind` or `status`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "mentoring.models.Meeting.Kind",
        "RequestKindEnum": "programs.models.ResidentRequest.Kind",
        "RequestStatusEnum": "programs.models.ResidentRequest.Status",
        "SwapStatusEnum": "resident_requests.models.Swap.Status",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at set-up (`npm ci`), served straight from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Residency <no-reply@localhost>")

# Celery: Redis when REDIS_URL is set. Without it, an embedded broker that needs no server:
# kombu's filesystem transport in EMBEDDED_BROKER_DIR, which works across the processes of
# one machine (ENGINEERING-NOTES), so a build runs in a worker, off the request, as with
# Redis (`manage.py runserver_with_worker`, which `make run` uses, starts that worker).
REDIS_URL = env("REDIS_URL", default="")
EMBEDDED_BROKER_DIR = Path(env("EMBEDDED_BROKER_DIR", default=str(BASE_DIR / ".celery")))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# "localhost" names no server (the transport ignores it): without it, kombu warns "No
# hostname was supplied. Reverting to default 'localhost'" at every connection.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_IMPORTS = ["residency.mail"]  # the mail task lives in the project package, not an app
CELERY_TASK_ROUTES = {
    "scheduling.tasks.schedule_build": {"queue": "solver"},
    "scheduling.tasks.wish_question_answer": {"queue": "solver"},
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if not REDIS_URL:
    _queue = EMBEDDED_BROKER_DIR / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(EMBEDDED_BROKER_DIR / "control"),
    }
    for _folder in (_queue, EMBEDDED_BROKER_DIR / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "compliance-nightly-sweep": {
        "task": "compliance.tasks.compliance_nightly_sweep",
        "schedule": crontab(hour=2, minute=0),
    },
    "mentoring-reminders": {
        "task": "mentoring.tasks.mentoring_send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "scheduling-fail-stale-builds": {
        "task": "scheduling.tasks.schedule_builds_fail_stale",
        "schedule": 60.0,
    },
}

# Solver budgets: the solver's own limit stays below Celery's soft limit (ENGINEERING-NOTES).
SCHEDULE_BUILD_TIME_LIMIT_S = env.int("SCHEDULE_BUILD_TIME_LIMIT_S", default=60)
# Builds never hang: a running build beats every BUILD_HEARTBEAT_S; one silent for
# BUILD_STALE_AFTER_S, or queued and not started for BUILD_QUEUED_STALE_AFTER_S, is failed.
BUILD_HEARTBEAT_S = env.float("BUILD_HEARTBEAT_S", default=2.0)
BUILD_STALE_AFTER_S = env.int("BUILD_STALE_AFTER_S", default=60)
BUILD_QUEUED_STALE_AFTER_S = env.int("BUILD_QUEUED_STALE_AFTER_S", default=30 * 60)

# A mentor may change or delete a meeting they logged for this many days; then it is a record.
MENTORING_MEETING_EDIT_DAYS = env.int("MENTORING_MEETING_EDIT_DAYS", default=14)

# Quiet logs (residency/logging.py): task successes at DEBUG, expected 403/404 on one line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "task_success_at_debug": {"()": "residency.logging.TaskSuccessAtDebug"},
        "expected_errors_on_one_line": {"()": "residency.logging.ExpectedErrorsOnOneLine"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django's own "django" logger has a console handler too: without this, every
        # warning it logs (a 403) is printed twice, once by it and once by the root.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # TASK_LOG_LEVEL=DEBUG shows every task's "received" and "succeeded" again (the
        # integration tests' worker does, to see its jobs run).
        "celery.app.trace": {
            "filters": ["task_success_at_debug"],
            "level": env("TASK_LOG_LEVEL", default="INFO"),
        },
        "celery.worker.strategy": {
            "filters": ["task_success_at_debug"],
            "level": env("TASK_LOG_LEVEL", default="INFO"),
        },
        "django.request": {"filters": ["expected_errors_on_one_line"]},
    },
}
