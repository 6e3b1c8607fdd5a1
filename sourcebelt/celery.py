"""The Celery application. Configuration comes from Django settings (the CELERY_ names).

Start a worker with `celery -A sourcebelt worker -l info` and the scheduler with
`celery -A sourcebelt beat -l info`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")

app = Celery("sourcebelt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
