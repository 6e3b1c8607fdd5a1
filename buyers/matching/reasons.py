"""Why a supplier was matched, in the reader's language.

A Match stores its reasons as facts (`{"code": "belt", "belt_en": ..., "belt_zh": ...}`), never as
translated text: the buyer reads them in English, the Baigou factory in Chinese.
(The matching helper extends the codes.)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def render_reason(reason: dict[str, Any]) -> str:
    code = reason.get("code")
    if code == "products":
        count = int(reason.get("count", 0))
        return ngettext("%(count)s matching product", "%(count)s matching products", count) % {"count": count}
    if code == "invited":
        return _("Invited by the buyer")
    return ""


def render_reasons(reasons: list[dict[str, Any]]) -> list[str]:
    """The reasons as short phrases in the active language, in stored order, unknown codes left out."""
    return [text for text in (render_reason(reason) for reason in reasons or []) if text]
