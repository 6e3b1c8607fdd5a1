"""Asking for machine translations of what people write, for the readers a service knows (the
suppliers an RFQ is sent to, the other side of a message), or into every site language for what
search and matching index (a product's title and description, an RFQ's). A pending `TextTranslation` is stored
per text and reader language (once: a text already asked for is not asked again) and queued for a
worker after the caller's transaction commits; nothing happens without a provider configured.
The work is in marketplace/services/translations.py (docs/translation.md)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from marketplace.models import TextTranslation
from marketplace.selectors.translations import Translations, translations_for
from marketplace.tasks.translations import text_translations_enqueue
from marketplace.translation.languages import text_language
from marketplace.translation.providers import translation_configured


def translations_request(*, texts: Iterable[str], languages: Iterable[str]) -> int:
    """Ask for `texts` in each of `languages` (site languages; a text already in one is skipped),
    inside the caller's transaction; the new ones are queued after it commits. Returns how many
    translations were asked for."""
    if not translation_configured():
        return 0
    site = {code for code, _name in settings.LANGUAGES}
    targets = sorted(set(languages) & site)
    rows = {
        (TextTranslation.hash_of(text), source, target): TextTranslation(
            text_hash=TextTranslation.hash_of(text), source_language=source, target_language=target, source_text=text
        )
        for text in {text.strip() for text in texts if text and text.strip()}
        for source in [text_language(text)]
        for target in targets
        if target != source
    }
    if not rows:
        return 0
    TextTranslation.objects.bulk_create(rows.values(), ignore_conflicts=True)
    new = list(
        TextTranslation.objects.filter(
            text_hash__in={key[0] for key in rows},
            target_language__in=targets,
            translated_at__isnull=True,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    if new:
        transaction.on_commit(functools.partial(text_translations_enqueue, new))
    return len(rows)


def translations_request_everywhere(*, texts: Iterable[str]) -> int:
    """Ask for `texts` in every site language: what search and matching index (products, RFQs),
    so a reader of any language finds them. As `translations_request`."""
    return translations_request(texts=texts, languages=[code for code, _name in settings.LANGUAGES])


def translations_request_missing(translations: Translations) -> int:
    """Ask for the texts a reader found untranslated (written before the reader was known, or
    read in another language than the one they were asked for); the relay retries the others."""
    return translations_request(texts=translations.missing, languages=[translations.language])


def translations_read(*, texts: Iterable[str | None]) -> Translations:
    """A page's texts in the reader's language (`translations_for`: one query), asking for those
    found without a translation, so that the page never waits and the next reading has them."""
    translations = translations_for(texts=texts)
    translations_request_missing(translations)
    return translations
