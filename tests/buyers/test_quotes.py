"""Sealed quotes: submitting, revising, withdrawing, expiring, the quote cap, and who can read them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from buyers.models import Match, Quote, SourcingRequest
from buyers.quote_rules import QuoteTermsInvalid, quote_terms_from
from buyers.selectors.quotes import quote_of_supplier, quotes_for_buyer, quotes_visible_to
from buyers.services.quotes import quote_revise, quote_submit, quote_withdraw, quotes_expire_due
from marketplace.errors import Conflict, NotFound
from marketplace.models import Notification
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import CurrencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _terms(rfq: SourcingRequest, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit_price": "2.45",
        "currency": "USD",
        "quantity": rfq.quantity,
        "lead_time_days": 15,
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "incoterm": "FOB",
        "port": "Tianjin",
        "freight": "3200",
        "notes": "PVC 0.3 mm",
    }
    data.update(changes)
    return data


@pytest.fixture
def rfq(actors: dict) -> SourcingRequest:
    CurrencyFactory(code="USD")
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, allow_split=True)
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    MatchFactory(rfq=rfq, supplier=actors["other_supplier"].supplier)
    return rfq


def _submit(rfq: SourcingRequest, actor: object, **changes: object) -> Quote:
    terms = quote_terms_from(_terms(rfq, **changes), rfq=rfq)
    return quote_submit(rfq_id=rfq.pk, supplier=actor.supplier, actor=actor.user, terms=terms)


def test_a_matched_supplier_quotes_and_the_buyer_is_told(actors: dict, rfq: SourcingRequest) -> None:
    quote = _submit(rfq, actors["supplier"])

    rfq.refresh_from_db()
    assert rfq.quote_count == 1
    assert rfq.first_quote_at is not None
    assert not rfq.is_editable
    assert quote.total == Decimal("2.45") * rfq.quantity
    assert [v.number for v in quote.versions.all()] == [1]
    match = Match.objects.get(rfq=rfq, supplier=actors["supplier"].supplier)
    assert match.status == Match.Status.QUOTED
    assert match.responded_at is not None
    assert Notification.objects.filter(recipient=actors["buyer"].user, kind="quote_received").count() == 1


def test_one_supplier_can_never_read_another_suppliers_quote(actors: dict, rfq: SourcingRequest) -> None:
    mine = _submit(rfq, actors["supplier"])
    theirs = _submit(rfq, actors["other_supplier"], unit_price="2.10")

    other_company = actors["other_supplier"].company
    assert list(quotes_visible_to(company=other_company)) == [theirs]
    assert quote_of_supplier(supplier=actors["other_supplier"].supplier, rfq_id=rfq.pk) == theirs
    assert mine not in quotes_visible_to(company=actors["other_buyer"].company)
    assert list(quotes_for_buyer(company=other_company, rfq_id=rfq.pk)) == []
    assert set(quotes_for_buyer(company=actors["buyer"].company, rfq_id=rfq.pk)) == {mine, theirs}


def test_a_supplier_that_may_not_see_a_private_request_cannot_quote_on_it(actors: dict) -> None:
    private = SourcingRequestFactory(buyer=actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE)
    MatchFactory(rfq=private, supplier=actors["supplier"].supplier, source=Match.Source.INVITED)

    with pytest.raises(NotFound):
        _submit(private, actors["other_supplier"])
    assert not Quote.objects.exists()


def test_quoting_twice_is_refused_and_a_revision_keeps_every_version(actors: dict, rfq: SourcingRequest) -> None:
    quote = _submit(rfq, actors["supplier"])
    with pytest.raises(Conflict, match="revise"):
        _submit(rfq, actors["supplier"])

    terms = quote_terms_from(_terms(rfq, unit_price="2.30", lead_time_days=12), rfq=rfq)
    quote_revise(quote_id=quote.pk, supplier=actors["supplier"].supplier, actor=actors["supplier"].user, terms=terms)

    quote.refresh_from_db()
    assert quote.version == 2
    assert quote.unit_price == Decimal("2.30")
    assert [(v.number, v.terms["unit_price"]) for v in quote.versions.order_by("number")] == [(1, "2.45"), (2, "2.30")]
    assert Notification.objects.filter(recipient=actors["buyer"].user, kind="quote_revised").count() == 1


def test_another_supplier_cannot_revise_or_withdraw_a_quote(actors: dict, rfq: SourcingRequest) -> None:
    quote = _submit(rfq, actors["supplier"])
    terms = quote_terms_from(_terms(rfq, unit_price="0.01"), rfq=rfq)

    with pytest.raises(NotFound):
        quote_revise(
            quote_id=quote.pk,
            supplier=actors["other_supplier"].supplier,
            actor=actors["other_supplier"].user,
            terms=terms,
        )
    with pytest.raises(NotFound):
        quote_withdraw(
            quote_id=quote.pk, supplier=actors["other_supplier"].supplier, actor=actors["other_supplier"].user
        )
    quote.refresh_from_db()
    assert (quote.status, quote.unit_price) == (Quote.Status.SUBMITTED, Decimal("2.45"))


def test_a_withdrawn_quote_stops_counting_and_the_supplier_may_quote_again(actors: dict, rfq: SourcingRequest) -> None:
    quote = _submit(rfq, actors["supplier"])
    quote_withdraw(quote_id=quote.pk, supplier=actors["supplier"].supplier, actor=actors["supplier"].user)
    rfq.refresh_from_db()
    assert rfq.quote_count == 0

    again = _submit(rfq, actors["supplier"], unit_price="2.20")

    assert again.pk == quote.pk
    assert again.version == 2
    rfq.refresh_from_db()
    assert rfq.quote_count == 1


def test_the_quote_cap_refuses_quotes_beyond_it(actors: dict, rfq: SourcingRequest) -> None:
    SourcingRequest.objects.filter(pk=rfq.pk).update(max_quotes=1)
    rfq.refresh_from_db()
    _submit(rfq, actors["supplier"])

    rfq.refresh_from_db()
    assert rfq.status == SourcingRequest.Status.CLOSED  # the cap closes the request
    with pytest.raises(Conflict, match="no longer takes quotes"):
        _submit(rfq, actors["other_supplier"])


def test_a_closed_request_takes_no_new_quote(actors: dict, rfq: SourcingRequest) -> None:
    SourcingRequest.objects.filter(pk=rfq.pk).update(status=SourcingRequest.Status.CLOSED)

    with pytest.raises(Conflict, match="no longer takes quotes"):
        _submit(rfq, actors["supplier"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"unit_price": "-1"}, "unit_price", "positive amount"),
        ({"unit_price": "0"}, "unit_price", "positive amount"),
        ({"unit_price": "abc"}, "unit_price", "must be a number"),
        ({"valid_until": "2020-01-01"}, "valid_until", "already passed"),
        ({"currency": "XXX"}, "currency", "Unknown currency “XXX”"),
        ({"incoterm": "ABC"}, "incoterm", "not an Incoterm"),
        ({"quantity": "60000"}, "quantity", "at most 50,000"),
        ({"quantity": "0"}, "quantity", "at least 1"),
        ({"lead_time_days": "soon"}, "lead_time_days", "whole number"),
        ({"freight": "-5"}, "freight", "positive amount"),
    ],
)
def test_bad_terms_get_a_clear_message(rfq: SourcingRequest, changes: dict, field: str, message: str) -> None:
    with pytest.raises(QuoteTermsInvalid) as caught:
        quote_terms_from(_terms(rfq, **changes), rfq=rfq)
    assert message in " ".join(caught.value.errors[field])


def test_less_than_the_whole_quantity_only_when_the_request_may_be_split(rfq: SourcingRequest) -> None:
    assert quote_terms_from(_terms(rfq, quantity=20_000), rfq=rfq).quantity == 20_000
    SourcingRequest.objects.filter(pk=rfq.pk).update(allow_split=False)
    rfq.refresh_from_db()

    with pytest.raises(QuoteTermsInvalid) as caught:
        quote_terms_from(_terms(rfq, quantity=20_000), rfq=rfq)
    assert "offer the whole quantity" in caught.value.errors["quantity"][0]


def test_tiers_give_the_price_at_the_quantity_offered(rfq: SourcingRequest) -> None:
    terms = quote_terms_from(_terms(rfq, unit_price="", tiers="1000:2.80; 20000:2.50; 50000:2.35"), rfq=rfq)

    assert terms.unit_price == Decimal("2.35")


def test_quotes_expire_after_their_valid_until_date(actors: dict, rfq: SourcingRequest) -> None:
    quote = _submit(rfq, actors["supplier"])

    assert quotes_expire_due(today=timezone.localdate() + timedelta(days=30)) == 0
    assert quotes_expire_due(today=timezone.localdate() + timedelta(days=31)) == 1

    quote.refresh_from_db()
    rfq.refresh_from_db()
    assert quote.status == Quote.Status.EXPIRED
    assert rfq.quote_count == 0


def test_every_member_of_the_buyer_company_is_told_of_a_quote(actors: dict, rfq: SourcingRequest) -> None:
    colleague = MembershipFactory(company=actors["buyer"].company).user

    _submit(rfq, actors["supplier"])

    assert Notification.objects.filter(kind="quote_received", recipient=colleague).exists()
