"""System checks of the deployment; `residency.settings.production` registers them."""

from django.conf import settings
from django.core.checks import CheckMessage, Error


def redis_url_set(app_configs, **kwargs) -> list[CheckMessage]:
    """An error when `REDIS_URL` is empty: without Redis, Celery runs every task eagerly
    inside the web request that enqueues it (a 10-minute solve, a compliance recompute, the
    publish e-mails), which production must never do."""
    if settings.REDIS_URL:
        return []
    return [
        Error(
            "REDIS_URL is not set.",
            hint=(
                "Production runs schedule builds, compliance recomputes and e-mails on Celery "
                "workers through Redis; without it each would run inside a web request. Set "
                "REDIS_URL, e.g. redis://127.0.0.1:6379/0."
            ),
            id="residency.E001",
        )
    ]
