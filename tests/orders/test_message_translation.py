"""Buyer and factory write in their own languages and read each other in theirs: a message is
translated for the other side after it is sent (by the local LibreTranslate-speaking server,
tests/translation_server.py), shown marked with the original behind "show the original", and the
API gives the translation beside the original and its language."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.urls import reverse

from orders.services.messages import message_send
from tests.conftest import Actor
from tests.orders.builders_messages import rfq_thread
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
QUESTION = "Can you send a sample before the order?"
ANSWER = "可以，样品三天内寄出。"


def page(actor: Actor, thread_id: int, language: str) -> str:
    actor.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = actor.client.get(reverse("orders:thread_detail", kwargs={"pk": thread_id}))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_cross_border_a_buyer_and_a_chinese_factory_read_each_others_messages_in_their_own_language(
    actors: dict[str, Actor], translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    with django_capture_on_commit_callbacks(execute=True):
        thread = rfq_thread(buyer, factory, body=QUESTION)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=thread.pk, company=factory.company, author=factory.user, body=ANSWER)

    chinese = page(factory, thread.pk, "zh-hans")
    assert "您能在下单前寄样品吗？" in chinese
    assert "自动翻译自英语" in chinese
    assert QUESTION in chinese  # the original, behind the toggle
    english = page(buyer, thread.pk, "en")
    assert "Yes, the sample ships within three days." in english
    assert "Translated automatically from Simplified Chinese" in english
    assert translation_server.asked == [(QUESTION, "zh"), (ANSWER, "en")]  # each once, when sent

    messages = buyer.client.get(reverse("api-thread-messages", kwargs={"pk": thread.pk})).json()["results"]
    answer = next(message for message in messages if message["body"] == ANSWER)
    assert answer["body_language"] == "zh-hans"
    assert answer["body_translated"] == {"language": "en", "text": "Yes, the sample ships within three days."}
    question = next(message for message in messages if message["body"] == QUESTION)
    assert (question["body_language"], question["body_translated"]) == ("en", None)  # the buyer's own language


def test_cross_border_without_a_provider_a_message_says_which_language_it_is_written_in(
    actors: dict[str, Actor],
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, factory, body=QUESTION)

    chinese = page(factory, thread.pk, "zh-hans")

    assert QUESTION in chinese
    assert "原文为英语" in chinese
