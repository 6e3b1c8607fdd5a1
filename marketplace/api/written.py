"""What people wrote, in the API: a text's language (`<field>_language`) and its machine translation
into the reader's language (`<field>_translated`: {language, text}, or null when there is none yet,
no provider is configured, or the text is in the reader's language) beside the original.

A list computes the translations of its page at once (`TranslatingListSerializer`: one query, also
when the list is nested in another serializer); a single object reads those of all its fields at
once, on the first one it shows. The reader's language is the request's (docs/translation.md).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.selectors.translations import Translations
from marketplace.services.translation_requests import translations_read
from marketplace.translation.languages import text_language


class TranslatedTextSerializer(serializers.Serializer):
    language = serializers.CharField(help_text=_("The language it is translated into: yours (en, zh-hans)."))
    text = serializers.CharField(help_text=_("The machine translation."))


def _remember(serializer: serializers.BaseSerializer, translations: Translations) -> None:
    """Keep `translations` where every field below `serializer` reads its context (the root's),
    beside those already kept there."""
    root = serializer.root
    context = getattr(root, "_context", {})
    known = context.get("translations")
    if isinstance(known, Translations) and known.language == translations.language:
        translations = Translations(
            language=translations.language,
            found={**known.found, **translations.found},
            missing=[*known.missing, *translations.missing],
        )
    root._context = {**context, "translations": translations}


def _covers(translations: Translations, text: str) -> bool:
    """Whether `text` was looked up in `translations` (or needs no translation)."""
    written = translations.of(text)
    return not written.foreign or written.translated is not None or text.strip() in translations.missing


def _translations(field: serializers.Field, text: str) -> Translations:
    translations = field.context.get("translations")
    if isinstance(translations, Translations) and _covers(translations, text):
        return translations
    root = field.root
    everything: list[str] = []
    if isinstance(root, serializers.Serializer) and root.instance is not None:
        # A single object: the texts of all its fields at once (one query, not one a field).
        everything = _texts(root, root.instance)
    translations = translations_read(texts=everything if text in everything else [text])
    _remember(root, translations)
    return translations


@extend_schema_field(serializers.CharField(help_text=_("The language it is written in (en, zh-hans).")))
class WrittenLanguageField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: str) -> str:
        return text_language(value or "")


@extend_schema_field(TranslatedTextSerializer(allow_null=True))
class TranslatedField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("A machine translation into your language, or null (none yet, or none needed).")
        )
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: str) -> dict[str, str] | None:
        written = _translations(self, str(value or "")).of(value)
        if written.translated is None:
            return None
        return {"language": written.reader_language, "text": written.translated}


def _texts(serializer: serializers.Serializer, instance: Any) -> list[str]:
    """The texts of an instance's `TranslatedField`s, nested serializers included."""
    texts: list[str] = []
    for field in serializer.fields.values():
        if isinstance(field, TranslatedField):
            texts.append(str(field.get_attribute(instance) or ""))
        elif isinstance(field, serializers.Serializer):
            nested = field.get_attribute(instance)
            if nested is not None:
                texts.extend(_texts(field, nested))
    return texts


class TranslatingListSerializer(serializers.ListSerializer):
    """A list whose items have `TranslatedField`s (theirs or their nested serializers'): the
    translations are read for the whole page at once."""

    def to_representation(self, data: Any) -> list[Any]:
        items = list(data.all() if hasattr(data, "all") else data)
        child = self.child
        assert isinstance(child, serializers.Serializer)  # for the type checker
        translations = translations_read(texts=[text for item in items for text in _texts(child, item)])
        _remember(self, translations)  # what the items' fields read
        return super().to_representation(items)
