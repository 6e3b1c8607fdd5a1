"""What the other side wrote, read in one's own language beyond a thread's messages: a buyer's review
on the order page and in the API, the newest message in the list of conversations, and the e-mails
that quote an RFQ's title or a message. Translated by the local LibreTranslate-speaking server
(tests/translation_server.py); without a provider, or before a translation is made, the original,
marked with its language (e-mails never wait for one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from buyers.services.matching import rfq_match
from marketplace.models import Notification, TextTranslation
from marketplace.services.translation_requests import translations_request
from orders.models import Order
from orders.services.messages import message_send
from orders.services.reviews import review_create
from tests.buyers.builders_match import backpack_rfq, backpack_world
from tests.conftest import Actor
from tests.factories import CurrencyFactory
from tests.orders.builders_messages import rfq_thread
from tests.orders.builders_orders import order_in
from tests.querycount import assert_same_queries_for_page_sizes
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
QUESTION = "Can you send a sample before the order?"  # the local server knows it: "您能在下单前寄样品吗？"
QUESTION_IN_CHINESE = "您能在下单前寄样品吗？"
ANSWER = "可以，样品三天内寄出。"  # "Yes, the sample ships within three days."
ANSWER_IN_ENGLISH = "Yes, the sample ships within three days."
COMMENT = "Good zips, the logo print was sharp."


def page(actor: Actor, url: str, language: str, **query: Any) -> str:
    actor.client.cookies["django_language"] = language
    response = actor.client.get(url, query)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def reviewed(actors: dict[str, Actor], capture: Capture) -> Order:
    buyer = actors["buyer"]
    order = order_in(Order.Status.COMPLETED, buyer=buyer, supplier=actors["supplier"])
    with capture(execute=True):
        review_create(order_id=order.pk, company=buyer.company, actor=buyer.user, rating=4, comment=COMMENT)
    return order


# --- Reviews --------------------------------------------------------------------------------------


def test_cross_border_a_chinese_factory_reads_the_buyers_review_in_chinese(
    actors: dict[str, Actor], translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    factory = actors["supplier"]
    order = reviewed(actors, django_capture_on_commit_callbacks)

    assert translation_server.asked == [(COMMENT, "zh")]  # when the buyer wrote it
    order_page = page(factory, reverse("orders:order_detail", kwargs={"pk": order.pk}), "zh-hans")
    assert f"[zh] {COMMENT}" in order_page
    assert "自动翻译自英语" in order_page
    assert f'<div lang="en" data-original class="pre-line">{COMMENT}</div>' in order_page
    review = factory.client.get(reverse("api-order-detail", kwargs={"pk": order.pk})).json()["review"]
    assert (review["comment"], review["comment_language"]) == (COMMENT, "en")
    assert review["comment_translated"] == {"language": "zh-hans", "text": f"[zh] {COMMENT}"}
    buyers_own = page(actors["buyer"], reverse("orders:order_detail", kwargs={"pk": order.pk}), "en")
    assert f"[zh] {COMMENT}" not in buyers_own
    assert COMMENT in buyers_own


def test_cross_border_without_a_provider_a_review_is_shown_marked_english(
    actors: dict[str, Actor], django_capture_on_commit_callbacks: Capture
) -> None:
    factory = actors["supplier"]
    order = reviewed(actors, django_capture_on_commit_callbacks)

    order_page = page(factory, reverse("orders:order_detail", kwargs={"pk": order.pk}), "zh-hans")
    review = factory.client.get(reverse("api-order-detail", kwargs={"pk": order.pk})).json()["review"]

    assert COMMENT in order_page
    assert "原文为英语" in order_page
    assert (review["comment_language"], review["comment_translated"]) == ("en", None)
    assert not TextTranslation.objects.exists()


# --- The list of conversations --------------------------------------------------------------------


def test_cross_border_the_list_of_conversations_shows_the_newest_message_translated_and_marked(
    actors: dict[str, Actor], translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    with django_capture_on_commit_callbacks(execute=True):
        thread = rfq_thread(buyer, factory, body=QUESTION)
        translations_request(texts=[thread.rfq.title], languages=["zh-hans"])  # as matching asks for it
    inbox = reverse("orders:thread_list")

    chinese = page(factory, inbox, "zh-hans")
    assert f'<span lang="zh-hans" data-excerpt>{QUESTION_IN_CHINESE}</span>' in chinese
    assert "data-translated" in chinese
    assert f"[zh] {thread.rfq.title}" in chinese  # what the conversation is about
    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=thread.pk, company=factory.company, author=factory.user, body=ANSWER)
    english = page(buyer, inbox, "en")
    assert f'<span lang="en" data-excerpt>{ANSWER_IN_ENGLISH}</span>' in english
    assert f"Translated automatically from Simplified Chinese. The original: {ANSWER}" in english


def test_cross_border_without_a_provider_the_list_of_conversations_marks_the_messages_language(
    actors: dict[str, Actor],
) -> None:
    rfq_thread(actors["buyer"], actors["supplier"], body=QUESTION)

    chinese = page(actors["supplier"], reverse("orders:thread_list"), "zh-hans")

    assert QUESTION in chinese
    assert "原文为英语" in chinese


def test_cross_border_the_list_of_conversations_reads_its_translations_in_one_query(
    settings: Any,
    actors: dict[str, Actor],
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    with django_capture_on_commit_callbacks(execute=True):
        threads = [rfq_thread(buyer, factory, body=f"{QUESTION} ({number})") for number in range(10)]
        translations_request(texts=[thread.rfq.title for thread in threads], languages=["zh-hans"])

    def fetch(size: int) -> object:
        factory.client.cookies["django_language"] = "zh-hans"
        return factory.client.get(reverse("orders:thread_list"), {"page_size": size})

    with_provider = assert_same_queries_for_page_sizes(fetch)
    assert page(factory, reverse("orders:thread_list"), "zh-hans", page_size=10).count("data-translated") == 10
    settings.TRANSLATION_PROVIDER = ""
    assert with_provider == assert_same_queries_for_page_sizes(fetch) + 1


# --- E-mails --------------------------------------------------------------------------------------


def test_cross_border_a_chinese_factorys_e_mail_quotes_the_buyers_message_and_the_rfq_title_in_chinese(
    actors: dict[str, Actor], translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    with django_capture_on_commit_callbacks(execute=True):
        thread = rfq_thread(buyer, factory, body="Hello")
        translations_request(texts=[thread.rfq.title], languages=["zh-hans"])  # as matching asks for it
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=thread.pk, company=buyer.company, author=buyer.user, body=QUESTION)

    [email] = [email for email in mail.outbox if email.to == [factory.user.email]]
    assert f"[zh] {thread.rfq.title}" in email.subject
    assert QUESTION_IN_CHINESE in email.body
    assert QUESTION not in email.body


def test_cross_border_the_e_mail_of_a_long_message_quotes_its_start_translated(
    actors: dict[str, Actor], translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, factory, body="Hello")
    long = " ".join(["Please quote the clear PVC backpacks with our logo on the front pocket."] * 8)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=thread.pk, company=buyer.company, author=buyer.user, body=long)

    [email] = [email for email in mail.outbox if email.to == [factory.user.email]]
    assert f"[zh] {long[:300].strip()}…" in email.body
    assert (long, "zh") in translation_server.asked  # the whole message, for its page


def test_cross_border_an_e_mail_never_waits_for_a_translation_it_quotes_the_original_when_there_is_none(
    actors: dict[str, Actor], translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    buyer, factory = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, factory, body="Hello")
    translation_server.down()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=thread.pk, company=buyer.company, author=buyer.user, body=QUESTION)

    [email] = [email for email in mail.outbox if email.to == [factory.user.email]]
    assert QUESTION in email.body
    assert thread.rfq.title in email.subject
    sent = Notification.objects.filter(recipient=factory.user, kind="message_new").latest("id")
    assert sent.email_status == Notification.EmailStatus.SENT


def test_cross_border_a_matched_factorys_e_mail_gives_the_rfqs_title_in_chinese(
    translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)
    world = backpack_world()
    title = "Transparent school backpacks, 20,000 pcs for Istanbul"  # "透明学生书包，20000个，发往伊斯坦布尔"
    rfq = backpack_rfq(world, title=title)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        rfq_match(rfq_id=rfq.pk)

    factory = world.member(world.baigou_big)
    assert factory.preferred_language == "zh-hans"
    [email] = [email for email in mail.outbox if email.to == [factory.email]]
    assert "透明学生书包，20000个，发往伊斯坦布尔" in email.subject
    assert "透明学生书包，20000个，发往伊斯坦布尔" in email.body
