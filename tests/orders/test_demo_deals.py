"""The demo has deals to look at: quotes, a split-awarded RFQ whose orders are in different states,
a reviewed order and a conversation — and seeding again adds none of them twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from buyers.models import Award, Quote, SourcingRequest
from marketplace.demo.accounts import SUPPLIER
from orders.models import Message, Order, Review

pytestmark = pytest.mark.django_db


def test_seeding_adds_quotes_a_split_award_with_orders_in_several_states_a_review_and_messages() -> None:
    call_command("seed_demo", stdout=StringIO())

    keyrings = SourcingRequest.objects.get(title="Plush mascot keyrings, 60,000 pcs")
    assert keyrings.status == SourcingRequest.Status.AWARDED
    assert Award.objects.get(rfq=keyrings).is_split
    orders = Order.objects.filter(rfq=keyrings)
    assert sorted(orders.values_list("status", flat=True)) == ["confirmed", "in_production", "shipped"]
    assert orders.values("supplier__belt").distinct().count() == 2
    assert Review.objects.filter(order__status=Order.Status.COMPLETED, rating=5).exists()
    assert Message.objects.count() >= 2
    backpacks = SourcingRequest.objects.get(title="Transparent school backpacks, 50,000 pcs")
    assert backpacks.status == SourcingRequest.Status.OPEN
    assert Quote.objects.filter(rfq=backpacks).count() >= 2
    # The demo supplier account is left to quote by hand (story 1).
    assert not Quote.objects.filter(rfq=backpacks, supplier__company__name=SUPPLIER.company).exists()

    counts = (Quote.objects.count(), Order.objects.count(), Message.objects.count(), Review.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Quote.objects.count(), Order.objects.count(), Message.objects.count(), Review.objects.count()) == counts
