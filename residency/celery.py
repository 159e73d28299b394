"""The Celery app. It reads every `CELERY_*` setting and finds each app's `tasks.py`.

With `REDIS_URL` tasks go to Redis and a worker (`make worker`) runs them. Without it they go
to a broker in files (`EMBEDDED_BROKER_DIR`), so a fresh clone needs no server: `make run`
starts a worker for it beside the dev server. The test settings run tasks in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency.settings.local")

app = Celery("residency")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
