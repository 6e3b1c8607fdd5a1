"""Tasks of machine translation: ids in, one service call, nothing else; and the one function that
puts them on the broker, `text_translations_enqueue`. They run marketplace/services/translations.py."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from marketplace.services.translations import text_translations_make

logger = logging.getLogger(__name__)

__all__ = ["text_translations_enqueue", "text_translations_make_task", "text_translations_relay_task"]


@shared_task(name="marketplace.tasks.text_translations_make_task")
def text_translations_make_task(translation_ids: list[int]) -> int:
    """Translate the texts of one event (a message for the other side, an RFQ for its matched
    suppliers, a batch of imported products); returns how many were translated. A failure is left
    to the relay."""
    return text_translations_make(translation_ids=translation_ids)


@shared_task(name="marketplace.tasks.text_translations_relay_task", priority=settings.RELAY_PRIORITY)
def text_translations_relay_task() -> int:
    """Run by Celery beat every RELAY_INTERVAL: translate the texts whose attempt is due (lost with
    the broker or a killed worker, or due for a retry); returns how many were translated."""
    return text_translations_make(time_budget=settings.RELAY_INTERVAL.total_seconds())


def text_translations_enqueue(translation_ids: list[int]) -> int:
    """Queue the translation of these texts in one broker message; returns how many were queued.
    Never raises: readers see the originals meanwhile, and the relay translates them once the
    broker is back."""
    if not translation_ids:
        return 0
    try:
        text_translations_make_task.delay(translation_ids)
    except Exception:
        logger.warning(
            "Could not queue the translation of texts %s; the relay will.", translation_ids[:5], exc_info=True
        )
        return 0
    return len(translation_ids)
