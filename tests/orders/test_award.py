"""Awarding an RFQ: single and split, one transaction, one order per awarded supplier, and exactly
one award when two people award at once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from buyers.models import Award, Quote, RfqEvent, SourcingRequest
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Notification
from orders.models import Order, OrderEvent
from orders.services.award import rfq_award
from tests.buyers.factories import SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import IndustrialBeltFactory, MembershipFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db
Status = SourcingRequest.Status


def _award(**kwargs: object) -> list[Order]:
    """Award naming the quotes' current versions, as the comparison page does."""
    allocations = kwargs["allocations"]
    kwargs.setdefault("versions", dict(Quote.objects.filter(pk__in=list(allocations)).values_list("pk", "version")))
    return rfq_award(**kwargs)


def _supplier(belt_slug: str) -> object:
    supplier = SupplierProfileFactory(belt=IndustrialBeltFactory(slug=belt_slug))
    MembershipFactory(company=supplier.company)
    return supplier


@pytest.fixture
def mascots(actors: dict) -> SourcingRequest:
    return SourcingRequestFactory(
        buyer=actors["buyer"].company, title="Mascot plush toys", quantity=300_000, allow_split=True
    )


def test_a_single_award_creates_one_order_accepts_the_quote_and_declines_the_others(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=50_000, status=Status.CLOSED)
    winner = QuoteFactory(rfq=rfq, supplier=_supplier("baigou"), unit_price=Decimal("2.40"), freight=Decimal("1200"))
    loser = QuoteFactory(rfq=rfq, supplier=_supplier("baigou-2"))

    orders = _award(
        rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, allocations={winner.pk: 50_000}
    )

    assert len(orders) == 1
    order = orders[0]
    assert (order.supplier, order.status, order.goods_total, order.freight) == (
        winner.supplier,
        Order.Status.PLACED,
        Decimal("120000.00"),
        Decimal("1200.00"),
    )
    assert [m.amount for m in order.milestones.order_by("position")] == [Decimal("36360.00"), Decimal("84840.00")]
    assert OrderEvent.objects.filter(order=order, to_status=Order.Status.PLACED).exists()
    winner.refresh_from_db()
    loser.refresh_from_db()
    rfq.refresh_from_db()
    assert (winner.status, loser.status, rfq.status) == (Quote.Status.ACCEPTED, Quote.Status.DECLINED, Status.AWARDED)
    assert Notification.objects.filter(
        kind="quote_accepted", recipient__memberships__company=winner.supplier.company
    ).exists()
    assert Notification.objects.filter(
        kind="quote_declined", recipient__memberships__company=loser.supplier.company
    ).exists()


def test_a_split_award_across_belts_creates_one_order_per_supplier(actors: dict, mascots: SourcingRequest) -> None:
    quotes = [
        QuoteFactory(rfq=mascots, supplier=_supplier("chenghai-toys"), quantity=120_000, unit_price=Decimal("1.80")),
        QuoteFactory(rfq=mascots, supplier=_supplier("yiwu"), quantity=100_000, unit_price=Decimal("1.95")),
        QuoteFactory(rfq=mascots, supplier=_supplier("chenghai-2"), quantity=100_000, unit_price=Decimal("2.05")),
    ]
    allocations = {quotes[0].pk: 120_000, quotes[1].pk: 100_000, quotes[2].pk: 80_000}

    orders = _award(
        rfq_id=mascots.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, allocations=allocations
    )

    assert sorted(order.lines.get().quantity for order in orders) == [80_000, 100_000, 120_000]
    assert {order.supplier.belt.slug for order in orders} == {"chenghai-toys", "yiwu", "chenghai-2"}
    assert Award.objects.get(rfq=mascots).is_split
    statuses = list(RfqEvent.objects.filter(rfq=mascots).values_list("to_status", flat=True))
    assert statuses[-2:] == [Status.CLOSED, Status.AWARDED]


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ((130_000, 100_000), "offered 120,000"),
        ((120_000, 0), "at least 1"),
    ],
)
def test_an_award_beyond_what_was_offered_is_refused_and_nothing_is_written(
    actors: dict, mascots: SourcingRequest, quantities: tuple[int, int], message: str
) -> None:
    first = QuoteFactory(rfq=mascots, quantity=120_000)
    second = QuoteFactory(rfq=mascots, quantity=100_000)

    with pytest.raises(InvalidInput, match=message):
        _award(
            rfq_id=mascots.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            allocations={first.pk: quantities[0], second.pk: quantities[1]},
        )
    assert not Order.objects.exists()
    assert not Award.objects.exists()
    first.refresh_from_db()
    assert first.status == Quote.Status.SUBMITTED


