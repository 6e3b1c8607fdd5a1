"""Filters that show the facts of an RFQ notification (or a match) in the reader's language.

Notification contexts hold facts (ISO dates, unit and country codes, reason codes); these turn them
into text when the template is rendered, in the active language:

    {% load rfq_matching %}
    {{ reasons|match_reasons }}            In the Baigou bags belt · 14 matching products · ...
    {{ destination_country|country_name }}  Sri Lanka / 斯里兰卡

Quantities with their unit and dates come from the `money` library (`quantity_with_unit`, `day`,
`moment`), which reads ISO date strings too.
"""

from __future__ import annotations

from typing import Any

from django import template
from django_countries import countries

from buyers.matching.reasons import reasons_line
from marketplace.models import prefers_chinese

register = template.Library()


@register.filter
def match_reasons(reasons: Any) -> str:
    """A match's stored reasons as one line in the active language."""
    return reasons_line(reasons if isinstance(reasons, list) else [])


@register.filter
def country_name(code: Any) -> str:
    """An ISO country code as the country's name in the active language."""
    text = str(code or "").upper()
    return str(countries.name(text) or text)


@register.filter
def in_language(english: Any, chinese: Any) -> str:
    """{{ category_en|in_language:category_zh }}: the name in the reader's language."""
    english, chinese = str(english or ""), str(chinese or "")
    return (chinese or english) if prefers_chinese() else (english or chinese)
