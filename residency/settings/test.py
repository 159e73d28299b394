"""Settings for the test suite: fast hashing, e-mail kept in memory, tasks in-process.

`DATABASE_URL` and `REDIS_URL` still apply, so CI runs the suite on PostgreSQL; the Celery
integration tests turn eager mode off themselves and talk to a real worker.
"""

from residency.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)  # noqa: F405 - off for a real worker
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ACCOUNT_RATE_LIMITS = False
SCHEDULE_BUILD_TIME_LIMIT_S = 10
# Short, so that the failure drills (tests/integration) see a dead build failed in seconds.
BUILD_HEARTBEAT_S = 0.5
BUILD_STALE_AFTER_S = 6
# Tests clear the cache between tests; never let that touch the Redis the worker uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
