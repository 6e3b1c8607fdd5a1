"""A buyer reads what a Chinese factory wrote on its quote (notes, port) in its own language, on the
comparison, on the award's confirmation and through the API; the factory reads what the buyer asks
in a negotiation round in Chinese. Translated after the quote (or the round) is sent, by the local
LibreTranslate-speaking server (tests/translation_server.py); originals marked with their language
without a provider."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.models import Quote, SourcingRequest
from buyers.quote_rules import quote_terms_from
from buyers.services.quotes import quote_revise, quote_submit
from buyers.services.rounds import round_open
from marketplace.models import TextTranslation
from marketplace.services.translation_requests import translations_request
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.conftest import Actor
from tests.factories import CurrencyFactory
from tests.querycount import count_queries
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
NOTES = "可以，样品三天内寄出。"  # the local server knows it: "Yes, the sample ships within three days."
NOTES_IN_ENGLISH = "Yes, the sample ships within three days."
PORT = "宁波"
ASKED = "Can you send a sample before the order?"  # the local server knows it: "您能在下单前寄样品吗？"


@pytest.fixture
def rfq(actors: dict[str, Actor]) -> SourcingRequest:
    CurrencyFactory(code="USD")
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=10_000, allow_split=True)
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    return rfq


def _terms(rfq: SourcingRequest, **changes: object) -> dict[str, object]:
    return {
        "unit_price": "6.50",
        "currency": "USD",
        "quantity": rfq.quantity,
        "lead_time_days": 15,
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "incoterm": "FOB",
        "port": PORT,
        "notes": NOTES,
        **changes,
    }


def quoted(rfq: SourcingRequest, factory: Actor, capture: Capture) -> Quote:
    """The Chinese factory's quote, sent with what waits for the commit run (the translations)."""
    with capture(execute=True):
        return quote_submit(
            rfq_id=rfq.pk,
            supplier=factory.supplier,
            actor=factory.user,
            terms=quote_terms_from(_terms(rfq), rfq=rfq),
        )


def page(response: object) -> str:
    assert response.status_code == 200  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _award_review(buyer: Actor, rfq: SourcingRequest, quote: Quote) -> str:
    data = {"mode": "split", f"qty_{quote.pk}": "10000", f"ver_{quote.pk}": str(quote.version), "currency": "USD"}
    return page(buyer.client.post(reverse("orders:rfq_award", kwargs={"pk": rfq.pk}), data))


def test_cross_border_a_buyer_reads_a_chinese_factorys_quote_notes_and_port_in_english(
    actors: dict[str, Actor],
    rfq: SourcingRequest,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    buyer = actors["buyer"]
    quote = quoted(rfq, actors["supplier"], django_capture_on_commit_callbacks)

    # Asked for once, when the quote was sent, in the buyer's people's language.
    assert sorted(translation_server.asked) == sorted([(NOTES, "en"), (PORT, "en")])
    comparison = page(buyer.client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})))
    assert NOTES_IN_ENGLISH in comparison
    assert "Translated automatically from Simplified Chinese · show the original" in comparison
    assert f'<div lang="zh-hans" data-original class="pre-line">{NOTES}</div>' in comparison
    assert '<span lang="en" data-port>[en] 宁波</span>' in comparison
    assert "data-translated" in comparison  # the port's small mark, with the original in its title
    award = _award_review(buyer, rfq, quote)
    assert NOTES_IN_ENGLISH in award
    assert "[en] 宁波" in award

    row = buyer.client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk})).json()["rows"][0]["quote"]
    assert (row["notes"], row["notes_language"]) == (NOTES, "zh-hans")
    assert row["notes_translated"] == {"language": "en", "text": NOTES_IN_ENGLISH}
    assert row["port_translated"] == {"language": "en", "text": "[en] 宁波"}
    assert len(translation_server.asked) == 2  # reading asked for nothing more


