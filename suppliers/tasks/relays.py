"""The relay of the suppliers app's imports (beat, every RELAY_INTERVAL): one service call, given
the import tasks' own queueing functions (the service cannot import them: importing any task module
imports this one, which imports the service)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from suppliers.services.import_relay import imports_relay
from suppliers.tasks.imports import catalog_import_enqueue_run
from suppliers.tasks.onboarding import factory_import_enqueue_run

__all__ = ["imports_relay_task"]


@shared_task(name="suppliers.tasks.imports_relay_task", priority=settings.RELAY_PRIORITY)
def imports_relay_task() -> int:
    """Queue again the runs of catalog and factory imports whose task was lost (the broker was down
    when they were queued) or whose worker was killed; returns how many."""
    return imports_relay(enqueue_catalog=catalog_import_enqueue_run, enqueue_factory=factory_import_enqueue_run)
