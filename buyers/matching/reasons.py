"""Why a supplier was matched, in the reader's language.

A Match stores its reasons as facts (`{"code": "belt", "belt_en": ..., "belt_zh": ...}`), never as
translated text: the buyer reads them in English, the Baigou factory in Chinese. The codes, and the
facts each carries (written by `buyers.matching.scoring.reasons_of`):

| code | facts | reads |
| --- | --- | --- |
| `invited` | | Invited by the buyer |
| `belt` | `belt_en`, `belt_zh` | In the Baigou bags belt |
| `products` | `count` | 14 matching products |
| `capacity` | `monthly`, `unit` | Capacity 200,000 pieces a month |
| `lead_time` | `days` | Lead time 15 days |
| `moq` | `moq`, `unit` | MOQ 500 pieces |
| `quotes_within` | `minutes` | Usually quotes within 2 h |
| `response_rate` | `percent` | Answers 95% of requests |
| `rating` | `average`, `count` | Rated 4.6/5 by 12 buyers |
| `on_time` | `percent` | 95% of orders on time |
| `exports_to` | `country` (ISO code) | Exports to Sri Lanka |
| `verified` | | Verified supplier |

Unknown codes and malformed facts are left out, never an error (a page must not break on old data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from marketplace.formatting import quantity_text, quantity_with_unit
from marketplace.models import prefers_chinese

# The phrases joined into one line ("In the Baigou bags belt · 14 matching products · ...").
SEPARATOR = " · "


def _number(value: Any) -> str:
    return quantity_text(int(value))


def _belt(reason: dict[str, Any]) -> str:
    english, chinese = reason.get("belt_en") or "", reason.get("belt_zh") or ""
    name = (chinese or english) if prefers_chinese() else (english or chinese)
    return _("In the %(belt)s belt") % {"belt": name} if name else ""


def _products(reason: dict[str, Any]) -> str:
    count = int(reason["count"])
    return ngettext("%(count)s matching product", "%(count)s matching products", count) % {"count": _number(count)}


def _capacity(reason: dict[str, Any]) -> str:
    return _("Capacity %(quantity)s a month") % {
        "quantity": quantity_with_unit(int(reason["monthly"]), reason.get("unit"))
    }


def _lead_time(reason: dict[str, Any]) -> str:
    days = int(reason["days"])
    return ngettext("Lead time %(days)s day", "Lead time %(days)s days", days) % {"days": days}


def _moq(reason: dict[str, Any]) -> str:
    return _("MOQ %(quantity)s") % {"quantity": quantity_with_unit(int(reason["moq"]), reason.get("unit"))}


def _quotes_within(reason: dict[str, Any]) -> str:
    minutes = max(int(reason["minutes"]), 1)
    if minutes < 60:
        return ngettext(
            "Usually quotes within %(count)s minute", "Usually quotes within %(count)s minutes", minutes
        ) % {"count": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("Usually quotes within %(count)s hour", "Usually quotes within %(count)s hours", hours) % {
            "count": hours
        }
    days = round(hours / 24)
    return ngettext("Usually quotes within %(count)s day", "Usually quotes within %(count)s days", days) % {
        "count": days
    }


def _response_rate(reason: dict[str, Any]) -> str:
    return _("Answers %(percent)s%% of requests") % {"percent": int(reason["percent"])}


def _rating(reason: dict[str, Any]) -> str:
    count = int(reason["count"])
    average = number_format(float(reason["average"]), decimal_pos=1, use_l10n=True)
    return ngettext("Rated %(average)s/5 by %(count)s buyer", "Rated %(average)s/5 by %(count)s buyers", count) % {
        "average": average,
        "count": _number(count),
    }


def _on_time(reason: dict[str, Any]) -> str:
    return _("%(percent)s%% of orders on time") % {"percent": int(reason["percent"])}


def _exports_to(reason: dict[str, Any]) -> str:
    code = str(reason["country"]).upper()
    name = countries.name(code) or code
    return _("Exports to %(country)s") % {"country": name}


_RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "invited": lambda reason: _("Invited by the buyer"),
    "belt": _belt,
    "products": _products,
    "capacity": _capacity,
    "lead_time": _lead_time,
    "moq": _moq,
    "quotes_within": _quotes_within,
    "response_rate": _response_rate,
    "rating": _rating,
    "on_time": _on_time,
    "exports_to": _exports_to,
    "verified": lambda reason: _("Verified supplier"),
}


def render_reason(reason: dict[str, Any]) -> str:
    """One reason as a short phrase in the active language; "" for an unknown code or bad facts."""
    if not isinstance(reason, dict):
        return ""
    renderer = _RENDERERS.get(str(reason.get("code")))
    if renderer is None:
        return ""
    try:
        return renderer(reason)
    except (KeyError, TypeError, ValueError):
        return ""


def render_reasons(reasons: list[dict[str, Any]]) -> list[str]:
    """The reasons as short phrases in the active language, in stored order, unknown codes left out."""
    if not isinstance(reasons, list):
        return []
    return [text for text in (render_reason(reason) for reason in reasons) if text]


def reasons_line(reasons: list[dict[str, Any]]) -> str:
    """The reasons as one line: "In the Baigou bags belt · 14 matching products · ..."."""
    return SEPARATOR.join(render_reasons(reasons))
