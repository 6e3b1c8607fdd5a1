"""The text of a notification: its kind's templates rendered with its context, the same for the
e-mail and for the notification centre.

A notification's `kind` names its templates, `notifications/<kind>_subject.txt` and
`notifications/<kind>_body.txt`. They are rendered with the row's `context`: in the recipient's
language for e-mail, in the reader's language in the notification centre.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates
from django.utils import translation

from marketplace.models import Notification

logger = logging.getLogger(__name__)

_KIND_PATTERN = re.compile(r"^[a-z0-9_]{1,60}$")
_FALLBACK_KIND = "default"


@dataclass(frozen=True)
class RenderedNotification:
    """A notification's text in one language: a one-line subject and a plain-text body."""

    subject: str
    body: str


@functools.cache
def _text_templates() -> DjangoTemplates:
    """The project's templates, loaded for plain text: no HTML escaping ("A & B" stays "A & B")."""
    base = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "notification-text",
            "DIRS": base.get("DIRS", []),
            "APP_DIRS": base.get("APP_DIRS", False),
            "OPTIONS": {"autoescape": False},
        }
    )


def render_text(names: list[str], context: dict[str, Any]) -> str:
    engine = _text_templates()
    for name in names:
        try:
            template = engine.get_template(name)
        except TemplateDoesNotExist:
            continue
        text = template.render(context).strip()  # str.strip() also drops the "safe" marking
        return re.sub(r"\n{3,}", "\n\n", text)
    raise TemplateDoesNotExist(", ".join(names))


def _template_names(kind: str, part: str) -> list[str]:
    names = [f"notifications/{kind}_{part}.txt"] if _KIND_PATTERN.match(kind) else []
    return [*names, f"notifications/{_FALLBACK_KIND}_{part}.txt"]


def notification_render(
    *, notification: Notification, language: str | None = None, context: dict[str, Any] | None = None
) -> RenderedNotification:
    """Render the subject and body of `notification` from its kind's templates.

    In `language` when given (e-mail: the recipient's), else in the active language (a page: the
    reader's); with `context`, that instead of the row's (e-mail: what people wrote, translated).
    An unknown kind falls back to a generic text. Template errors propagate: e-mail delivery
    records them as the failure reason; the notification centre uses `notification_text`, which
    never fails.
    """
    if language:
        with translation.override(language):
            return notification_render(notification=notification, context=context)
    if context is None:
        context = dict(notification.context) if isinstance(notification.context, dict) else {}
    subject = render_text(_template_names(notification.kind, "subject"), context)
    body = render_text(_template_names(notification.kind, "body"), context)
    return RenderedNotification(subject=" ".join(subject.split()), body=body)


def notification_text(notification: Notification) -> RenderedNotification:
    """The title and summary shown in the notification centre, in the active language; never fails."""
    try:
        return notification_render(notification=notification)
    except Exception:
        logger.exception("Could not render notification %s of kind %r", notification.pk, notification.kind)
        return notification_render(notification=Notification(kind=_FALLBACK_KIND))


def notification_absolute_url(url: str) -> str:
    """The link for an e-mail: site paths are made absolute with SITE_URL; full URLs stay."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("/"):
        return f"{settings.SITE_URL}{url}"
    return ""
