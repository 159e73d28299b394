"""Production settings: everything secret or host-specific must come from the environment."""

from django.core import checks

from residency.checks import redis_url_set
from residency.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # noqa: F405  (no default: refuse to start without one)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Without REDIS_URL every Celery task would run inside the web request that starts it (a long
# solve, a recompute, the publish e-mails): `manage.py check`, `migrate` and `runserver` stop
# with residency.E001 instead.
checks.register(redis_url_set)

# The app runs behind a reverse proxy (see SECURE_PROXY_SSL_HEADER), so REMOTE_ADDR is the
# proxy's and allauth's login rate limits would put every user in one bucket. allauth trusts
# X-Forwarded-For only as far as it is told: the number of proxies in front of the app
# (the client is the address that many entries from the right), or a header the proxy sets
# with the client's address (e.g. X-Real-IP, CF-Connecting-IP), which then wins.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)  # noqa: F405
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None)  # noqa: F405
