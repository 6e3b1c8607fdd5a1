"""The Celery application. Configuration comes from Django settings (the CELERY_ names).

Start a worker with `celery -A sourcebelt worker -l info` and the scheduler with
`celery -A sourcebelt beat -l info`.

Sending a task outside a worker (from a web request, a command or beat) waits for the broker at
most BROKER_PUBLISH_TIMEOUT_SECONDS, once (settings.py: connection and socket timeouts, no publish
retries). After a failure, the process sends nothing to that broker for BROKER_RETRY_AFTER_SECONDS:
each send fails at once, so a request that queues several tasks waits for one timeout, not one per
task. Every caller (the `*_enqueue_*` functions beside the tasks) catches the failure and leaves the
work pending in the database, where a sweeper finds it.

A worker loads what the web tier's master loads (sourcebelt/preload.py: the search's dictionaries,
which matching segments RFQs with, frozen out of the garbage collector's walks) before its pool
forks, so no task pays for it and the children share it.
"""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init
from django.conf import settings
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from sourcebelt.outages import outage_begin, outage_end, outage_ongoing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")

BROKER_OUTAGES = (OperationalError, RedisConnectionError, OSError)


class SourceBeltCelery(Celery):
    def send_task(self, *args: Any, **kwargs: Any) -> Any:
        if self.current_worker_task is not None:
            # A worker's own sends (retries, sweeps) keep Celery's behaviour: a retry that cannot
            # be sent must fail, not be skipped.
            return super().send_task(*args, **kwargs)
        broker = str(self.conf.broker_url or "")
        if outage_ongoing(broker):
            raise OperationalError("The broker was unreachable moments ago: not trying again yet.")
        try:
            result = super().send_task(*args, **kwargs)
        except BROKER_OUTAGES as exc:
            outage_begin(broker, role="broker", pause=settings.BROKER_RETRY_AFTER_SECONDS, error=exc)
            raise
        outage_end(broker, role="broker")
        return result


app = SourceBeltCelery("sourcebelt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _preload(**_kwargs: Any) -> None:
    from sourcebelt.preload import preload

    preload()
