"""Celery tasks of product search (the catalog's vocabulary for spelling corrections)."""

from __future__ import annotations

from celery import shared_task

from suppliers.search.spelling import vocabulary_refresh

__all__ = ["search_vocabulary_refresh_task"]


@shared_task(name="suppliers.tasks.search_vocabulary_refresh_task")
def search_vocabulary_refresh_task() -> dict[str, int]:
    """Hourly (Celery beat): bring the vocabulary misspelt query words are corrected against up to
    date with the catalog. Idempotent; writes only the words that changed."""
    done = vocabulary_refresh()
    return {"words": done.words, "written": done.written, "removed": done.removed}
