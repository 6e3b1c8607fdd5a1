"""A buyer in Türkiye compares quotes in yuan and dollars in lira, with the ECB's rates of the day
fetched by the beat task from a local server serving the ECB's file."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from buyers.models import SourcingRequest
from marketplace.demo.rates import RECORDED_ECB_FILE
from marketplace.models import ExchangeRate
from marketplace.selectors.money import offered_currencies
from marketplace.tasks.exchange_rates import exchange_rates_refresh_task
from tests.buyers.factories import SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import ExchangeRateFactory
from tests.marketplace.rates_server import rates_server

pytestmark = [pytest.mark.django_db, pytest.mark.own_exchange_rates]


def todays_ecb_file() -> bytes:
    """The recorded ECB file as the ECB would publish it today."""
    return RECORDED_ECB_FILE.read_bytes().replace(b"2026-10-30", timezone.localdate().isoformat().encode())


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
    assert f"1 CNY = 7.50766892 TRY (rate of {today})" in html, "the cross rate through the euro, dated"
    assert f"1 USD = 49.94763695 TRY (rate of {today})" in html
    assert "No exchange rate" not in html
    assert "21,021,472.97" in html, "200,000 × CNY 14.00 in lira"
    assert "15,733,505.64" in html, "150,000 × USD 2.10 in lira"
    assert "Proposed: 300,000 units from 2 suppliers, TRY" in html
    assert f'data-quote="{in_yuan.pk}"' in html
    assert f'data-quote="{in_dollars.pk}"' in html


def test_cross_border_a_currency_without_a_fresh_rate_is_not_offered_and_its_amounts_say_since_when(
    actors: dict, rfq: SourcingRequest, settings: Any
) -> None:
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 7
    stale = timezone.localdate() - timedelta(days=30)
    ExchangeRateFactory(base__code="USD", quote__code="EGP", rate=Decimal("49.60"), valid_on=stale)
    ExchangeRate.objects.filter(base_id="EUR", quote_id="TRY").update(valid_on=stale)
    QuoteFactory(rfq=rfq, unit_price=Decimal("14.00"), currency_id="CNY", quantity=200_000)
    QuoteFactory(rfq=rfq, unit_price=Decimal("90.00"), currency_id="EGP", quantity=100_000)
    url = reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})

    html = actors["buyer"].client.get(url).content.decode()

    assert f"No exchange rate from EGP to TRY since {stale.isoformat()}: those amounts are shown in EGP." in html
    assert f"1 CNY = 7.50766892 TRY (rate of {stale.isoformat()}) older than 7 days" in " ".join(
        strip_tags(html).split()
    ), "an old rate still converts, dated, and says it is older than the limit"
    offered = set(offered_currencies(on=timezone.localdate()).values_list("code", flat=True))
    assert {"CNY", "USD", "EUR", "JPY"} <= offered
    assert not {"EGP", "TRY", "RUB"} & offered
    assert 'value="EGP"' not in html, "the currency picker leaves it out"
    asked_in_egp = actors["buyer"].client.get(url + "?currency=EGP").content.decode()
    assert "to EGP" not in asked_in_egp, "an unoffered currency in the address falls back to the buyer's own"
