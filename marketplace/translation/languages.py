"""The language a text is written in, among the site's languages (settings.LANGUAGES).

The site speaks English and Simplified Chinese, which differ by script: a text whose letters are
mostly Chinese characters is Chinese, any other text English. This is decided here, the same way
when a text is written and when it is read, so the stored translation of a text is found again
without asking the provider in a request.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

from django.conf import settings
from django.utils.translation import get_language_info

CHINESE = "zh-hans"
ENGLISH = "en"


# Below U+3400 (CJK Extension A, the first block of ideographs) there is no Chinese character: Latin
# letters, digits and punctuation are decided without looking their names up.
_FIRST_IDEOGRAPH = "\u3400"


@cache
def _is_han_name(character: str) -> bool:
    return unicodedata.name(character, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def _is_han(character: str) -> bool:
    # Search results and pages decide the language of every title and description they show: this
    # runs per character, so the name look-up is done once per character ever (a few thousand).
    return character >= _FIRST_IDEOGRAPH and _is_han_name(character)


@lru_cache(maxsize=4096)  # pages show the same titles and descriptions again and again
def text_language(text: str) -> str:
    """The site language `text` is written in: Chinese when it has at least as many Chinese
    characters as words in other letters (a Chinese sentence names brands and models in Latin
    letters; a Chinese character is about a word), else English."""
    han = words = 0
    in_word = False
    for character in text:
        if _is_han(character):
            han += 1
            in_word = False
        elif character.isalpha():
            words += not in_word
            in_word = True
        else:
            in_word = False
    return CHINESE if han and han >= words else ENGLISH


def site_language(code: str | None) -> str:
    """The site language of a language code (`zh-Hans`, `zh-cn` -> `zh-hans`; unknown -> English)."""
    code = (code or "").lower()
    known = [language for language, _name in settings.LANGUAGES]
    if code in known:
        return code
    if code.startswith("zh"):
        return CHINESE
    return ENGLISH if ENGLISH in known else known[0]


def language_name(code: str) -> str:
    """The language's name in the active language ("English", "英语")."""
    return str(get_language_info(code)["name_translated"])
