"""What people wrote, in the reader's language: `{% written rfq.title as title %}` gives the text
(`title.text`: the stored machine translation, else the original) with its language, from the
page's `translations` (marketplace.selectors.translations) or, without them, the original alone;
`{% include "marketplace/_written_note.html" with written=title %}` marks a translation with the
original behind "show the original", or an untranslated text with the language it is written in;
`marketplace/_written_mark.html`, for lists, is a small mark with the original in its title."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from marketplace.selectors.translations import Translations, Written
from marketplace.translation.languages import site_language, text_language

register = template.Library()


@register.simple_tag(takes_context=True)
def written(context: template.Context, text: str | None, translations: Translations | None = None) -> Written:
    translations = translations or context.get("translations")
    if isinstance(translations, Translations):
        return translations.of(text)
    return Written(
        original=text or "", language=text_language(text or ""), reader_language=site_language(get_language())
    )
