"""The ECB's daily reference rates, fetched from a local server that serves a recorded file."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from marketplace.demo.rates import RECORDED_ECB_FILE
from marketplace.models import ExchangeRate
from marketplace.services.exchange_rates import exchange_rates_refresh
from marketplace.tasks.exchange_rates import exchange_rates_refresh_task
from tests.factories import ExchangeRateFactory
from tests.marketplace.rates_server import rates_server

pytestmark = [pytest.mark.django_db, pytest.mark.own_exchange_rates]

PUBLISHED_ON = date(2026, 10, 30)


def ecb_rates() -> dict[str, tuple[Decimal, str]]:
    return {
        quote: (rate, source)
        for quote, rate, source in ExchangeRate.objects.filter(base_id="EUR", valid_on=PUBLISHED_ON).values_list(
            "quote_id", "rate", "source"
        )
    }


def test_cross_border_the_daily_ecb_file_is_stored_dated_with_its_source(settings: Any) -> None:
    with rates_server(body=RECORDED_ECB_FILE.read_bytes()) as url:
        settings.EXCHANGE_RATES_URL = url
        outcome = exchange_rates_refresh()

    assert outcome.ok
    assert outcome.published_on == PUBLISHED_ON
    stored = ecb_rates()
    assert stored["TRY"] == (Decimal("55.8015"), "ECB")
    assert stored["CNY"] == (Decimal("7.4326"), "ECB")
    for offered_before_without_a_rate in ["TRY", "CHF", "IDR", "KRW", "MXN", "NZD", "PHP", "SEK"]:
        assert offered_before_without_a_rate in stored
    assert {"CZK", "DKK", "HUF", "ISK", "NOK", "PLN", "RON", "ILS"} == set(outcome.skipped), (
        "currencies this installation does not offer are skipped, not created"
    )


def test_cross_border_fetching_the_same_day_again_writes_nothing_new(settings: Any) -> None:
    with rates_server(body=RECORDED_ECB_FILE.read_bytes()) as url:
        first = exchange_rates_refresh(url=url)
        count = ExchangeRate.objects.count()
        again = exchange_rates_refresh(url=url)

    assert len(first.stored) == 21
    assert again.stored == []
    assert len(again.kept) == 21
    assert ExchangeRate.objects.count() == count


def test_cross_border_a_rate_staff_entered_for_the_day_wins_over_the_feed() -> None:
    ExchangeRateFactory(
        base__code="EUR", quote__code="TRY", rate=Decimal("45.5000"), valid_on=PUBLISHED_ON, source="staff"
    )

    with rates_server(body=RECORDED_ECB_FILE.read_bytes()) as url:
        outcome = exchange_rates_refresh(url=url)

    assert "TRY" in outcome.kept
    assert ecb_rates()["TRY"] == (Decimal("45.5000"), "staff")


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"<html>Service unavailable</html>", 503, "The rates server answered 503"),
        (b"<gesmes:Envelope", 200, "not readable XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><Envelope><Cube>'
            b"<Cube time='2026-10-31'><Cube currency='USD' rate='&lol;'/></Cube></Cube></Envelope>",
            200,
            "not readable XML",
        ),
        (b"<Envelope><Cube><Cube time='2026-10-31'></Cube></Cube></Envelope>", 200, "holds no rates"),
        (
            b"<Envelope><Cube><Cube time='2026-10-31'><Cube currency='USD' rate='-1'/></Cube></Cube></Envelope>",
            200,
            "rate of USD is not a positive number",
        ),
        (
            b"<Envelope><Cube><Cube time='31/10/2026'><Cube currency='USD' rate='1.1'/></Cube></Cube></Envelope>",
            200,
            "not a date",
        ),
    ],
)
def test_cross_border_a_failed_or_garbled_feed_keeps_the_rates_and_says_why(
    body: bytes, status: int, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    with rates_server(body=RECORDED_ECB_FILE.read_bytes()) as url:
        exchange_rates_refresh(url=url)
    before = list(ExchangeRate.objects.values_list("base", "quote", "valid_on", "rate"))

    with rates_server(body=body, status=status) as url, caplog.at_level(logging.WARNING):
        outcome = exchange_rates_refresh(url=url)

    assert not outcome.ok
    assert reason in outcome.error
    assert reason in caplog.text, "the reason is logged for the operators"
    assert list(ExchangeRate.objects.values_list("base", "quote", "valid_on", "rate")) == before


def test_cross_border_an_unreachable_rates_server_is_reported() -> None:
    with rates_server(body=b"") as url:
        pass  # the server is gone: nothing listens on its port any more

    outcome = exchange_rates_refresh(url=url, timeout=2)

    assert "could not be reached" in outcome.error
    assert not ExchangeRate.objects.exists()


def test_cross_border_the_beat_schedule_refreshes_the_rates_every_day(settings: Any) -> None:
    entry = next(
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == exchange_rates_refresh_task.name
    )
    assert entry["schedule"].hour, "a daily schedule"

    with rates_server(body=RECORDED_ECB_FILE.read_bytes()) as url:
        settings.EXCHANGE_RATES_URL = url
        result = exchange_rates_refresh_task.delay().get()

    assert result["published_on"] == "2026-10-30"
    assert "TRY" in result["stored"]
    assert result["error"] == ""
    assert ecb_rates()["CNY"] == (Decimal("7.4326"), "ECB")
