"""The task that brings the stored indexes up to the code's version after an upgrade; it runs
marketplace/services/stored_indexes.py."""

from __future__ import annotations

from celery import shared_task

from marketplace.services.stored_indexes import stored_indexes_catch_up

__all__ = ["stored_indexes_catch_up_task"]


@shared_task(name="marketplace.tasks.stored_indexes_catch_up_task")
def stored_indexes_catch_up_task() -> int:
    """Run by Celery beat every minute: rebuild for a while the indexes an upgrade made stale."""
    return stored_indexes_catch_up()
