"""The Celery app. It reads every `CELERY_*` setting and finds each app's `tasks.py`.

Without `REDIS_URL` the settings make tasks run in-process (eager), so a fresh clone needs no
broker; with it, tasks go to Redis and a worker (`make worker`) runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residency.settings.local")

app = Celery("residency")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
