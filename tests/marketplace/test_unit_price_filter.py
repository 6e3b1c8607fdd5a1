"""Unit prices print with two decimal places at least and four at most, digits grouped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template


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
