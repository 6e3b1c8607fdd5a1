"""Payment milestones: recorded, not processed.

The buyer marks a milestone paid (with its own payment reference, such as a bank transfer
number); the supplier confirms it received the money. Receiving the last payment due before
production moves a confirmed order to deposit_paid; receiving the last payment due after
delivery completes a delivered order (`transitions.advance_when_paid`).

Where a payment provider plugs in
---------------------------------
SourceBelt moves no money. A provider (an escrow, a card or bank-transfer gateway) would
implement `PaymentProvider` and be called from `milestone_mark_paid` instead of trusting the
buyer's word: `start_payment` returns the provider's reference, and the provider's webhook would
call `milestone_confirm_received` on the supplier's behalf once the money has arrived. Until one
is configured, `RecordOnlyProvider` records what the buyer and the supplier say.
"""

from __future__ import annotations

from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.models import Company, User
from orders.models import Order, OrderEvent, PaymentMilestone
from orders.services.transitions import Side, advance_when_paid, locked_order, other_side, record_step, tell

MilestoneStatus = PaymentMilestone.Status
MAX_REFERENCE_LENGTH = 120
# No payment is recorded on an order that ended without the goods.
_CLOSED = (Order.Status.CANCELLED,)


class PaymentProvider(Protocol):
    """The interface a payment provider implements (see the module's docstring)."""

    def start_payment(self, milestone: PaymentMilestone, *, reference: str) -> str:
        """Begin paying `milestone`; return the reference to record on it."""
        ...


class RecordOnlyProvider:
    """No provider: the buyer's own reference is recorded as given."""

    def start_payment(self, milestone: PaymentMilestone, *, reference: str) -> str:
        return reference


payment_provider: PaymentProvider = RecordOnlyProvider()


def _locked_milestone(order: Order, milestone_id: int) -> PaymentMilestone:
    milestone = PaymentMilestone.objects.select_for_update().filter(order=order, pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("No such payment milestone on this order."))
    return milestone


def _check_open(order: Order) -> None:
    if order.status in _CLOSED:
        raise Conflict(
            _("Order %(number)s is %(status)s: no payment is recorded on it.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )


def milestone_mark_paid(
    *, order_id: int, milestone_id: int, company: Company, actor: User, reference: str = ""
) -> PaymentMilestone:
    """The buyer says it paid a milestone, with an optional reference. Conflict when the
    milestone is already marked paid or received, or the order is cancelled."""
    reference = (reference or "").strip()
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise InvalidInput(
            _("Use at most %(limit)s characters for the reference.") % {"limit": MAX_REFERENCE_LENGTH},
            field="reference",
        )
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        if side != Side.BUYER:
            raise PermissionDenied(_("Only the buyer marks a payment paid."))
        _check_open(order)
        milestone = _locked_milestone(order, milestone_id)
        if milestone.status != MilestoneStatus.DUE:
            raise Conflict(
                _("%(label)s is already %(status)s.")
                % {"label": _(milestone.label), "status": milestone.get_status_display().lower()}
            )
        milestone.reference = payment_provider.start_payment(milestone, reference=reference)
        milestone.status = MilestoneStatus.PAID
        milestone.paid_at = timezone.now()
        milestone.save(update_fields=["reference", "status", "paid_at"])
        event = record_step(
            order,
            actor=actor,
            step=OrderEvent.Step.MILESTONE_PAID,
            facts={"label": milestone.label, "reference": milestone.reference},
        )
        tell(
            order,
            sides=other_side(side),
            kind="order_milestone_paid",
            event=event,
            context={"label": milestone.label, "amount": str(milestone.amount), "currency": order.currency_id},
        )
    return milestone


def milestone_confirm_received(*, order_id: int, milestone_id: int, company: Company, actor: User) -> PaymentMilestone:
    """The supplier confirms the money arrived (whether or not the buyer marked it paid).
    Conflict when it is already received or the order is cancelled. May move the order on."""
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        if side != Side.SUPPLIER:
            raise PermissionDenied(_("Only the supplier confirms a payment received."))
        _check_open(order)
        milestone = _locked_milestone(order, milestone_id)
        if milestone.status == MilestoneStatus.RECEIVED:
            raise Conflict(_("%(label)s is already received.") % {"label": _(milestone.label)})
        now = timezone.now()
        milestone.status = MilestoneStatus.RECEIVED
        milestone.received_at = now
        milestone.paid_at = milestone.paid_at or now
        milestone.save(update_fields=["status", "received_at", "paid_at"])
        event = record_step(
            order, actor=actor, step=OrderEvent.Step.MILESTONE_RECEIVED, facts={"label": milestone.label}
        )
        tell(
            order,
            sides=other_side(side),
            kind="order_milestone_received",
            event=event,
            context={"label": milestone.label, "amount": str(milestone.amount), "currency": order.currency_id},
        )
        advance_when_paid(order, actor=actor)
    return milestone
