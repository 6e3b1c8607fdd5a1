"""Celery tasks of the suppliers app: ids in, one service call, nothing else."""

from __future__ import annotations

from celery import shared_task

from suppliers.services.imports import catalog_import_run

__all__ = ["catalog_import_run_task"]


@shared_task(name="suppliers.tasks.catalog_import_run_task")
def catalog_import_run_task(import_id: int) -> str:
    """Run one catalog import. The service claims the import, so a duplicate delivery does nothing.

    No automatic retry: the service records an unexpected error on the import (FAILED, with the
    reason) for the supplier to see; a worker that dies mid-run gets the task redelivered (late
    acknowledgement), and the service reclaims an import left RUNNING for too long.
    """
    result = catalog_import_run(import_id=import_id)
    return "skipped: already claimed" if result is None else result.status


# The worker discovers `suppliers.tasks`; these modules hold the tasks of later areas.
from suppliers import tasks_onboarding, tasks_verification  # noqa: E402, F401
