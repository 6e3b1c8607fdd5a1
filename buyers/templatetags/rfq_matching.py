"""Filters that show the facts of an RFQ notification (or a match) in the reader's language.

Notification contexts hold facts (ISO dates, unit and country codes, reason codes); these turn them
into text when the template is rendered, in the active language:

    {% load rfq_matching %}
    {{ reasons|match_reasons }}            In the Baigou bags belt · 14 matching products · ...
    {{ quantity|quantity_with_unit:unit }}  50,000 piece
    {{ destination_country|country_name }}  Sri Lanka / 斯里兰卡
    {{ required_by|iso_date|date:"DATE_FORMAT" }}
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import number_format
from django_countries import countries

from buyers.matching.reasons import reasons_line
from marketplace.models import prefers_chinese
from suppliers.models import Unit

register = template.Library()


@register.filter
def match_reasons(reasons: Any) -> str:
    """A match's stored reasons as one line in the active language."""
    return reasons_line(reasons if isinstance(reasons, list) else [])


@register.filter
def iso_date(value: Any) -> date | datetime | str:
    """An ISO date or date-time string as a date (or an aware date-time), for the `date` filter."""
    if isinstance(value, date | datetime) or not isinstance(value, str):
        return value
    try:
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        return parse_date(value) or value
    except ValueError:
        return value


@register.filter
def quantity_with_unit(quantity: Any, unit: Any) -> str:
    """50000, "piece" → "50,000 piece" (the unit's name in the active language)."""
    try:
        number = number_format(int(quantity), decimal_pos=0, use_l10n=True, force_grouping=True)
    except (TypeError, ValueError):
        return str(quantity)
    try:
        label = str(Unit(unit).label)
    except ValueError:
        label = str(unit or "")
    return f"{number} {label}".strip()


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
