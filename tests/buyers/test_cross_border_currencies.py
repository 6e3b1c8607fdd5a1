"""A buyer in Türkiye compares quotes in yuan and dollars in lira, with the ECB's rates of the day
fetched by the beat task from a local server serving the ECB's file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.models import SourcingRequest
from marketplace.demo.rates import RECORDED_ECB_FILE
from marketplace.tasks.exchange_rates import exchange_rates_refresh_task
from tests.buyers.factories import SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.marketplace.rates_server import rates_server

pytestmark = pytest.mark.django_db


def todays_ecb_file() -> bytes:
    """The recorded ECB file as the ECB would publish it today."""
    return RECORDED_ECB_FILE.read_bytes().replace(b"2025-06-13", timezone.localdate().isoformat().encode())


@pytest.fixture
def rates_of_the_day(settings: Any) -> None:
    with rates_server(body=todays_ecb_file()) as url:
        settings.EXCHANGE_RATES_URL = url
        assert exchange_rates_refresh_task.delay().get()["error"] == ""


@pytest.fixture
def rfq(actors: dict, rates_of_the_day: None) -> SourcingRequest:
    buyer = actors["buyer"]
    buyer.user.preferred_currency_id = "TRY"
    buyer.user.save(update_fields=["preferred_currency"])
    return SourcingRequestFactory(
        buyer=buyer.company, created_by=buyer.user, allow_split=True, quantity=300_000, currency_id="TRY"
    )


def test_cross_border_a_buyer_in_turkiye_compares_yuan_and_dollar_quotes_in_lira(
    actors: dict, rfq: SourcingRequest
) -> None:
    in_yuan = QuoteFactory(rfq=rfq, unit_price=Decimal("14.00"), currency_id="CNY", quantity=200_000, freight=None)
    in_dollars = QuoteFactory(rfq=rfq, unit_price=Decimal("2.10"), currency_id="USD", quantity=150_000, freight=None)

    page = actors["buyer"].client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}))

    assert page.status_code == 200
    html = page.content.decode()
    today = timezone.localdate().isoformat()
    assert f"1 CNY = 5.48872362 TRY (rate of {today})" in html, "the cross rate through the euro, dated"
    assert f"1 USD = 39.42755386 TRY (rate of {today})" in html
    assert "No exchange rate" not in html
    assert "15,368,426.14" in html, "200,000 × CNY 14.00 in lira"
    assert "12,419,679.46" in html, "150,000 × USD 2.10 in lira"
    assert "Proposed: 300,000 units from 2 suppliers, TRY" in html
    assert f'data-quote="{in_yuan.pk}"' in html
    assert f'data-quote="{in_dollars.pk}"' in html
