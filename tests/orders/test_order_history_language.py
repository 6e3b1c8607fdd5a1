"""An order's history reads in the reader's language: milestone, shipment and review steps are
stored as facts, not as English sentences."""

from __future__ import annotations

import pytest
from django.utils import translation

from orders.models import Order, OrderEvent, PaymentMilestone
from orders.services.fulfilment import order_ship
from orders.services.payments import milestone_confirm_received, milestone_mark_paid
from tests.orders.builders_orders import order_in

pytestmark = pytest.mark.django_db


def _history(order: Order, language: str, *, after: int) -> list[str]:
    with translation.override(language):
        return [event.description for event in OrderEvent.objects.filter(order=order, pk__gt=after)]


def test_payment_and_shipment_steps_read_in_english_for_the_buyer_and_in_chinese_for_the_factory(
    actors: dict,
) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Order.Status.IN_PRODUCTION, buyer=buyer, supplier=supplier)
    balance = order.milestones.get(due=PaymentMilestone.Due.BEFORE_SHIPMENT)
    before = OrderEvent.objects.filter(order=order).latest("pk").pk
    milestone_mark_paid(
        order_id=order.pk, milestone_id=balance.pk, company=buyer.company, actor=buyer.user, reference="TT-9"
    )
    milestone_confirm_received(
        order_id=order.pk, milestone_id=balance.pk, company=supplier.company, actor=supplier.user
    )
    order_ship(
        order_id=order.pk,
        company=supplier.company,
        actor=supplier.user,
        carrier="COSCO",
        tracking_number="CN123",
        quantity=40,
    )

    english = _history(order, "en", after=before)
    chinese = _history(order, "zh-hans", after=before)

    assert english == [
        "Balance before shipment: marked paid (TT-9)",
        "Balance before shipment: received",
        "Shipped 40 with COSCO, tracking number CN123",
    ]
    assert chinese[0].startswith("发货前尾款")
    assert "TT-9" in chinese[0]
    assert chinese[1].startswith("发货前尾款")
    assert "COSCO" in chinese[2]
    assert "CN123" in chinese[2]
    assert not set(english) & set(chinese)


def test_the_order_page_shows_the_steps_in_the_reader_s_language(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Order.Status.CONFIRMED, buyer=buyer, supplier=supplier)
    deposit = order.milestones.get(due=PaymentMilestone.Due.BEFORE_PRODUCTION)
    milestone_mark_paid(order_id=order.pk, milestone_id=deposit.pk, company=buyer.company, actor=buyer.user)

    page = buyer.client.get(f"/orders/{order.pk}/", headers={"accept-language": "en"})

    assert "Deposit: marked paid" in page.content.decode()
