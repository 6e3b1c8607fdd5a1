"""Making the machine translations readers wait for: a worker claims the pending `TextTranslation`
rows that are due, asks the configured provider, and stores the answers. Run by
marketplace/tasks/translations.py: by the task queued for new rows, and by the relay (beat, every
`RELAY_INTERVAL`) for what an outage, a killed worker or a failed attempt left. Texts are asked
for by `marketplace.services.translation_requests`.

A provider that is down, slow or refusing leaves the row waiting with the error kept; readers see
the original meanwhile, and the relay tries it again TRANSLATION_RETRY_AFTER later, at most
TRANSLATION_MAX_ATTEMPTS times.

Once a run has stored its translations, the texts it translated are announced
(`marketplace.signals.texts_translated`), so the apps that index them (product search, RFQ
matching) index them again with the translations.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from marketplace.models import TextTranslation
from marketplace.relay import claim_due, claimed_batches, lease_renew
from marketplace.signals import texts_translated_announce
from marketplace.translation.providers import TranslationUnavailable, Translator, configured_translator

logger = logging.getLogger(__name__)


def _waiting() -> QuerySet[TextTranslation]:
    """Not yet translated, attempts left: the rows a worker may claim."""
    return TextTranslation.objects.filter(translated_at__isnull=True, attempts__lt=settings.TRANSLATION_MAX_ATTEMPTS)


def _make_claimed(translator: Translator, translation_id: int, held_until: datetime) -> str:
    token = lease_renew(
        _waiting(),
        pk=translation_id,
        due_field="due_at",
        held_until=held_until,
        attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(),
    )
    if token is None:
        return "skipped"
    row = TextTranslation.objects.get(pk=translation_id)
    ours = TextTranslation.objects.filter(pk=row.pk, translated_at__isnull=True, due_at=token)
    try:
        translated = translator.translate(row.source_text, source=row.source_language, target=row.target_language)
    except TranslationUnavailable as error:
        logger.warning("Could not translate text %s (attempt %s): %s", row.pk, row.attempts, error)
        ours.update(last_error=str(error)[:300], due_at=timezone.now() + settings.TRANSLATION_RETRY_AFTER)
        return "failed"
    ours.update(
        translated_text=translated,
        provider=translator.name,
        translated_at=timezone.now(),
        last_error="",
        due_at=None,
    )
    return "translated"


def text_translations_make(*, translation_ids: Sequence[int] | None = None, time_budget: float | None = None) -> int:
    """Translate the waiting texts that are due — these ones, or (None) all — into their target
    languages and store them, then announce the originals that got a translation, once for the
    run (`texts_translated`: the products and RFQs written in them are indexed again); returns how
    many were translated.

    Each row is claimed first (marketplace/relay.py), so two workers never both ask the provider
    for it, and a worker killed meanwhile leaves it to the next after `RELAY_LEASE`. A failure
    keeps the error and makes the row due again after TRANSLATION_RETRY_AFTER, until
    TRANSLATION_MAX_ATTEMPTS attempts were made. The provider is called outside any transaction.
    Nothing happens without a provider configured. `time_budget` (seconds) bounds a relay run.
    """
    translator = configured_translator()
    if translator is None:
        return 0
    claims = claimed_batches(
        lambda: claim_due(_waiting(), due_field="due_at", ids=translation_ids), time_budget=time_budget
    )
    translated = [pk for pk, held_until in claims if _make_claimed(translator, pk, held_until) == "translated"]
    if translated:
        texts = TextTranslation.objects.filter(pk__in=translated).values_list("source_text", flat=True)
        texts_translated_announce(set(texts))
    return len(translated)
