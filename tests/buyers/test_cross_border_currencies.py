"""A buyer in Türkiye compares quotes in yuan and dollars in lira, with the ECB's rates of the day
fetched by the beat task from a local server serving the ECB's file."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from buyers.models import SourcingRequest
from marketplace.demo.rates import RECORDED_ECB_FILE
from marketplace.models import ExchangeRate
from marketplace.selectors.money import offered_currencies
from marketplace.services.api_tokens import api_token_create
from marketplace.tasks.exchange_rates import exchange_rates_refresh_task
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
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


@pytest.fixture
def factory_in_yuan(actors: dict) -> Any:
    supplier = actors["supplier"]
    supplier.user.preferred_currency_id = "CNY"
    supplier.user.save(update_fields=["preferred_currency"])
    return supplier


def test_cross_border_a_factory_reads_the_lira_target_price_in_yuan_beside_the_original(
    actors: dict, factory_in_yuan: Any, rates_of_the_day: None
) -> None:
    rfq = SourcingRequestFactory(currency_id="TRY", target_unit_price=Decimal("95.00"))
    MatchFactory(rfq=rfq, supplier=factory_in_yuan.supplier)
    today = timezone.localdate().isoformat()

    page = factory_in_yuan.client.get(reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk}))
    _token, key = api_token_create(user=factory_in_yuan.user, name="erp")
    api = Client(headers={"Authorization": f"Token {key}"}).get(f"/api/v1/inbox/{rfq.pk}/").json()

    text = " ".join(strip_tags(page.content.decode()).split())
    assert f"TRY 95.00 ≈ CNY 12.6537 at 1 TRY = 0.13319714 CNY, rate of {today}" in text
    assert "older than" not in text
    assert api["rfq"]["target_unit_price"] == "95.00"
    assert api["rfq"]["currency"] == "TRY"
    assert api["rfq"]["target_unit_price_converted"] == {
        "amount": "12.6537",
        "currency": "CNY",
        "rate": "0.13319714",
        "rate_date": today,
        "rate_is_stale": False,
    }


def test_cross_border_a_target_price_without_a_rate_or_with_a_stale_one_says_so(
    actors: dict, factory_in_yuan: Any, settings: Any
) -> None:
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 7
    in_pounds = SourcingRequestFactory(currency_id="EGP", target_unit_price=Decimal("90"))
    in_dollars = SourcingRequestFactory(currency_id="USD", target_unit_price=Decimal("2.10"))
    for rfq in (in_pounds, in_dollars):
        MatchFactory(rfq=rfq, supplier=factory_in_yuan.supplier)
    stale = timezone.localdate() - timedelta(days=30)
    ExchangeRateFactory(base__code="USD", quote__code="CNY", rate=Decimal("7.10"), valid_on=stale)

    def read(rfq: SourcingRequest) -> str:
        page = factory_in_yuan.client.get(reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk}))
        return " ".join(strip_tags(page.content.decode()).split())

    assert "EGP 90.00 No exchange rate from EGP to CNY: the price is shown in EGP only." in read(in_pounds)
    assert f"USD 2.10 ≈ CNY 14.91 at 1 USD = 7.1 CNY, rate of {stale.isoformat()} older than 7 days" in read(in_dollars)


# (A control character in the address is refused before the page: tests/marketplace/test_hardening_pages.py.)
@pytest.mark.parametrize("typed", ["TRY²", "ＴＲＹ", "T" * 5_000, "<b>"])
def test_cross_border_a_comparison_asked_in_a_currency_no_one_offers_stays_in_the_buyers_own(
    actors: Any, typed: str
) -> None:
    buyer = actors["buyer"]
    rfq = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user)

    response = buyer.client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}), {"currency": typed})

    assert response.status_code == 200
    assert response.context["currency"] == buyer.user.preferred_currency_id


@pytest.mark.parametrize("typed", ["\x00", "US\x00", "USD²", "ＵＳＤ"])
def test_cross_border_a_currency_code_no_one_could_have_is_refused_as_unknown(typed: str) -> None:
    from marketplace.selectors.money import currency_refusal

    assert currency_refusal(typed).startswith("Unknown currency")
