"""Sealed bidding you can trust: quotes freeze at the deadline, negotiation rounds reopen only the
quotes the buyer names until the round's deadline, and an award is pinned to the versions the
buyer compared (nothing is created when one changed since)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from buyers.models import Award, NegotiationRound, Quote, QuoteVersion, RfqEvent, SourcingRequest
from buyers.quote_rules import quote_terms_from
from buyers.services.quotes import quote_revise, quote_submit, quote_withdraw
from buyers.services.rounds import round_end, round_open, rounds_end_due
from marketplace.errors import Conflict
from marketplace.models import Notification
from orders.models import Order
from orders.services.award import rfq_award
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import CurrencyFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
Status = SourcingRequest.Status


def _terms(rfq: SourcingRequest, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit_price": "6.50",
        "currency": "USD",
        "quantity": rfq.quantity,
        "lead_time_days": 15,
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "incoterm": "FOB",
        "port": "Ningbo",
    }
    data.update(changes)
    return data


@pytest.fixture
def rfq(actors: dict) -> SourcingRequest:
    CurrencyFactory(code="USD")
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=10_000, allow_split=True)
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    MatchFactory(rfq=rfq, supplier=actors["other_supplier"].supplier)
    return rfq


def _quote(rfq: SourcingRequest, actor: object, **changes: object) -> Quote:
    terms = quote_terms_from(_terms(rfq, **changes), rfq=rfq)
    return quote_submit(rfq_id=rfq.pk, supplier=actor.supplier, actor=actor.user, terms=terms)


def _revise(rfq: SourcingRequest, actor: object, quote: Quote, **changes: object) -> Quote:
    terms = quote_terms_from(_terms(rfq, **changes), rfq=rfq)
    return quote_revise(quote_id=quote.pk, supplier=actor.supplier, actor=actor.user, terms=terms)


def _deadline_passes(rfq: SourcingRequest) -> None:
    SourcingRequest.objects.filter(pk=rfq.pk).update(quote_deadline=timezone.now() - timedelta(minutes=1))
    rfq.refresh_from_db()


def test_bid_revised_through_the_api_after_the_deadline_answers_409_and_keeps_the_quote(
    actors: dict, rfq: SourcingRequest
) -> None:
    quote = _quote(rfq, actors["supplier"])
    _deadline_passes(rfq)

    response = actors["supplier"].client.put(
        reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk}), _terms(rfq, unit_price="9.99"), content_type=JSON
    )

    assert response.status_code == 409
    assert "deadline passed" in response.json()["error"]["message"]
    quote.refresh_from_db()
    assert (quote.version, quote.unit_price) == (1, Decimal("6.50"))
    assert QuoteVersion.objects.filter(quote=quote).count() == 1


def test_bid_cannot_be_revised_or_withdrawn_after_the_buyer_closed_the_request(
    actors: dict, rfq: SourcingRequest
) -> None:
    quote = _quote(rfq, actors["supplier"])
    actors["buyer"].client.post(reverse("buyers:rfq_close", kwargs={"pk": rfq.pk}))
    rfq.refresh_from_db()
    assert rfq.status == Status.CLOSED

    with pytest.raises(Conflict, match="was closed on"):
        _revise(rfq, actors["supplier"], quote, unit_price="9.99")
    with pytest.raises(Conflict, match="bids are final"):
        quote_withdraw(quote_id=quote.pk, supplier=actors["supplier"].supplier, actor=actors["supplier"].user)
    page = actors["supplier"].client.get(reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})).content.decode()
    assert "data-bids-final" in page
    assert "data-quote-form" not in page
    assert "data-withdraw" not in page


def test_bid_page_post_after_the_deadline_gets_a_message_and_409(actors: dict, rfq: SourcingRequest) -> None:
    _quote(rfq, actors["supplier"])
    _deadline_passes(rfq)

    response = actors["supplier"].client.post(
        reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}), _terms(rfq, unit_price="9.99")
    )

    assert response.status_code == 409
    assert Quote.objects.get(rfq=rfq).unit_price == Decimal("6.50")


def test_bid_the_award_is_priced_at_the_compared_version_even_when_a_late_revision_was_tried(
    actors: dict, rfq: SourcingRequest
) -> None:
    """The reported case: quoted 6.50, revised after close to 9.99, ordered at 9.99. Now the
    revision is refused and the order is at 6.50."""
    quote = _quote(rfq, actors["supplier"])
    rfq_close_response = actors["buyer"].client.post(reverse("buyers:rfq_close", kwargs={"pk": rfq.pk}))
    assert rfq_close_response.status_code == 302
    with pytest.raises(Conflict):
        _revise(rfq, actors["supplier"], quote, unit_price="9.99")

    orders = rfq_award(
        rfq_id=rfq.pk,
        buyer=actors["buyer"].company,
        actor=actors["buyer"].user,
        allocations={quote.pk: 10_000},
        versions={quote.pk: 1},
    )

    assert orders[0].lines.get().unit_price == Decimal("6.50")
    assert orders[0].goods_total == Decimal("65000.00")


def test_bid_a_negotiation_round_lets_only_the_named_supplier_revise_until_its_deadline(
    actors: dict, rfq: SourcingRequest, django_capture_on_commit_callbacks: Callable
) -> None:
    asked = _quote(rfq, actors["supplier"])
    not_asked = _quote(rfq, actors["other_supplier"], unit_price="7.00")
    _deadline_passes(rfq)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        negotiation = round_open(
            rfq_id=rfq.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            deadline=timezone.now() + timedelta(days=1),
            quote_ids=[asked.pk],
            message="Please give us your best price for 10,000.",
        )
    revised = _revise(rfq, actors["supplier"], asked, unit_price="6.10")

    assert (negotiation.number, revised.version, revised.unit_price) == (1, 2, Decimal("6.10"))
    assert QuoteVersion.objects.get(quote=asked, number=2).round == negotiation
    with pytest.raises(Conflict, match="open only to the suppliers the buyer asked"):
        _revise(rfq, actors["other_supplier"], not_asked, unit_price="5.00")
    rfq.refresh_from_db()
    assert rfq.status == Status.CLOSED
    event = RfqEvent.objects.get(rfq=rfq, round=negotiation)
    assert event.reason == "Please give us your best price for 10,000."
    # The supplier asked is told in its language (Chinese); the one not asked hears nothing.
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "最终报价" in subjects[actors["supplier"].user.email]
    assert actors["other_supplier"].user.email not in subjects
    assert Notification.objects.filter(kind="quote_revised", recipient=actors["buyer"].user).exists()

    NegotiationRound.objects.filter(pk=negotiation.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict, match="bids are final"):
        _revise(rfq, actors["supplier"], asked, unit_price="5.90")
    assert rounds_end_due() == 1
    assert Notification.objects.filter(kind="negotiation_round_ended", recipient=actors["buyer"].user).exists()
    ended = RfqEvent.objects.filter(rfq=rfq, round=negotiation).order_by("id").last()
    assert "1 of 1 suppliers revised" in ended.reason


def test_bid_rounds_follow_each_other_and_the_buyer_sees_every_version_by_round(
    actors: dict, rfq: SourcingRequest
) -> None:
    quote = _quote(rfq, actors["supplier"])
    _deadline_passes(rfq)
    buyer = actors["buyer"]
    first = round_open(
        rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, deadline=timezone.now() + timedelta(hours=5)
    )
    with pytest.raises(Conflict, match="Round 1 is open"):
        round_open(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, deadline=timezone.now() + timedelta(hours=5))
    _revise(rfq, actors["supplier"], quote, unit_price="6.20")
    round_end(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user)
    second = round_open(
        rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, deadline=timezone.now() + timedelta(hours=5)
    )
    _revise(rfq, actors["supplier"], quote, unit_price="6.05", lead_time_days=12)

    assert (first.number, second.number) == (1, 2)
    page = buyer.client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})).content.decode()
    assert 'data-round-open="2"' in page
    assert page.count("data-version-round") == 2
    for price in ("6.50", "6.20", "6.05"):
        assert price in page
    api = buyer.client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk})).json()
    history = api["rows"][0]["quote"]["history"]
    assert [(entry["number"], entry["round"]) for entry in history] == [(1, None), (2, 1), (3, 2)]
    assert {change["field"] for change in history[2]["changes"]} == {"unit_price", "lead_time_days"}
    rounds = buyer.client.get(reverse("api-rfq-rounds", kwargs={"pk": rfq.pk})).json()
    assert [item["number"] for item in rounds] == [1, 2]
    own = actors["supplier"].client.get(reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk})).json()
    assert [item["number"] for item in own["rounds"]] == [1, 2]
    assert "quotes" not in own["rounds"][0]  # sealed: a supplier never learns whom else the buyer asked


def test_bid_a_round_cannot_open_before_the_deadline_or_with_a_deadline_in_the_past(
    actors: dict, rfq: SourcingRequest
) -> None:
    _quote(rfq, actors["supplier"])
    client = actors["buyer"].client
    url = reverse("api-rfq-rounds", kwargs={"pk": rfq.pk})

    early = client.post(url, {"deadline": (timezone.now() + timedelta(days=1)).isoformat()}, content_type=JSON)
    _deadline_passes(rfq)
    past = client.post(url, {"deadline": (timezone.now() - timedelta(days=1)).isoformat()}, content_type=JSON)
    opened = client.post(
        url, {"deadline": (timezone.now() + timedelta(days=1)).isoformat(), "message": "BAFO"}, content_type=JSON
    )

    assert early.status_code == 409
    assert past.status_code == 400
    assert opened.status_code == 201
    assert opened.json()["number"] == 1


def test_bid_an_award_naming_an_older_version_answers_409_naming_the_quote_and_creates_nothing(
    actors: dict, rfq: SourcingRequest
) -> None:
    quote = _quote(rfq, actors["supplier"])
    compared = actors["buyer"].client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk})).json()
    version = compared["rows"][0]["quote"]["version"]
    _revise(rfq, actors["supplier"], quote, unit_price="9.99")

    response = actors["buyer"].client.post(
        reverse("api-rfq-award", kwargs={"pk": rfq.pk}),
        {"allocations": [{"quote": quote.pk, "version": version, "quantity": 10_000}]},
        content_type=JSON,
    )

    assert response.status_code == 409
    message = response.json()["error"]["message"]
    assert actors["supplier"].supplier.name in message
    assert "version 1, now 2" in message
    assert not Order.objects.exists()
    assert not Award.objects.exists()
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.SUBMITTED


@pytest.mark.parametrize("change", ["withdrawn", "expired"])
def test_bid_an_award_of_a_quote_withdrawn_or_expired_since_the_comparison_is_refused(
    actors: dict, rfq: SourcingRequest, change: str
) -> None:
    quote = _quote(rfq, actors["supplier"])
    if change == "withdrawn":
        quote_withdraw(quote_id=quote.pk, supplier=actors["supplier"].supplier, actor=actors["supplier"].user)
    else:
        Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))

    with pytest.raises(Conflict, match=change):
        rfq_award(
            rfq_id=rfq.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            allocations={quote.pk: 10_000},
            versions={quote.pk: 1},
        )
    assert not Order.objects.exists()


def test_bid_no_award_while_a_round_is_open(actors: dict, rfq: SourcingRequest) -> None:
    quote = _quote(rfq, actors["supplier"])
    _deadline_passes(rfq)
    round_open(
        rfq_id=rfq.pk,
        buyer=actors["buyer"].company,
        actor=actors["buyer"].user,
        deadline=timezone.now() + timedelta(hours=3),
    )

    with pytest.raises(Conflict, match="round 1 is open"):
        rfq_award(
            rfq_id=rfq.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            allocations={quote.pk: 10_000},
            versions={quote.pk: 1},
        )


def test_bid_the_confirmation_page_shows_every_order_and_going_back_keeps_the_quantities(
    actors: dict, rfq: SourcingRequest
) -> None:
    first = _quote(rfq, actors["supplier"], quantity=6_000, tiers="1000:6.80; 5000:6.50", unit_price="")
    second = _quote(rfq, actors["other_supplier"], quantity=10_000, unit_price="7.00", freight="500")
    client = actors["buyer"].client
    data = {
        "mode": "split",
        "currency": "USD",
        f"qty_{first.pk}": "4000",
        f"ver_{first.pk}": "1",
        f"qty_{second.pk}": "6000",
        f"ver_{second.pk}": "1",
    }

    review = client.post(reverse("orders:rfq_award", kwargs={"pk": rfq.pk}), data)

    html = review.content.decode()
    assert review.status_code == 200
    assert not Order.objects.exists()
    assert 'data-quantity="4000"' in html
    assert "USD 6.8" in html  # 4,000 falls in the 1,000 tier
    assert "USD 69,700.00" in html  # 4,000 × 6.80 + 6,000 × 7.00 + 500 freight
    back = html.split("data-award-back")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert f"qty_{first.pk}=4000" in back
    compare = client.get(back).content.decode()
    assert f'name="qty_{first.pk}" inputmode="numeric" size="9" value="4000"' in compare
    placed = client.post(reverse("orders:rfq_award", kwargs={"pk": rfq.pk}), {**data, "confirm": "1"})
    assert placed.status_code == 302
    assert sorted(Order.objects.values_list("goods_total", flat=True)) == [Decimal("27200.00"), Decimal("42000.00")]
