"""The demo has deals to look at: quotes, a split-awarded RFQ whose orders are in different states,
a reviewed order and a conversation, and story 3 at its real size (32 plush factories quoting on
300,000 mascot toys) — and seeding again adds none of them twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from buyers.demo import MASCOT_TOYS
from buyers.models import Award, Match, Quote, SourcingRequest
from marketplace.demo.accounts import SUPPLIER
from marketplace.models import Membership
from orders.models import Message, Order, Review
from suppliers.models import Product, ProductLineCapacity

pytestmark = pytest.mark.django_db


def test_seeding_adds_quotes_a_split_award_with_orders_in_several_states_a_review_and_messages(demo: str) -> None:

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


def test_32_plush_factories_in_five_belts_quote_on_the_brazilian_buyers_mascot_toys_story_3(demo: str) -> None:

    rfq = SourcingRequest.objects.get(title=MASCOT_TOYS, buyer__name="Brinquedos Alegria Ltda")
    assert (rfq.status, rfq.quantity, rfq.allow_split) == (SourcingRequest.Status.OPEN, 300_000, True)
    assert rfq.quote_deadline > timezone.now()
    assert not Award.objects.filter(rfq=rfq).exists()
    quotes = list(
        Quote.objects.filter(rfq=rfq, status=Quote.Status.SUBMITTED).select_related(
            "supplier__belt", "supplier__company"
        )
    )
    suppliers = {quote.supplier for quote in quotes}
    assert len(quotes) == len(suppliers) == rfq.quote_count == 32
    assert len({supplier.belt.slug for supplier in suppliers}) == 5
    assert len({supplier.province for supplier in suppliers}) >= 3
    names = {supplier.name for supplier in suppliers}
    assert {"Shantou Chenghai Leyuan Toys Co., Ltd.", "Shantou Mengqu Plush Toys Factory"} <= names
    assert "Yiwu Kaixin Plush Toys Co., Ltd." in names
    assert all(supplier.name_zh for supplier in suppliers)

    today = timezone.localdate()
    for quote in quotes:
        prices = [Decimal(price) for _quantity, price in quote.tiers]
        assert 1 <= len(prices) <= 4, quote.supplier.name
        assert prices == sorted(prices, reverse=True)
        assert 9_600 <= quote.quantity <= 70_000
        assert quote.currency_id in {"CNY", "USD"}
        assert quote.valid_until > today
        assert quote.freight is not None
    on_time = [quote for quote in quotes if today + timedelta(days=quote.lead_time_days) <= rfq.required_by]
    assert len(on_time) >= 30  # a split over 30 factories is possible without accepting late delivery
    assert len({quote.supplier.province for quote in on_time}) >= 3
    # No factory on time can spare much this month: the 30 together just cover the quantity, and
    # any 29 of them fall short, so the split takes them all.
    offered = sorted(quote.quantity for quote in on_time)
    assert len(offered) == 30
    assert sum(offered) >= rfq.quantity
    assert sum(offered[1:]) < rfq.quantity

    # Matching finds them: each sells mascots, states its capacity and is matched to the RFQ.
    assert (
        Product.objects.filter(supplier__in=suppliers, category__slug="mascot-toys", status=Product.Status.PUBLISHED)
        .values("supplier")
        .distinct()
        .count()
        == 32
    )
    assert ProductLineCapacity.objects.filter(supplier__in=suppliers, category__slug="mascot-toys").count() == 32
    assert Match.objects.filter(rfq=rfq, supplier__in=suppliers, status=Match.Status.QUOTED).count() == 32
    owners = Membership.objects.filter(company__supplier_profile__in=suppliers, role=Membership.Role.OWNER)
    assert all(email.endswith("@demo.sourcebelt.local") for email in owners.values_list("user__email", flat=True))

    call_command("seed_demo", stdout=StringIO())
    assert Quote.objects.filter(rfq=rfq).count() == 32
    assert ProductLineCapacity.objects.filter(supplier__in=suppliers).count() == 32
