"""Every notification kind an app declares has its subject and body templates, and they read in
English and in Chinese; a kind nobody declared is refused before anything is recorded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

from marketplace.models import Notification
from marketplace.notification_kinds import registered_notification_kinds
from marketplace.notification_texts import notification_render
from marketplace.services.notifications import notify
from tests.factories import UserFactory

CHINESE = re.compile(r"[\u4e00-\u9fff]")
KINDS = sorted(registered_notification_kinds())


def test_each_app_declares_the_kinds_it_sends() -> None:
    owners = registered_notification_kinds()

    assert owners["quote_received"] == "buyers"
    assert owners["negotiation_round_opened"] == "buyers"
    assert owners["order_placed"] == "orders"
    assert owners["verification_approved"] == "suppliers"
    assert owners["welcome"] == "marketplace"


def _sample_context() -> dict[str, object]:
    """A value for every name any notification template uses: text, numbers where a plural needs
    a count, empty lists where a loop runs."""
    folder = Path(settings.BASE_DIR) / "templates" / "notifications"
    source = " ".join(path.read_text(encoding="utf-8") for path in folder.glob("*.txt"))
    context: dict[str, object] = dict.fromkeys(re.findall(r"\b[a-z_][a-z0-9_]*\b", source), "2")
    context |= dict.fromkeys(re.findall(r"count \w+=(\w+)", source), 2)
    context |= {name: [] for name in re.findall(r"{% for [\w, ]+ in (\w+)", source)}
    return context


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("part", ["subject", "body"])
def test_every_declared_kind_has_its_template_in_english_and_chinese(kind: str, part: str) -> None:
    get_template(f"notifications/{kind}_{part}.txt")  # its own template, not the generic one
    notification = Notification(kind=kind, context=_sample_context())

    english = getattr(notification_render(notification=notification, language="en"), part)
    chinese = getattr(notification_render(notification=notification, language="zh-hans"), part)

    assert english.strip()
    assert CHINESE.search(chinese), f"{kind} {part} has no Chinese text: {chinese!r}"
    assert chinese != english


@pytest.mark.django_db
def test_a_kind_nobody_declared_is_refused_and_records_nothing() -> None:
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipients=[UserFactory()], kind="quote_recieved", event_key="typo:1")

    assert not Notification.objects.exists()
