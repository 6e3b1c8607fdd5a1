"""A Chinese factory reads an English RFQ in Chinese: the RFQ is translated for its matched
suppliers after it is matched, by the local LibreTranslate-speaking server (tests/translation_server.py),
and shown marked "translated automatically" with the original one click away."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buyers.models import SourcingRequest
from buyers.services.matching import rfq_match
from marketplace.models import TextTranslation
from marketplace.tasks.translations import text_translations_relay_task
from tests.buyers.builders_match import BackpackWorld, backpack_rfq, backpack_world
from tests.factories import CurrencyFactory
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
TITLE = "Cotton tote bags with a printed logo"
DESCRIPTION = "We need 5,000 cotton tote bags, 280 gsm canvas, printed in two colours."


@pytest.fixture
def world(db: None) -> BackpackWorld:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)
    return backpack_world()


def published(world: BackpackWorld, capture: Capture) -> SourcingRequest:
    """The buyer's English RFQ, matched (as after publishing) with what waits for the commit run."""
    rfq = backpack_rfq(world, title=TITLE, description=DESCRIPTION)
    with capture(execute=True):
        rfq_match(rfq_id=rfq.pk)
    return rfq


def reader(world: BackpackWorld, language: str = "zh-hans") -> Client:
    """A member of the best Baigou factory, reading in `language`."""
    client = Client()
    client.force_login(world.member(world.baigou_big))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page_of(client: Client, rfq: SourcingRequest) -> str:
    response = client.get(reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk}))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_cross_border_a_chinese_factory_reads_an_english_rfq_in_chinese_with_the_original_a_click_away(
    world: BackpackWorld, translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    rfq = published(world, django_capture_on_commit_callbacks)

    page = page_of(reader(world), rfq)

    assert "印有标志的棉质手提袋" in page
    assert "我们需要5000个棉质手提袋，280克帆布，双色印刷。" in page
    assert "自动翻译自英语" in page  # "translated automatically from English"
    assert f'<div lang="en" data-original class="pre-line">{TITLE}</div>' in page
    assert "280 gsm canvas, printed in two colours." in page  # the description's original, behind the toggle
    inbox = reader(world).get(reverse("buyers:supplier_inbox")).content.decode()
    assert "印有标志的棉质手提袋" in inbox


def test_cross_border_the_same_text_is_sent_to_the_translation_server_once(
    world: BackpackWorld, translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    first = published(world, django_capture_on_commit_callbacks)
    second = published(world, django_capture_on_commit_callbacks)  # another buyer's RFQ, word for word
    for rfq in (first, second):
        page_of(reader(world), rfq)
        page_of(reader(world), rfq)

    assert sorted(translation_server.asked) == sorted([(TITLE, "zh"), (DESCRIPTION, "zh")])


def test_cross_border_when_the_translation_server_is_down_the_original_is_shown_and_a_later_retry_fills_it(
    world: BackpackWorld, translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    translation_server.down()
    rfq = published(world, django_capture_on_commit_callbacks)

    page = page_of(reader(world), rfq)
    assert TITLE in page
    assert "印有标志的棉质手提袋" not in page
    assert "原文为英语" in page  # "written in English"
    pending = TextTranslation.objects.get(source_text=TITLE, target_language="zh-hans")
    assert pending.translated_at is None
    assert "127.0.0.1" in pending.last_error

    translation_server.up()
    TextTranslation.objects.update(due_at=timezone.now() - timedelta(seconds=1))  # the retry is due
    text_translations_relay_task()

    assert "印有标志的棉质手提袋" in page_of(reader(world), rfq)


def test_cross_border_without_a_provider_originals_are_shown_with_their_language(
    world: BackpackWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    rfq = published(world, django_capture_on_commit_callbacks)

    page = page_of(reader(world), rfq)

    assert TITLE in page
    assert "原文为英语" in page
    assert not TextTranslation.objects.exists()
    english = page_of(reader(world, "en"), rfq)
    assert "Written in" not in english


def test_cross_border_the_inbox_api_gives_the_translation_beside_the_original_and_its_language(
    world: BackpackWorld, translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    rfq = published(world, django_capture_on_commit_callbacks)
    client = reader(world)

    entry = client.get(reverse("api-inbox-list")).json()["results"][0]["rfq"]
    detail = client.get(reverse("api-inbox-detail", kwargs={"rfq_id": rfq.pk})).json()["rfq"]

    assert (entry["title"], entry["title_language"]) == (TITLE, "en")
    assert entry["title_translated"] == {"language": "zh-hans", "text": "印有标志的棉质手提袋"}
    assert detail["description_language"] == "en"
    assert detail["description_translated"] == {
        "language": "zh-hans",
        "text": "我们需要5000个棉质手提袋，280克帆布，双色印刷。",
    }
    english = reader(world, "en").get(reverse("api-inbox-list")).json()["results"][0]["rfq"]
    assert english["title_translated"] is None