def test_full_cover_refuses_an_award_that_leaves_quantity_unallocated(actors: dict, mascots: SourcingRequest) -> None:
    quote = QuoteFactory(rfq=mascots, quantity=120_000)

    with pytest.raises(InvalidInput, match="180,000 are not allocated"):
        _award(
            rfq_id=mascots.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            allocations={quote.pk: 120_000},
            require_full_cover=True,
        )


def test_a_request_that_may_not_be_split_is_awarded_to_one_quote_only(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, quantity=1000, allow_split=False)
    first, second = QuoteFactory(rfq=rfq, quantity=1000), QuoteFactory(rfq=rfq, quantity=1000)

    with pytest.raises(InvalidInput, match="may not be split"):
        _award(
            rfq_id=rfq.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            allocations={first.pk: 500, second.pk: 500},
        )


def test_another_buyer_cannot_award_the_request(actors: dict, mascots: SourcingRequest) -> None:
    quote = QuoteFactory(rfq=mascots, quantity=300_000)

    with pytest.raises(NotFound):
        _award(
            rfq_id=mascots.pk,
            buyer=actors["other_buyer"].company,
            actor=actors["other_buyer"].user,
            allocations={quote.pk: 1},
        )


def test_a_quote_of_another_request_cannot_be_awarded(actors: dict, mascots: SourcingRequest) -> None:
    elsewhere = QuoteFactory(rfq=SourcingRequestFactory(quantity=300_000))

    with pytest.raises(NotFound):
        _award(
            rfq_id=mascots.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, allocations={elsewhere.pk: 10}
        )


def test_a_withdrawn_quote_cannot_be_awarded(actors: dict, mascots: SourcingRequest) -> None:
    quote = QuoteFactory(rfq=mascots, quantity=300_000, status=Quote.Status.WITHDRAWN)

    with pytest.raises(Conflict, match="withdrawn"):
        _award(rfq_id=mascots.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, allocations={quote.pk: 10})


def test_awarding_twice_is_a_conflict(actors: dict, mascots: SourcingRequest) -> None:
    quote = QuoteFactory(rfq=mascots, quantity=300_000)
    _award(
        rfq_id=mascots.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, allocations={quote.pk: 300_000}
    )

    with pytest.raises(Conflict, match="already been awarded"):
        _award(
            rfq_id=mascots.pk,
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            allocations={quote.pk: 300_000},
        )
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_colleagues_awarding_at_once_produce_exactly_one_set_of_orders() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL.")
    rfq = SourcingRequestFactory(quantity=300_000, allow_split=True)
    first = MembershipFactory(company=rfq.buyer).user
    second = MembershipFactory(company=rfq.buyer).user
    quotes = [QuoteFactory(rfq=rfq, quantity=150_000) for _ in range(2)]
    allocations = {quote.pk: 150_000 for quote in quotes}
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def award(user: object) -> None:
        try:
            barrier.wait()
            _award(rfq_id=rfq.pk, buyer=rfq.buyer, actor=user, allocations=allocations)
            outcomes.append("awarded")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["awarded", "conflict"]
    assert Order.objects.filter(rfq=rfq).count() == 2
    assert Award.objects.filter(rfq=rfq).count() == 1
