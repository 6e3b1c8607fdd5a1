"""The order lifecycle: the happy path end to end, every illegal transition refused with nothing
changed, payments moving the order on, cancellation and disputes, and two clicks at once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.models import Notification
from orders.models import Dispute, Order, OrderEvent, PaymentMilestone, Shipment
from orders.services.disputes import dispute_open, dispute_resolve
from orders.services.fulfilment import order_complete, order_deliver, order_ship
from orders.services.payments import milestone_confirm_received, milestone_mark_paid
from orders.services.transitions import (
    RULES,
    Action,
    Side,
    allowed_actions,
    order_cancel,
    order_confirm,
    order_start_production,
)
from tests.factories import MembershipFactory
from tests.orders.builders_orders import order_in, place_order

Status = Order.Status
Due = PaymentMilestone.Due
pytestmark = pytest.mark.django_db


def _snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        order.events.count(),
        order.shipments.count(),
        order.disputes.count(),
        tuple(order.milestones.values_list("status", flat=True)),
    )


def test_an_order_goes_from_placed_to_completed_with_every_step_recorded(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = place_order(buyer=buyer.company, supplier=supplier.supplier, actor=buyer.user)
    deposit, balance = order.milestones.order_by("position")

    order_confirm(order_id=order.pk, company=supplier.company, actor=supplier.user)
    milestone_mark_paid(
        order_id=order.pk, milestone_id=deposit.pk, company=buyer.company, actor=buyer.user, reference="TT-1"
    )
    milestone_confirm_received(
        order_id=order.pk, milestone_id=deposit.pk, company=supplier.company, actor=supplier.user
    )
    order.refresh_from_db()
    assert order.status == Status.DEPOSIT_PAID

    order_start_production(order_id=order.pk, company=supplier.company, actor=supplier.user)
    milestone_mark_paid(order_id=order.pk, milestone_id=balance.pk, company=buyer.company, actor=buyer.user)
    milestone_confirm_received(
        order_id=order.pk, milestone_id=balance.pk, company=supplier.company, actor=supplier.user
    )
    shipment = order_ship(
        order_id=order.pk,
        company=supplier.company,
        actor=supplier.user,
        carrier="COSCO",
        tracking_number="COSU6112345670",
        quantity=1000,
    )
    order_deliver(order_id=order.pk, company=buyer.company, actor=buyer.user)
    order_complete(order_id=order.pk, company=buyer.company, actor=buyer.user)

    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert order.shipped_quantity == 1000
    assert (shipment.carrier, shipment.tracking_number) == ("COSCO", "COSU6112345670")
    assert order.delivered_at is not None
    assert order.completed_at is not None
    transitions = [
        (event.from_status, event.to_status)
        for event in OrderEvent.objects.filter(order=order).exclude(from_status=F("to_status"))
    ]
    assert transitions == [
        ("", Status.PLACED),
        (Status.PLACED, Status.CONFIRMED),
        (Status.CONFIRMED, Status.DEPOSIT_PAID),
        (Status.DEPOSIT_PAID, Status.IN_PRODUCTION),
        (Status.IN_PRODUCTION, Status.SHIPPED),
        (Status.SHIPPED, Status.DELIVERED),
        (Status.DELIVERED, Status.COMPLETED),
    ]
    confirm = OrderEvent.objects.get(order=order, from_status=Status.PLACED, to_status=Status.CONFIRMED)
    assert confirm.actor == supplier.user


def test_the_other_side_is_told_of_each_step(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = place_order(buyer=buyer.company, supplier=supplier.supplier, actor=buyer.user)

    order_confirm(order_id=order.pk, company=supplier.company, actor=supplier.user)

    told = Notification.objects.filter(kind="order_confirmed")
    assert [n.recipient for n in told] == [buyer.user]
    assert told.get().context["number"] == order.number


def test_milestones_add_up_to_the_order_total(actors: dict) -> None:
    order = place_order(
        buyer=actors["buyer"].company,
        supplier=actors["supplier"].supplier,
        quantity=333,
        unit_price="1.01",
        freight="10",
    )

    amounts = list(order.milestones.order_by("position").values_list("percent", "amount"))

    assert [percent for percent, _ in amounts] == [30, 70]
    assert sum(amount for _, amount in amounts) == order.total == Decimal("346.33")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (status, action)
        for action, rule in RULES.items()
        if action not in {Action.DEPOSIT_RECEIVED, Action.RESOLVE}
        for status in (
            Status.PLACED,
            Status.CONFIRMED,
            Status.IN_PRODUCTION,
            Status.SHIPPED,
            Status.COMPLETED,
            Status.CANCELLED,
        )
        if status not in rule.sources
    ],
)
def test_a_transition_out_of_order_is_a_conflict_and_changes_nothing(actors: dict, status: str, action: Action) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(status, buyer=buyer, supplier=supplier)
    side = next(iter(RULES[action].sides - {Side.SYSTEM}))
    who = buyer if side == Side.BUYER else supplier
    before = _snapshot(order)
    calls = {
        Action.CONFIRM: lambda: order_confirm(order_id=order.pk, company=who.company, actor=who.user),
        Action.START_PRODUCTION: lambda: order_start_production(order_id=order.pk, company=who.company, actor=who.user),
        Action.SHIP: lambda: order_ship(
            order_id=order.pk, company=who.company, actor=who.user, carrier="DHL", tracking_number="1", quantity=1
        ),
        Action.DELIVER: lambda: order_deliver(order_id=order.pk, company=who.company, actor=who.user),
        Action.COMPLETE: lambda: order_complete(order_id=order.pk, company=who.company, actor=who.user),
        Action.CANCEL: lambda: order_cancel(order_id=order.pk, company=who.company, actor=who.user, reason="No."),
        Action.DISPUTE: lambda: dispute_open(order_id=order.pk, company=who.company, actor=who.user, reason="Torn."),
    }

    with pytest.raises(Conflict):
        calls[action]()

    assert _snapshot(order) == before


def test_the_buyer_cannot_confirm_its_own_order(actors: dict) -> None:
    order = order_in(Status.PLACED, buyer=actors["buyer"], supplier=actors["supplier"])

    with pytest.raises(PermissionDenied):
        order_confirm(order_id=order.pk, company=actors["buyer"].company, actor=actors["buyer"].user)

    order.refresh_from_db()
    assert order.status == Status.PLACED


def test_the_supplier_cannot_mark_the_goods_delivered(actors: dict) -> None:
    order = order_in(Status.SHIPPED, buyer=actors["buyer"], supplier=actors["supplier"])

    with pytest.raises(PermissionDenied):
        order_deliver(order_id=order.pk, company=actors["supplier"].company, actor=actors["supplier"].user)


def test_another_company_cannot_touch_the_order(actors: dict) -> None:
    order = order_in(Status.PLACED, buyer=actors["buyer"], supplier=actors["supplier"])

    with pytest.raises(NotFound):
        order_confirm(order_id=order.pk, company=actors["other_supplier"].company, actor=actors["other_supplier"].user)
    with pytest.raises(NotFound):
        order_cancel(
            order_id=order.pk,
            company=actors["other_buyer"].company,
            actor=actors["other_buyer"].user,
            reason="Mine now.",
        )


def test_a_supplier_cannot_ship_before_the_balance_is_received(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Status.IN_PRODUCTION, buyer=buyer, supplier=supplier)
    balance = order.milestones.get(due=Due.BEFORE_SHIPMENT)
    milestone_mark_paid(order_id=order.pk, milestone_id=balance.pk, company=buyer.company, actor=buyer.user)

    with pytest.raises(Conflict, match="not received"):
        order_ship(
            order_id=order.pk,
            company=supplier.company,
            actor=supplier.user,
            carrier="COSCO",
            tracking_number="C1",
            quantity=10,
        )

    assert not Shipment.objects.filter(order=order).exists()


def test_shipping_more_than_ordered_or_without_a_carrier_is_refused(actors: dict) -> None:
    supplier = actors["supplier"]
    order = order_in(Status.IN_PRODUCTION, buyer=actors["buyer"], supplier=supplier)
    from tests.orders.builders_orders import _pay

    _pay(order, Due.BEFORE_SHIPMENT, actors["buyer"], supplier)

    with pytest.raises(InvalidInput) as too_many:
        order_ship(
            order_id=order.pk,
            company=supplier.company,
            actor=supplier.user,
            carrier="COSCO",
            tracking_number="C1",
            quantity=1001,
        )
    with pytest.raises(InvalidInput) as no_carrier:
        order_ship(
            order_id=order.pk,
            company=supplier.company,
            actor=supplier.user,
            carrier=" ",
            tracking_number="C1",
            quantity=10,
        )

    assert (too_many.value.field, no_carrier.value.field) == ("quantity", "carrier")
    order.refresh_from_db()
    assert order.status == Status.IN_PRODUCTION


def test_confirming_goes_straight_to_deposit_paid_when_the_deposit_arrived_first(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Status.PLACED, buyer=buyer, supplier=supplier)
    deposit = order.milestones.get(due=Due.BEFORE_PRODUCTION)
    milestone_confirm_received(
        order_id=order.pk, milestone_id=deposit.pk, company=supplier.company, actor=supplier.user
    )

    order_confirm(order_id=order.pk, company=supplier.company, actor=supplier.user)

    order.refresh_from_db()
    assert order.status == Status.DEPOSIT_PAID


def test_a_milestone_is_marked_paid_once_and_received_once(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Status.CONFIRMED, buyer=buyer, supplier=supplier)
    deposit = order.milestones.get(due=Due.BEFORE_PRODUCTION)
    milestone_mark_paid(
        order_id=order.pk, milestone_id=deposit.pk, company=buyer.company, actor=buyer.user, reference="TT-778"
    )

    with pytest.raises(Conflict):
        milestone_mark_paid(order_id=order.pk, milestone_id=deposit.pk, company=buyer.company, actor=buyer.user)
    milestone_confirm_received(
        order_id=order.pk, milestone_id=deposit.pk, company=supplier.company, actor=supplier.user
    )
    with pytest.raises(Conflict):
        milestone_confirm_received(
            order_id=order.pk, milestone_id=deposit.pk, company=supplier.company, actor=supplier.user
        )

    deposit.refresh_from_db()
    assert (deposit.status, deposit.reference) == (PaymentMilestone.Status.RECEIVED, "TT-778")


def test_only_the_buyer_marks_paid_and_only_the_supplier_confirms_receipt(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Status.CONFIRMED, buyer=buyer, supplier=supplier)
    deposit = order.milestones.get(due=Due.BEFORE_PRODUCTION)

    with pytest.raises(PermissionDenied):
        milestone_mark_paid(order_id=order.pk, milestone_id=deposit.pk, company=supplier.company, actor=supplier.user)
    with pytest.raises(PermissionDenied):
        milestone_confirm_received(order_id=order.pk, milestone_id=deposit.pk, company=buyer.company, actor=buyer.user)


def test_no_payment_is_recorded_on_a_cancelled_order(actors: dict) -> None:
    buyer = actors["buyer"]
    order = order_in(Status.CANCELLED, buyer=buyer, supplier=actors["supplier"])
    deposit = order.milestones.get(due=Due.BEFORE_PRODUCTION)

    with pytest.raises(Conflict):
        milestone_mark_paid(order_id=order.pk, milestone_id=deposit.pk, company=buyer.company, actor=buyer.user)


def test_either_side_cancels_before_production_with_a_reason(actors: dict) -> None:
    supplier = actors["supplier"]
    order = order_in(Status.CONFIRMED, buyer=actors["buyer"], supplier=supplier)

    with pytest.raises(InvalidInput):
        order_cancel(order_id=order.pk, company=supplier.company, actor=supplier.user, reason="  ")
    order_cancel(order_id=order.pk, company=supplier.company, actor=supplier.user, reason="Out of PVC sheet.")

    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "Out of PVC sheet.")
    assert Notification.objects.filter(kind="order_cancelled", recipient=actors["buyer"].user).exists()


def test_a_dispute_is_resolved_by_staff_back_to_where_the_order_was(actors: dict) -> None:
    order = order_in(Status.DISPUTED, buyer=actors["buyer"], supplier=actors["supplier"])
    dispute = Dispute.objects.get(order=order)

    with pytest.raises(PermissionDenied):
        dispute_resolve(dispute_id=dispute.pk, actor=actors["buyer"].user, outcome="complete", resolution="Mine.")
    dispute_resolve(
        dispute_id=dispute.pk, actor=actors["staff"].user, outcome="resume", resolution="The supplier resends 200 bags."
    )

    order.refresh_from_db()
    dispute.refresh_from_db()
    assert order.status == Status.SHIPPED
    assert (dispute.status, dispute.resolved_by) == (Dispute.Status.RESOLVED, actors["staff"].user)
    with pytest.raises(Conflict):
        dispute_resolve(dispute_id=dispute.pk, actor=actors["staff"].user, outcome="cancel", resolution="Again.")


def test_staff_may_end_a_dispute_by_cancelling_the_order(actors: dict) -> None:
    order = order_in(Status.DISPUTED, buyer=actors["buyer"], supplier=actors["supplier"])
    dispute = Dispute.objects.get(order=order)

    dispute_resolve(dispute_id=dispute.pk, actor=actors["staff"].user, outcome="cancel", resolution="Refund agreed.")

    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (Status.CANCELLED, "Refund agreed.")


def test_the_viewer_is_offered_only_what_its_side_may_do_now(actors: dict) -> None:
    order = order_in(Status.PLACED, buyer=actors["buyer"], supplier=actors["supplier"])

    assert allowed_actions(order, Side.SUPPLIER) == [Action.CONFIRM, Action.CANCEL]
    assert allowed_actions(order, Side.BUYER) == [Action.CANCEL]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_colleagues_confirming_at_once_produce_one_event() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL.")
    from tests.factories import CompanyFactory, SupplierProfileFactory

    supplier = SupplierProfileFactory()
    colleagues = [MembershipFactory(company=supplier.company).user for _ in range(2)]
    order = place_order(buyer=CompanyFactory(), supplier=supplier)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def confirm(user: object) -> None:
        try:
            barrier.wait()
            order_confirm(order_id=order.pk, company=supplier.company, actor=user)
            outcomes.append("confirmed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(user,)) for user in colleagues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["confirmed", "conflict"]
    assert OrderEvent.objects.filter(order=order, from_status=Status.PLACED, to_status=Status.CONFIRMED).count() == 1
