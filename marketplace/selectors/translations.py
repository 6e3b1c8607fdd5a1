"""Reading what people wrote in the reader's language: each text with the language it is written
in and, when one is stored, its machine translation into the reader's language (one query for a
page's texts; none when no provider is configured or every text is in the reader's language), and
every stored translation of some texts, for the search indexes that hold them (`translated_texts`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language

from marketplace.models import TextTranslation
from marketplace.translation.languages import language_name, site_language, text_language
from marketplace.translation.providers import translation_configured


@dataclass(frozen=True)
class Written:
    """A text as a reader sees it: the original, its language, and the translation if there is one."""

    original: str
    language: str
    reader_language: str
    translated: str | None = None

    @property
    def foreign(self) -> bool:
        """Written in another language than the reader's."""
        return bool(self.original.strip()) and self.language != self.reader_language

    @property
    def text(self) -> str:
        """What to show: the translation when there is one, else the original."""
        return self.translated if self.translated is not None else self.original

    @property
    def text_language(self) -> str:
        """The language of `text` (for the element's `lang`)."""
        return self.reader_language if self.translated is not None else self.language

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def _key(text: str) -> tuple[str, str]:
    text = text.strip()
    return TextTranslation.hash_of(text), text_language(text)


@dataclass(frozen=True)
class Translations:
    """The stored translations of some texts into one reader language."""

    language: str
    found: dict[tuple[str, str], str] = field(default_factory=dict)
    # The foreign texts that have no translation yet (a view may ask for them).
    missing: list[str] = field(default_factory=list)

    def of(self, text: str | None) -> Written:
        text = text or ""
        language = text_language(text)
        translated = self.found.get(_key(text)) if text.strip() and language != self.language else None
        return Written(original=text, language=language, reader_language=self.language, translated=translated)


def translations_for(*, texts: Iterable[str | None], language: str | None = None) -> Translations:
    """The stored translations of `texts` into `language` (by default the active language)."""
    reader = site_language(language or get_language())
    foreign = {text.strip() for text in texts if text and text.strip() and text_language(text) != reader}
    if not foreign or not translation_configured():
        return Translations(language=reader)
    keys = {_key(text): text for text in foreign}
    rows = TextTranslation.objects.filter(
        text_hash__in={key[0] for key in keys}, target_language=reader, translated_at__isnull=False
    ).values_list("text_hash", "source_language", "translated_text")
    found = {(text_hash, source): translated for text_hash, source, translated in rows}
    return Translations(language=reader, found=found, missing=[text for key, text in keys.items() if key not in found])


def translated_texts(texts: Iterable[str | None]) -> dict[str, list[str]]:
    """Every stored translation of `texts`, whatever the language, by original (stripped), in
    language order: what a search index holds beside the original, so a query in any site
    language finds it. One query; none without a provider configured (as readers see them)."""
    originals = {text.strip() for text in texts if text and text.strip()}
    if not originals or not translation_configured():
        return {}
    keys = {_key(text): text for text in originals}
    rows = (
        TextTranslation.objects.filter(text_hash__in={key[0] for key in keys}, translated_at__isnull=False)
        .order_by("target_language")
        .values_list("text_hash", "source_language", "translated_text")
    )
    found: dict[str, list[str]] = {}
    for text_hash, source, translated in rows:
        original = keys.get((text_hash, source))
        if original is not None and translated:
            found.setdefault(original, []).append(translated)
    return found
