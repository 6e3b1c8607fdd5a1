"""Disputes: the buyer raises a problem after shipment; SourceBelt staff resolve it.

An open dispute freezes the order in `disputed` (one open dispute per order, a unique
constraint). Staff resolve it one of three ways: the order goes back to where it was
(`resume`), or ends as cancelled or completed by their decision.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.models import Company, User
from orders.models import Dispute, Order
from orders.services.transitions import Action, Side, apply, check, locked_order, tell

MAX_DISPUTE_LENGTH = 5000


class Outcome(StrEnum):
    RESUME = "resume"
    CANCEL = "cancel"
    COMPLETE = "complete"


def _long_text(text: str | None, *, field: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(missing, field=field)
    if len(text) > MAX_DISPUTE_LENGTH:
        raise InvalidInput(_("Say it in at most %(limit)s characters.") % {"limit": MAX_DISPUTE_LENGTH}, field=field)
    return text


def dispute_open(*, order_id: int, company: Company, actor: User, reason: str) -> Dispute:
    """The buyer disputes a shipped or delivered order, saying what went wrong."""
    reason = _long_text(reason, field="reason", missing=_("Say what went wrong: staff and the supplier will read it."))
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        check(order, Action.DISPUTE, side)
        dispute = Dispute.objects.create(order=order, opened_by=actor, reason=reason, status_before=order.status)
        event = apply(order, Action.DISPUTE, side=side, actor=actor, reason=reason)
        tell(order, sides=[Side.SUPPLIER], kind="order_disputed", event=event)
    return dispute


def dispute_resolve(*, dispute_id: int, actor: User, outcome: str, resolution: str) -> Dispute:
    """Staff close an open dispute: the order returns to its status before the dispute
    (`resume`), or is cancelled or completed. Both sides are told the resolution."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only SourceBelt staff resolve disputes."))
    if outcome not in set(Outcome):
        raise InvalidInput(_("Choose how the dispute ends."), field="outcome")
    resolution = _long_text(resolution, field="resolution", missing=_("Explain the decision: both sides will read it."))
    with transaction.atomic():
        order_id = Dispute.objects.filter(pk=dispute_id).values_list("order_id", flat=True).first()
        if order_id is None:
            raise NotFound(_("No such dispute."))
        order, side = locked_order(order_id=order_id, company=None)
        dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
        if dispute.status != Dispute.Status.OPEN:
            raise Conflict(_("This dispute is already resolved."))
        target = {
            Outcome.RESUME: dispute.status_before,
            Outcome.CANCEL: Order.Status.CANCELLED,
            Outcome.COMPLETE: Order.Status.COMPLETED,
        }[Outcome(outcome)]
        event = apply(order, Action.RESOLVE, side=side, actor=actor, reason=resolution[:500], to_status=target)
        if target == Order.Status.CANCELLED:
            order.cancel_reason = resolution[:500]
            order.save(update_fields=["cancel_reason", "updated_at"])
        dispute.status = Dispute.Status.RESOLVED
        dispute.resolution = resolution
        dispute.resolved_by = actor
        dispute.resolved_at = timezone.now()
        dispute.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        tell(
            order,
            sides=[Side.BUYER, Side.SUPPLIER],
            kind="order_dispute_resolved",
            event=event,
            context={"status": target},
        )
    return dispute
