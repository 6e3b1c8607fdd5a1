"""Converting money with dated exchange rates, and saying which rate was used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from marketplace.errors import NotFound
from marketplace.selectors.money import convert, exchange_rate_on
from tests.factories import ExchangeRateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.own_exchange_rates]

NOV_20, NOV_25, NOV_28 = date(2026, 11, 20), date(2026, 11, 25), date(2026, 11, 28)


@pytest.fixture
def usd_cny() -> None:
    ExchangeRateFactory(base__code="USD", quote__code="CNY", rate=Decimal("7.0500"), valid_on=NOV_20)
    ExchangeRateFactory(base__code="USD", quote__code="CNY", rate=Decimal("7.1034"), valid_on=NOV_25)


def test_the_rate_of_the_day_is_used(usd_cny: None) -> None:
    rate = exchange_rate_on(base="USD", quote="CNY", on=NOV_25)
    assert rate.rate == Decimal("7.1034")
    assert rate.valid_on == NOV_25


def test_between_rates_the_latest_earlier_rate_is_used(usd_cny: None) -> None:
    assert exchange_rate_on(base="USD", quote="CNY", on=date(2026, 11, 24)).valid_on == NOV_20
    assert exchange_rate_on(base="USD", quote="CNY", on=NOV_28).valid_on == NOV_25


def test_a_rate_from_the_future_is_never_used(usd_cny: None) -> None:
    with pytest.raises(NotFound, match="no exchange rate from USD to CNY on or before 2026-11-19"):
        exchange_rate_on(base="USD", quote="CNY", on=date(2026, 11, 19))


def test_converting_says_which_rate_and_day_it_used(usd_cny: None) -> None:
    conversion = convert(amount=Decimal("1000"), source="USD", target="CNY", on=NOV_28)
    assert conversion.amount == Decimal("7103.40")
    assert conversion.currency == "CNY"
    assert f"at {conversion.rate} on {conversion.rate_date}" == "at 7.1034 on 2026-11-25"


def test_only_a_reverse_rate_is_inverted(usd_cny: None) -> None:
    conversion = convert(amount=Decimal("7103.40"), source="CNY", target="USD", on=NOV_25)
    assert conversion.amount == Decimal("1000.00")
    assert conversion.rate == Decimal("0.14077766")
    assert conversion.rate_date == NOV_25
    assert conversion.derivation == "inverse"


def test_a_direct_rate_of_the_same_day_is_preferred_to_inverting_the_reverse_one(usd_cny: None) -> None:
    ExchangeRateFactory(base__code="CNY", quote__code="USD", rate=Decimal("0.1500"), valid_on=NOV_25)
    conversion = convert(amount=Decimal("100"), source="CNY", target="USD", on=NOV_28)
    assert conversion.rate == Decimal("0.15")
    assert conversion.amount == Decimal("15.00")
    assert conversion.derivation == "direct"


def test_a_stale_direct_rate_gives_way_to_a_fresher_reverse_one(usd_cny: None) -> None:
    ExchangeRateFactory(base__code="CNY", quote__code="USD", rate=Decimal("0.1500"), valid_on=date(2026, 11, 1))
    conversion = convert(amount=Decimal("7103.40"), source="CNY", target="USD", on=NOV_28)
    assert conversion.amount == Decimal("1000.00")
    assert conversion.rate_date == NOV_25


def test_the_amount_is_rounded_to_the_target_currencys_decimal_places(usd_cny: None) -> None:
    ExchangeRateFactory(base__code="USD", quote__code="JPY", rate=Decimal("151.2345"), valid_on=NOV_25)
    conversion = convert(amount=Decimal("10.55"), source="USD", target="JPY", on=NOV_25)
    assert conversion.amount == Decimal("1596")  # 1595.52 yen, and the yen has no decimals
    assert conversion.amount.as_tuple().exponent == 0


def test_two_currencies_without_a_rate_between_them_convert_through_the_us_dollar(usd_cny: None) -> None:
    ExchangeRateFactory(base__code="USD", quote__code="LKR", rate=Decimal("300"), valid_on=NOV_20)
    conversion = convert(amount=Decimal("71034"), source="CNY", target="LKR", on=NOV_28)
    assert conversion.amount == Decimal("3000000.00")
    assert conversion.derivation == "cross"
    assert conversion.rate_date == NOV_20  # the older of the two rates it rests on


def test_the_same_currency_converts_at_one(usd_cny: None) -> None:
    conversion = convert(amount=Decimal("12.345"), source="CNY", target="CNY", on=NOV_25)
    assert conversion.rate == 1
    assert conversion.amount == Decimal("12.35")


def test_no_rate_at_all_is_a_clear_not_found(usd_cny: None) -> None:
    ExchangeRateFactory(base__code="EUR", quote__code="GBP", rate=Decimal("0.86"), valid_on=NOV_25)
    with pytest.raises(NotFound, match="no exchange rate from EUR to CNY"):
        convert(amount=Decimal(1), source="EUR", target="CNY", on=NOV_25)


def test_an_unknown_currency_is_a_clear_not_found(usd_cny: None) -> None:
    with pytest.raises(NotFound, match="Unknown currency “XYZ”"):
        convert(amount=Decimal(1), source="USD", target="XYZ", on=NOV_25)


def ecb(quote: str, rate: str, valid_on: date) -> None:
    ExchangeRateFactory(base__code="EUR", quote__code=quote, rate=Decimal(rate), valid_on=valid_on, source="ECB")


def test_cross_border_lira_and_yuan_convert_through_the_euro_of_the_ecb_feed() -> None:
    ecb("TRY", "55.8015", NOV_25)
    ecb("CNY", "7.4326", NOV_20)

    conversion = convert(amount=Decimal("55801.5"), source="TRY", target="CNY", on=NOV_28)

    assert conversion.amount == Decimal("7432.60")
    assert conversion.derivation == "cross"
    assert conversion.rate == Decimal("0.13319714")
    assert conversion.rate_date == NOV_20, "the older of the two legs dates the conversion"
    back = convert(amount=Decimal("7432.60"), source="CNY", target="TRY", on=NOV_28)
    assert back.amount == Decimal("55801.50")


def test_cross_border_the_fresher_pivot_wins_when_both_connect_two_currencies(usd_cny: None) -> None:
    ExchangeRateFactory(base__code="USD", quote__code="TRY", rate=Decimal("38"), valid_on=NOV_20)
    ecb("TRY", "55.8015", NOV_28)
    ecb("CNY", "7.4326", NOV_28)

    conversion = convert(amount=Decimal("55801.5"), source="TRY", target="CNY", on=NOV_28)

    assert conversion.rate_date == NOV_28
    assert conversion.amount == Decimal("7432.60"), "through the euro, whose rates are of the day"


def test_cross_border_a_direct_rate_beats_any_cross_rate(usd_cny: None) -> None:
    ecb("CNY", "7.4326", NOV_28)
    ecb("USD", "1.1172", NOV_28)

    conversion = convert(amount=Decimal("100"), source="USD", target="CNY", on=NOV_28)

    assert conversion.derivation == "direct"
    assert conversion.amount == Decimal("710.34")
    assert conversion.rate_date == NOV_25
