"""The buyer's constraints on the split and the negotiation round's input: bad numbers and ids get
a message (page) or a 400 naming the field (API), never a 500 or Python's own words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.models import NegotiationRound, SourcingRequest
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import CurrencyFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
# (A control character in the address is refused before the page: tests/marketplace/test_hardening_pages.py.)
HOSTILE = ["²", "1e3", "-5", "NaN", "9" * 5000, "12.5.3", "abc"]


@pytest.fixture
def rfq(actors: dict) -> SourcingRequest:
    CurrencyFactory(code="USD")
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=10_000, allow_split=True)
    QuoteFactory(rfq=rfq, supplier=actors["supplier"].supplier, quantity=6_000)
    QuoteFactory(rfq=rfq, supplier=actors["other_supplier"].supplier, quantity=6_000)
    return rfq


@pytest.mark.parametrize("field", ["max_share", "min_suppliers", "max_suppliers", "min_provinces", "over_delivery"])
@pytest.mark.parametrize("value", HOSTILE)
def test_allocation_constraints_with_hostile_numbers_answer_a_message_on_the_page_and_400_in_the_api(
    actors: dict, rfq: SourcingRequest, field: str, value: str
) -> None:
    client = actors["buyer"].client

    page = client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}), {field: value})
    api = client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk}), {field: value})

    assert page.status_code == 200
    assert "data-plan-errors" in page.content.decode()
    assert api.status_code == 400
    assert field in api.json()["error"]["fields"]
    assert "invalid literal" not in api.content.decode()


def test_allocation_constraints_fold_full_width_digits_as_a_chinese_keyboard_types_them(
    actors: dict, rfq: SourcingRequest
) -> None:
    response = actors["buyer"].client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk}), {"min_suppliers": "２"})

    assert response.status_code == 200
    assert sum(1 for row in response.json()["rows"] if row["planned_quantity"]) == 2


@pytest.mark.parametrize("value", ["²", "１", "-1", "1.0", "9" * 5000, "\x00"])
def test_allocation_excluded_or_required_supplier_ids_must_be_plain_ids(
    actors: dict, rfq: SourcingRequest, value: str
) -> None:
    response = actors["buyer"].client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk}), {"exclude": value})

    assert response.status_code == 400
    assert "exclude" in response.json()["error"]["fields"]


def test_allocation_constraints_that_cannot_hold_together_are_named(actors: dict, rfq: SourcingRequest) -> None:
    response = actors["buyer"].client.get(
        reverse("api-rfq-quotes", kwargs={"pk": rfq.pk}), {"max_share": "40", "max_suppliers": "2"}
    )

    plan = response.json()["plan"]
    assert plan["status"] == "infeasible"
    assert {conflict["code"] for conflict in plan["conflicts"]} & {"max_share", "max_suppliers"}
    assert all(conflict["message"] for conflict in plan["conflicts"])


@pytest.mark.parametrize(
    "body",
    [
        {"deadline": "²"},
        {"deadline": "2026-13-45T99:00"},
        {"deadline": None},
        {"quotes": ["²"], "deadline": "2099-01-01T00:00:00Z"},
        {"quotes": "1", "deadline": "2099-01-01T00:00:00Z"},
        {"message": "x" * 2001, "deadline": "2099-01-01T00:00:00Z"},
        {"message": "\x00", "deadline": "\x00"},
        [],
    ],
)
def test_bid_a_round_with_bad_input_answers_400_and_opens_nothing(
    actors: dict, rfq: SourcingRequest, body: object
) -> None:
    SourcingRequest.objects.filter(pk=rfq.pk).update(quote_deadline=timezone.now() - timedelta(minutes=1))

    response = actors["buyer"].client.post(reverse("api-rfq-rounds", kwargs={"pk": rfq.pk}), body, content_type=JSON)

    assert response.status_code == 400
    assert not NegotiationRound.objects.exists()


@pytest.mark.parametrize(
    "data", [{"deadline": "²"}, {"deadline": ""}, {"round_quote": "²", "deadline": "2099-01-01T10:00"}]
)
def test_bid_the_round_form_with_bad_input_comes_back_with_a_message(
    actors: dict, rfq: SourcingRequest, data: dict
) -> None:
    SourcingRequest.objects.filter(pk=rfq.pk).update(quote_deadline=timezone.now() - timedelta(minutes=1))

    response = actors["buyer"].client.post(reverse("buyers:rfq_round_open", kwargs={"pk": rfq.pk}), data, follow=True)

    assert response.status_code == 200
    assert response.context["messages"]
    assert not NegotiationRound.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_order_quantity", "²"),
        ("min_order_quantity", "20000"),  # more than the quantity offered
        ("freight_basis", "\x00"),
        ("freight_basis", "per pallet"),
        ("freight", "1e3"),
        ("tiers", "１０００:２．５０; ²:1"),
        ("unit_price", "9" * 5000),
    ],
)
def test_bid_quote_terms_with_bad_values_answer_400_naming_the_field(actors: dict, field: str, value: str) -> None:
    CurrencyFactory(code="USD")
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=10_000, allow_split=True)
    QuoteFactory(rfq=rfq, supplier=actors["other_supplier"].supplier)  # matched and quoting: the RFQ is live
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    terms = {
        "unit_price": "2.50",
        "currency": "USD",
        "quantity": 10_000,
        "lead_time_days": 10,
        "valid_until": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "incoterm": "FOB",
        field: value,
    }

    response = actors["supplier"].client.post(
        reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk}), terms, content_type=JSON
    )

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
