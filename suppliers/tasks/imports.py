"""Celery tasks of catalog imports: ids in, one service call, nothing else."""

from __future__ import annotations

import logging

from celery import shared_task

from suppliers.services.imports import catalog_import_run

logger = logging.getLogger(__name__)

__all__ = ["catalog_import_enqueue_run", "catalog_import_run_task"]


@shared_task(name="suppliers.tasks.catalog_import_run_task")
def catalog_import_run_task(import_id: int) -> str:
    """Run one catalog import. The service claims the import, so a duplicate delivery does nothing.

    No automatic retry: the service records an unexpected error on the import (FAILED, with the
    reason) for the supplier to see; a worker that dies mid-run gets the task redelivered (late
    acknowledgement), and the service reclaims an import left RUNNING for too long.
    """
    result = catalog_import_run(import_id=import_id)
    return "skipped: already claimed" if result is None else result.status


def catalog_import_enqueue_run(import_id: int) -> None:
    """Put the import's task on the broker; never raises (called after commit)."""
    try:
        catalog_import_run_task.delay(import_id)
    except Exception:
        # The import stays QUEUED; starting it again (or the stale-run rule) hands it to a worker.
        logger.warning("Could not enqueue catalog import %s.", import_id, exc_info=True)
