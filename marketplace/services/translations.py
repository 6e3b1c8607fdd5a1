"""Making the machine translations readers wait for: a worker claims a pending `TextTranslation`,
asks the configured provider, and stores the answer; the sweeper hands the texts still waiting to
workers again. Run by marketplace/tasks/translations.py; texts are queued by
`marketplace.services.translation_requests`.

A provider that is down, slow or refusing leaves the row pending with the error kept; readers see
the original meanwhile, and the sweeper retries it after TRANSLATION_RETRY_AFTER, at most
TRANSLATION_MAX_ATTEMPTS times.

Once a batch is stored, the texts it translated are announced (`marketplace.signals.texts_translated`),
so the apps that index them (product search, RFQ matching) index them again with the translations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from marketplace.models import TextTranslation
from marketplace.signals import texts_translated_announce
from marketplace.translation.providers import TranslationUnavailable, configured_translator

logger = logging.getLogger(__name__)

# How many waiting texts one sweep hands to workers.
SWEEP_BATCH = 500


def _claimable() -> Q:
    """Still waiting, attempts left, and no attempt under way (a claim lasts TRANSLATION_RETRY_AFTER)."""
    return Q(translated_at__isnull=True, attempts__lt=settings.TRANSLATION_MAX_ATTEMPTS) & (
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=timezone.now() - settings.TRANSLATION_RETRY_AFTER)
    )


def text_translation_make(*, translation_id: int) -> str:
    """Translate one pending text into its target language and store it. Returns "translated",
    "failed" (kept for the sweeper), "skipped" (translated already, being translated, out of
    attempts, or no provider configured).

    The row is claimed by a conditional update first, so two workers never both ask the provider;
    the provider is called outside any transaction."""
    translator = configured_translator()
    if translator is None:
        return "skipped"
    now = timezone.now()
    claimed = TextTranslation.objects.filter(_claimable(), pk=translation_id).update(
        attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return "skipped"
    row = TextTranslation.objects.get(pk=translation_id)
    try:
        translated = translator.translate(row.source_text, source=row.source_language, target=row.target_language)
    except TranslationUnavailable as error:
        logger.warning("Could not translate text %s (attempt %s): %s", row.pk, row.attempts, error)
        TextTranslation.objects.filter(pk=row.pk).update(last_error=str(error)[:300])
        return "failed"
    TextTranslation.objects.filter(pk=row.pk, translated_at__isnull=True).update(
        translated_text=translated, provider=translator.name, translated_at=timezone.now(), last_error=""
    )
    return "translated"


def text_translations_make(*, translation_ids: Iterable[int]) -> int:
    """Translate these pending texts (`text_translation_make`, one by one), then announce the
    originals that got a translation, once for the batch (`texts_translated`: the products and
    RFQs written in them are indexed again). Returns how many were translated."""
    translated = [pk for pk in translation_ids if text_translation_make(translation_id=pk) == "translated"]
    if translated:
        texts = TextTranslation.objects.filter(pk__in=translated).values_list("source_text", flat=True)
        texts_translated_announce(set(texts))
    return len(translated)


def text_translations_sweep(*, enqueue: Callable[[list[int]], int]) -> int:
    """Hand to workers the texts still waiting whose last attempt (or queueing) is older than
    TRANSLATION_RETRY_AFTER and that have attempts left; returns how many were queued."""
    if configured_translator() is None:
        return 0
    cutoff = timezone.now() - settings.TRANSLATION_RETRY_AFTER
    waiting = (
        TextTranslation.objects.filter(_claimable())
        .filter(Q(last_attempt_at__isnull=False) | Q(created_at__lt=cutoff))
        .order_by(F("last_attempt_at").asc(nulls_first=True))
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return enqueue(list(waiting))
