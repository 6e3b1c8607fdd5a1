"""Prices are the quote's own at the allocated quantity: the tier the quantity falls in, nothing
below the quote's minimum, freight per shipment or per unit — and the orders an award creates add
up to the proposed plan's total to the cent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buyers.allocation import Constraints
from buyers.comparison import compare_quotes, propose_plan
from buyers.models import Quote, SourcingRequest
from buyers.quote_rules import quote_terms_from
from buyers.services.quotes import quote_submit
from marketplace.errors import InvalidInput
from marketplace.models import Currency
from marketplace.pricing import convert_round
from marketplace.selectors.money import exchange_rate_on
from orders.services.award import rfq_award
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import (
    CurrencyFactory,
    ExchangeRateFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    SupplierProfileFactory,
)

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


@pytest.fixture
def currencies(db: None) -> None:
    CurrencyFactory(code="USD")
    CurrencyFactory(code="CNY")
    ExchangeRateFactory(base_id="USD", quote_id="CNY", rate=Decimal("7.1234"))


def _quote(rfq: SourcingRequest, **terms: object) -> Quote:
    supplier = SupplierProfileFactory(belt=IndustrialBeltFactory())
    owner = MembershipFactory(company=supplier.company).user
    MatchFactory(rfq=rfq, supplier=supplier)
    data: dict[str, object] = {
        "currency": "CNY",
        "quantity": rfq.quantity,
        "lead_time_days": 10,
        "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "incoterm": "FOB",
        **terms,
    }
    return quote_submit(rfq_id=rfq.pk, supplier=supplier, actor=owner, terms=quote_terms_from(data, rfq=rfq))


def _award(rfq: SourcingRequest, actors: dict, allocations: dict[int, int]) -> list:
    versions = dict(Quote.objects.filter(pk__in=list(allocations)).values_list("pk", "version"))
    return rfq_award(
        rfq_id=rfq.pk,
        buyer=actors["buyer"].company,
        actor=actors["buyer"].user,
        allocations=allocations,
        versions=versions,
    )


def test_allocation_of_12000_from_a_20000_quote_is_priced_at_its_10000_tier_not_below_it(
    actors: dict, currencies: None
) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=30_000, allow_split=True)
    tiered = _quote(rfq, quantity=20_000, tiers="5000:13.80; 10000:13.20; 20000:12.60")
    other = _quote(rfq, quantity=20_000, unit_price="14.00")

    orders = _award(rfq, actors, {tiered.pk: 12_000, other.pk: 18_000})

    line = next(order for order in orders if order.quote_id == tiered.pk).lines.get()
    assert (line.quantity, line.unit_price) == (12_000, Decimal("13.20"))
    assert next(order for order in orders if order.quote_id == tiered.pk).goods_total == Decimal("158400.00")


@pytest.mark.parametrize(
    ("terms", "minimum"),
    [
        ({"tiers": "5000:13.80; 10000:13.20"}, "5,000"),
        ({"unit_price": "13.00", "min_order_quantity": "8000"}, "8,000"),
    ],
)
def test_allocation_below_the_quotes_minimum_is_refused_with_the_minimum_named(
    actors: dict, currencies: None, terms: dict, minimum: str
) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=20_000, allow_split=True)
    quote = _quote(rfq, quantity=20_000, **terms)

    with pytest.raises(InvalidInput, match=f"at least {minimum}"):
        _award(rfq, actors, {quote.pk: 3_000})


@pytest.mark.parametrize(("basis", "freight"), [("shipment", Decimal("900.00")), ("unit", Decimal("500.00"))])
def test_allocation_of_part_of_a_quote_pays_freight_as_the_quote_charges_it(
    actors: dict, currencies: None, basis: str, freight: Decimal
) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=10_000, allow_split=True)
    quote = _quote(
        rfq, quantity=10_000, unit_price="3.00", freight="900" if basis == "shipment" else "0.10", freight_basis=basis
    )

    order = _award(rfq, actors, {quote.pk: 5_000})[0]

    assert order.freight == freight


def test_allocation_comparison_shows_each_quotes_tiers_and_its_price_at_the_planned_quantity(
    actors: dict, currencies: None
) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=30_000, allow_split=True)
    tiered = _quote(rfq, quantity=20_000, tiers="5000:13.80; 10000:13.20; 20000:12.60")
    _quote(rfq, quantity=20_000, unit_price="14.00")

    page = actors["buyer"].client.get(f"/rfqs/{rfq.pk}/quotes/?currency=CNY").content.decode()

    assert "data-tiers" in page
    assert "from 5,000" in page
    assert "from 20,000" in page
    row = page.split(f'data-quote="{tiered.pk}"')[1].split("</tr>")[0]
    assert 'data-planned="20000"' in row  # the cheapest plan takes all 20,000 at 12.60


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    offers=st.lists(
        st.tuples(
            st.integers(min_value=2, max_value=12),  # quantity offered, in thousands
            st.integers(min_value=300, max_value=2000),  # first tier price, in cents
            st.integers(min_value=0, max_value=3),  # tiers
            st.sampled_from(["USD", "CNY"]),
            st.sampled_from(["shipment", "unit"]),
            st.integers(min_value=0, max_value=90_000),  # freight, in cents (per unit: in 1/10,000)
        ),
        min_size=2,
        max_size=6,
    ),
    quantity=st.integers(min_value=3, max_value=20),
)
def test_allocation_orders_of_an_award_add_up_to_the_plans_total_to_the_cent(
    actors: dict, currencies: None, offers: list, quantity: int
) -> None:
    try:
        with transaction.atomic():
            rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=quantity * 1000, allow_split=True)
            for offered, cents, tiers, currency, basis, freight in offers:
                offered = min(offered * 1000, rfq.quantity)
                steps = [(1000 * (step + 1), Decimal(cents - 20 * step) / 100) for step in range(tiers + 1)]
                steps = [(q, p) for q, p in steps if q <= offered]
                _quote(
                    rfq,
                    currency=currency,
                    quantity=offered,
                    unit_price="",
                    tiers="; ".join(f"{q}:{p}" for q, p in steps),
                    freight=str(Decimal(freight) / (100 if basis == "shipment" else 10_000)),
                    freight_basis=basis,
                )
            quotes = list(Quote.objects.filter(rfq=rfq).select_related("supplier__belt", "currency"))
            comparison = compare_quotes(rfq=rfq, quotes=quotes, currency="USD", on=timezone.localdate())
            plan = propose_plan(comparison, Constraints(quantity=rfq.quantity))
            if not plan.lines:
                raise _Rollback
            orders = _award(rfq, actors, plan.lines)
            converted = sum(
                convert_round(
                    order.total,
                    exchange_rate_on(base=order.currency_id, quote="USD", on=timezone.localdate()).rate,
                    Currency.objects.get(code="USD").decimal_places,
                )
                for order in orders
            )
            assert converted == plan.total
            assert sum(order.lines.get().quantity for order in orders) == sum(plan.lines.values())
            raise _Rollback
    except _Rollback:
        pass
