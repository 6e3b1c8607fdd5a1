"""The quote API: a supplier quotes, revises and withdraws; the buyer compares and awards; sealed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from buyers.models import Quote, SourcingRequest
from orders.models import Order
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import CurrencyFactory, ExchangeRateFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def rfq(actors: dict) -> SourcingRequest:
    CurrencyFactory(code="USD")
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, allow_split=True, quantity=300_000)
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    MatchFactory(rfq=rfq, supplier=actors["other_supplier"].supplier)
    return rfq


def _terms(**changes: object) -> dict[str, object]:
    data = {
        "unit_price": "1.95",
        "currency": "USD",
        "quantity": 120_000,
        "lead_time_days": 20,
        "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "incoterm": "FOB",
        "freight": "2400.00",
    }
    data.update(changes)
    return data


def test_a_supplier_quotes_revises_and_withdraws_through_the_api(actors: dict, rfq: SourcingRequest) -> None:
    client = actors["supplier"].client
    url = reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk})

    created = client.post(url, _terms(), content_type=JSON)
    revised = client.put(url, _terms(unit_price="1.90"), content_type=JSON)
    withdrawn = client.post(reverse("api-inbox-quote-withdraw", kwargs={"rfq_id": rfq.pk}))

    assert created.status_code == 201
    assert created.json()["version"] == 1
    assert revised.status_code == 200
    assert [v["terms"]["unit_price"] for v in revised.json()["versions"]] == ["1.95", "1.90"]
    assert withdrawn.json()["status"] == "withdrawn"


def test_bad_terms_answer_400_with_each_field_named(actors: dict, rfq: SourcingRequest) -> None:
    response = actors["supplier"].client.post(
        reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk}),
        _terms(unit_price="-2", valid_until="2020-01-01", currency="ZZZ"),
        content_type=JSON,
    )

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"valid_until", "currency"} <= set(fields)
    assert not Quote.objects.exists()


def test_another_supplier_cannot_read_a_quote_it_did_not_write(actors: dict, rfq: SourcingRequest) -> None:
    actors["supplier"].client.post(reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk}), _terms(), content_type=JSON)

    response = actors["other_supplier"].client.get(reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk}))

    assert response.status_code == 404
    assert "1.95" not in response.content.decode()


def test_the_buyer_compares_in_a_chosen_currency_and_awards(actors: dict, rfq: SourcingRequest) -> None:
    ExchangeRateFactory(base_id="USD", quote=CurrencyFactory(code="EUR"), rate=Decimal("0.90"))
    first = QuoteFactory(rfq=rfq, supplier=actors["supplier"].supplier, quantity=200_000, unit_price=Decimal("2.00"))
    second = QuoteFactory(rfq=rfq, quantity=100_000, unit_price=Decimal("2.10"))
    client = actors["buyer"].client

    comparison = client.get(reverse("api-rfq-quotes", kwargs={"pk": rfq.pk}) + "?currency=EUR&sort=unit_price").json()
    award = client.post(
        reverse("api-rfq-award", kwargs={"pk": rfq.pk}),
        {
            "allocations": [
                {"quote": row["quote"]["id"], "version": row["quote"]["version"], "quantity": row["planned_quantity"]}
                for row in comparison["rows"]
            ]
        },
        content_type=JSON,
    )

    assert comparison["currency"] == "EUR"
    assert [row["unit_price"] for row in comparison["rows"]] == ["1.8000", "1.8900"]
    assert comparison["proposal"] == {str(first.pk): 200_000, str(second.pk): 100_000}
    assert award.status_code == 201
    assert Order.objects.filter(rfq=rfq).count() == 2


def test_awarding_more_than_offered_answers_400_and_places_no_order(actors: dict, rfq: SourcingRequest) -> None:
    quote = QuoteFactory(rfq=rfq, quantity=100_000)

    response = actors["buyer"].client.post(
        reverse("api-rfq-award", kwargs={"pk": rfq.pk}),
        {"allocations": [{"quote": quote.pk, "version": 1, "quantity": 150_000}]},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_files_are_attached_to_a_quote_through_the_api_and_a_bad_one_is_refused(
    actors: dict, rfq: SourcingRequest
) -> None:
    client = actors["supplier"].client
    client.post(reverse("api-inbox-quote", kwargs={"rfq_id": rfq.pk}), _terms(), content_type=JSON)
    url = reverse("api-inbox-quote-attachments", kwargs={"rfq_id": rfq.pk})

    good = client.post(url, {"attachments": [SimpleUploadedFile("report.pdf", b"%PDF-1.4\n", "application/pdf")]})
    bad = client.post(url, {"attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")]})

    assert good.status_code == 201
    assert [a["name"] for a in good.json()["attachments"]] == ["report.pdf"]
    assert bad.status_code == 400
    assert Quote.objects.get(rfq=rfq).attachments.count() == 1
