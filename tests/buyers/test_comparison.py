"""The buyer's comparison: amounts in the buyer's currency with the rate shown, late quotes marked,
the best value of each column marked, and the optimal split at the lowest landed cost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from buyers.allocation import Constraints
from buyers.comparison import compare_quotes, propose_plan, sort_rows
from buyers.models import Quote
from tests.buyers.factories import SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import CurrencyFactory, ExchangeRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rfq() -> object:
    usd = CurrencyFactory(code="USD")
    cny = CurrencyFactory(code="CNY")
    lkr = CurrencyFactory(code="LKR")
    today = timezone.localdate()
    ExchangeRateFactory(base=usd, quote=cny, rate=Decimal("7.00"), valid_on=today - timedelta(days=1))
    ExchangeRateFactory(base=usd, quote=lkr, rate=Decimal("300.00"), valid_on=today - timedelta(days=1))
    return SourcingRequestFactory(quantity=300_000, allow_split=True, required_by=today + timedelta(days=30))


def test_quotes_are_converted_into_the_buyers_currency_with_the_rate_used(rfq: object) -> None:
    quote = QuoteFactory(
        rfq=rfq, unit_price=Decimal("14.00"), currency_id="CNY", quantity=100_000, freight=Decimal("7000")
    )

    comparison = compare_quotes(rfq=rfq, quotes=[quote], currency="USD", on=timezone.localdate())

    row = comparison.rows[0]
    assert row.unit_price == Decimal("2.0000")
    assert row.total == Decimal("200000.00")
    assert row.freight == Decimal("1000.00")
    assert row.landed_total == Decimal("201000.00")
    assert [(rate.base, rate.valid_on) for rate in comparison.rates] == [
        ("CNY", timezone.localdate() - timedelta(days=1))
    ]


def test_a_quote_that_cannot_be_ready_by_the_required_date_is_marked_late(rfq: object) -> None:
    on_time = QuoteFactory(rfq=rfq, lead_time_days=25)
    late = QuoteFactory(rfq=rfq, lead_time_days=45)

    rows = {
        row.quote: row
        for row in compare_quotes(rfq=rfq, quotes=[on_time, late], currency="USD", on=timezone.localdate()).rows
    }

    assert not rows[on_time].late
    assert rows[late].late


def test_the_best_value_of_each_column_is_marked(rfq: object) -> None:
    cheap = QuoteFactory(rfq=rfq, unit_price=Decimal("2.00"), lead_time_days=20, quantity=100_000)
    fast = QuoteFactory(rfq=rfq, unit_price=Decimal("2.40"), lead_time_days=10, quantity=300_000)

    rows = {
        row.quote: row
        for row in compare_quotes(rfq=rfq, quotes=[cheap, fast], currency="USD", on=timezone.localdate()).rows
    }

    assert "unit_price" in rows[cheap].best
    assert "lead_time" in rows[fast].best
    assert "quantity" in rows[fast].best
    assert "unit_price" not in rows[fast].best


def test_the_proposed_split_covers_the_quantity_at_the_lowest_landed_cost_with_on_time_quotes_only(rfq: object) -> None:
    a = QuoteFactory(rfq=rfq, unit_price=Decimal("1.80"), quantity=120_000, lead_time_days=20)
    b = QuoteFactory(rfq=rfq, unit_price=Decimal("1.90"), quantity=150_000, lead_time_days=25)
    too_late = QuoteFactory(rfq=rfq, unit_price=Decimal("1.50"), quantity=300_000, lead_time_days=60)
    c = QuoteFactory(rfq=rfq, unit_price=Decimal("2.10"), quantity=100_000, lead_time_days=15)
    withdrawn = QuoteFactory(rfq=rfq, unit_price=Decimal("1.00"), quantity=300_000, status=Quote.Status.WITHDRAWN)

    comparison = compare_quotes(rfq=rfq, quotes=[a, b, too_late, c, withdrawn], currency="USD", on=timezone.localdate())
    plan = propose_plan(comparison, Constraints(quantity=rfq.quantity))

    assert plan.status == "optimal"
    assert plan.lines == {a.pk: 120_000, b.pk: 150_000, c.pk: 30_000}
    assert plan.total == Decimal("564000.00")
    assert comparison.row_of(too_late.pk).reason.code == "late"


def test_rows_sort_by_any_column_with_missing_values_last(rfq: object) -> None:
    CurrencyFactory(code="XAF")
    no_rate = QuoteFactory(rfq=rfq, unit_price=Decimal("1000"), currency_id="XAF")
    dear = QuoteFactory(rfq=rfq, unit_price=Decimal("3.00"))
    cheap = QuoteFactory(rfq=rfq, unit_price=Decimal("2.00"))

    comparison = compare_quotes(rfq=rfq, quotes=[no_rate, dear, cheap], currency="USD", on=timezone.localdate())

    assert comparison.missing_rates == ["XAF"]
    assert [row.quote for row in sort_rows(comparison.rows, "unit_price")] == [cheap, dear, no_rate]
    assert [row.quote for row in sort_rows(comparison.rows, "unit_price", descending=True)] == [dear, cheap, no_rate]
