"""Numbers print with their digits grouped: unit prices with two to four decimal places, amounts with
their currency's places, quantities as they are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("13"), "13.00"),
        (Decimal("13.1900"), "13.19"),
        (Decimal("0.035"), "0.035"),
        (Decimal("12345.5"), "12,345.50"),
        (Decimal("2.12345"), "2.1235"),
        (None, ""),
    ],
)
def test_a_unit_price_prints_with_two_to_four_decimal_places(value: Decimal | None, shown: str) -> None:
    assert Template("{% load money %}{{ value|unit_price }}").render(Context({"value": value})) == shown


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (Decimal("151200"), "CNY", "CNY 151,200.00"),
        (Decimal("151200.005"), "USD", "USD 151,200.01"),  # half-up, as money is rounded
        (Decimal("1512000.00"), "JPY", "JPY 1,512,000"),  # the yen has no decimal places
        (Decimal("95"), "", "95.00"),
        (None, "CNY", ""),
    ],
)
def test_cross_border_an_amount_prints_grouped_with_its_currency_s_places(
    value: Decimal | None, currency: str, shown: str
) -> None:
    template = Template("{% load money %}{{ value|money:currency }}")
    assert template.render(Context({"value": value, "currency": currency})) == shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cross_border_a_quantity_prints_with_its_digits_grouped_in_both_languages(language: str) -> None:
    template = Template("{% load money %}{{ a|quantity }} · {{ b|quantity }} · {{ c|quantity }}")
    with translation.override(language):
        shown = template.render(Context({"a": 20000, "b": Decimal("2.50"), "c": None}))
    assert shown == "20,000 · 2.5 · "