def test_cross_border_a_revised_note_is_translated_for_the_buyer_when_the_quote_is_revised(
    actors: dict[str, Actor],
    rfq: SourcingRequest,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    factory = actors["supplier"]
    quote = quoted(rfq, factory, django_capture_on_commit_callbacks)
    revised_notes = "价格含双色印刷。"

    with django_capture_on_commit_callbacks(execute=True):
        quote_revise(
            quote_id=quote.pk,
            supplier=factory.supplier,
            actor=factory.user,
            terms=quote_terms_from(_terms(rfq, notes=revised_notes), rfq=rfq),
        )

    assert (revised_notes, "en") in translation_server.asked
    comparison = page(actors["buyer"].client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})))
    assert f"[en] {revised_notes}" in comparison


def test_cross_border_without_a_provider_the_buyer_sees_the_factorys_notes_marked_as_chinese(
    actors: dict[str, Actor], rfq: SourcingRequest, django_capture_on_commit_callbacks: Capture
) -> None:
    buyer = actors["buyer"]
    quote = quoted(rfq, actors["supplier"], django_capture_on_commit_callbacks)

    comparison = page(buyer.client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})))
    award = _award_review(buyer, rfq, quote)
    row = buyer.client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk})).json()["rows"][0]["quote"]

    assert NOTES in comparison
    assert "Written in Simplified Chinese" in comparison
    assert NOTES in award
    assert "Written in Simplified Chinese" in award
    assert (row["notes_language"], row["notes_translated"], row["port_translated"]) == ("zh-hans", None, None)
    assert not TextTranslation.objects.exists()


def test_cross_border_the_comparison_reads_its_quotes_translations_in_one_query(
    settings: Any,
    actors: dict[str, Actor],
    rfq: SourcingRequest,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    client = actors["buyer"].client
    url = reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})
    api = reverse("api-rfq-quotes", kwargs={"pk": rfq.pk})

    def factories_write(count: int) -> None:
        quotes = QuoteFactory.create_batch(count, rfq=rfq, quantity=1000, port=PORT)
        for number, quote in enumerate(quotes):
            Quote.objects.filter(pk=quote.pk).update(notes=f"第{quote.pk}号报价，含运费。{number}")
        with django_capture_on_commit_callbacks(execute=True):
            translations_request(texts=Quote.objects.values_list("notes", flat=True), languages=["en"])
            translations_request(texts=[PORT], languages=["en"])

    factories_write(2)
    few = count_queries(lambda: client.get(url)), count_queries(lambda: client.get(api))
    factories_write(6)
    many = count_queries(lambda: client.get(url)), count_queries(lambda: client.get(api))

    assert few == many
    assert page(client.get(url)).count("data-translated") >= 8
    with_provider = many
    settings.TRANSLATION_PROVIDER = ""
    without = count_queries(lambda: client.get(url)), count_queries(lambda: client.get(api))
    assert with_provider == (without[0] + 1, without[1] + 1)  # the page's translations: one query


def test_cross_border_a_chinese_factory_reads_what_the_buyer_asks_in_a_negotiation_round_in_chinese(
    settings: Any,
    actors: dict[str, Actor],
    rfq: SourcingRequest,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    factory, buyer = actors["supplier"], actors["buyer"]
    quoted(rfq, factory, django_capture_on_commit_callbacks)
    SourcingRequest.objects.filter(pk=rfq.pk).update(quote_deadline=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        round_open(
            rfq_id=rfq.pk,
            buyer=buyer.company,
            actor=buyer.user,
            deadline=timezone.now() + timedelta(days=1),
            message=ASKED,
        )
    factory.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})
    with django_capture_on_commit_callbacks(execute=True):
        first = page(factory.client.get(url))  # the RFQ was never matched: this reading asks for its title

    quote_page = page(factory.client.get(url))
    api = factory.client.get(reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk})).json()

    assert (ASKED, "zh") in translation_server.asked  # asked for when the round opened
    assert "您能在下单前寄样品吗？" in quote_page
    assert "自动翻译自英语" in quote_page
    assert rfq.title in first
    assert f"[zh] {rfq.title}" in quote_page  # the RFQ's title, asked for by the first reading
    assert api["rounds"][0]["message_translated"] == {"language": "zh-hans", "text": "您能在下单前寄样品吗？"}
    assert api["rounds"][0]["message_language"] == "en"
    assert api["notes_translated"] is None  # its own notes, in its own language
