"""A currency whose last exchange rate is older than EXCHANGE_RATE_MAX_AGE_DAYS is not offered:
not at sign-up, not for an RFQ, a quote or a product, not in the API's currency list; choosing
it anyway gets a message that says why."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import ExchangeRate
from marketplace.services.api_tokens import api_token_create
from tests.buyers.builders_post import posting_world, rfq_body
from tests.conftest import Actor

pytestmark = pytest.mark.django_db

NOT_OFFERED = "TRY is not offered now: it has no exchange rate from the last 7 days. Choose another currency."


@pytest.fixture(autouse=True)
def _lira_without_a_fresh_rate(settings: Any) -> None:
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 7
    a_month_ago = timezone.localdate() - timedelta(days=30)
    ExchangeRate.objects.filter(Q(base_id="TRY") | Q(quote_id="TRY")).update(valid_on=a_month_ago)


def token_client(actor: Actor) -> Client:
    _token, key = api_token_create(user=actor.user, name="erp")
    return Client(headers={"Authorization": f"Token {key}"})


def test_cross_border_sign_up_offers_only_currencies_with_a_fresh_rate(client: Client) -> None:
    page = client.get(reverse("signup_buyer")).content.decode()

    assert 'value="CNY"' in page
    assert 'value="EGP"' in page, "a rate staff entered against the dollar counts"
    assert 'value="TRY"' not in page


def test_cross_border_the_api_lists_and_accepts_only_offered_currencies(actors: dict[str, Actor]) -> None:
    codes = [item["code"] for item in Client().get("/api/v1/currencies/", {"page_size": 100}).json()["results"]]
    assert "CNY" in codes
    assert "TRY" not in codes

    buyer = token_client(actors["buyer"])
    changed = buyer.patch("/api/v1/me/", {"preferred_currency": "TRY"}, content_type="application/json")
    assert changed.status_code == 400
    assert NOT_OFFERED in str(changed.json())


def test_cross_border_an_rfq_in_a_currency_without_a_fresh_rate_is_refused_saying_why(
    actors: dict[str, Actor],
) -> None:
    posting_world()
    buyer = token_client(actors["buyer"])

    refused = buyer.post("/api/v1/rfqs/", rfq_body(currency="TRY"), content_type="application/json")
    accepted = buyer.post("/api/v1/rfqs/", rfq_body(currency="CNY"), content_type="application/json")

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["currency"] == [NOT_OFFERED]
    assert accepted.status_code == 201, accepted.json()
    form = actors["buyer"].client.get(reverse("buyers:rfq_create")).content.decode()
    assert 'value="CNY"' in form
    assert 'value="TRY"' not in form
