"""The order lifecycle, written in one place.

    placed ──confirm (supplier)──▶ confirmed ──(milestones due before production received)──▶ deposit_paid
      ──start production (supplier)──▶ in_production ──ship (supplier; milestones due before shipment
      received)──▶ shipped ──deliver (buyer)──▶ delivered ──complete (buyer, or milestones due after
      delivery received)──▶ completed

    cancel (buyer or supplier, with a reason): placed, confirmed, deposit_paid ──▶ cancelled
    dispute (buyer, with a reason): shipped, delivered ──▶ disputed
    resolve (staff): disputed ──▶ the status before the dispute, cancelled or completed

`RULES` is the one table every transition is checked against: from which statuses, to which,
and which side may ask. Every transition locks the order (`select_for_update`), checks the
table, records an OrderEvent (who, when, from, to, why) and tells the other side, all in one
transaction; a transition that is not allowed raises Conflict (wrong status) or
PermissionDenied (wrong side) and changes nothing.

The services of this module cover the steps with nothing else to record; shipping, delivery and
completion are in `fulfilment`, payment milestones in `payments`, disputes in `disputes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.models import Company, Membership, User
from marketplace.services.notifications import notify
from orders.models import Order, OrderEvent, PaymentMilestone

Status = Order.Status
Due = PaymentMilestone.Due

MAX_REASON_LENGTH = 500


class Side(StrEnum):
    """Who asks for a transition. SYSTEM is a step that follows from another one (the last
    deposit received moves the order on)."""

    BUYER = "buyer"
    SUPPLIER = "supplier"
    STAFF = "staff"
    SYSTEM = "system"


class Action(StrEnum):
    CONFIRM = "confirm"
    DEPOSIT_RECEIVED = "deposit_received"
    START_PRODUCTION = "start_production"
    SHIP = "ship"
    DELIVER = "deliver"
    COMPLETE = "complete"
    CANCEL = "cancel"
    DISPUTE = "dispute"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    targets: frozenset[str]
    sides: frozenset[Side]


def _rule(sources: Iterable[str], targets: Iterable[str], *sides: Side) -> Rule:
    return Rule(frozenset(sources), frozenset(targets), frozenset(sides))


CANCELLABLE = (Status.PLACED, Status.CONFIRMED, Status.DEPOSIT_PAID)
DISPUTABLE = (Status.SHIPPED, Status.DELIVERED)

# Who may do what in which status: the one table every transition is checked against.
RULES: dict[Action, Rule] = {
    Action.CONFIRM: _rule([Status.PLACED], [Status.CONFIRMED], Side.SUPPLIER),
    Action.DEPOSIT_RECEIVED: _rule([Status.CONFIRMED], [Status.DEPOSIT_PAID], Side.SYSTEM),
    Action.START_PRODUCTION: _rule([Status.DEPOSIT_PAID], [Status.IN_PRODUCTION], Side.SUPPLIER),
    Action.SHIP: _rule([Status.IN_PRODUCTION], [Status.SHIPPED], Side.SUPPLIER),
    Action.DELIVER: _rule([Status.SHIPPED], [Status.DELIVERED], Side.BUYER),
    Action.COMPLETE: _rule([Status.DELIVERED], [Status.COMPLETED], Side.BUYER, Side.SYSTEM),
    Action.CANCEL: _rule(CANCELLABLE, [Status.CANCELLED], Side.BUYER, Side.SUPPLIER),
    Action.DISPUTE: _rule(DISPUTABLE, [Status.DISPUTED], Side.BUYER),
    # The dispute's `status_before`, or the end staff decide on.
    Action.RESOLVE: _rule([Status.DISPUTED], [*DISPUTABLE, Status.CANCELLED, Status.COMPLETED], Side.STAFF),
}

_ACTION_NAMES = {
    Action.CONFIRM: gettext_noop("confirmed"),
    Action.DEPOSIT_RECEIVED: gettext_noop("moved to deposit paid"),
    Action.START_PRODUCTION: gettext_noop("put into production"),
    Action.SHIP: gettext_noop("shipped"),
    Action.DELIVER: gettext_noop("marked delivered"),
    Action.COMPLETE: gettext_noop("completed"),
    Action.CANCEL: gettext_noop("cancelled"),
    Action.DISPUTE: gettext_noop("disputed"),
    Action.RESOLVE: gettext_noop("resolved"),
}

_SIDE_REFUSALS = {
    Side.BUYER: gettext_noop("Only the buyer may do this."),
    Side.SUPPLIER: gettext_noop("Only the supplier may do this."),
    Side.STAFF: gettext_noop("Only SourceBelt staff may do this."),
}

# Reasons SourceBelt writes itself; stored in English and shown translated.
REASON_DEPOSIT_RECEIVED = gettext_noop("Every payment due before production is received.")
REASON_PAID_IN_FULL = gettext_noop("Every payment due after delivery is received.")


def allowed_actions(order: Order, side: Side) -> list[Action]:
    """The transitions `side` may ask for now (for the buttons a page and the API show)."""
    return [
        action
        for action, rule in RULES.items()
        if side in rule.sides and order.status in rule.sources and side != Side.SYSTEM
    ]


def refusal(order: Order, action: Action) -> Conflict:
    return Conflict(
        _("Order %(number)s is %(status)s; it cannot be %(action)s now.")
        % {"number": order.number, "status": order.get_status_display().lower(), "action": _(_ACTION_NAMES[action])}
    )


def check(order: Order, action: Action, side: Side) -> Rule:
    """Raise PermissionDenied when `side` may not ask for `action`, Conflict when the order's
    status does not allow it."""
    rule = RULES[action]
    if side not in rule.sides:
        allowed = next((s for s in (Side.SUPPLIER, Side.BUYER, Side.STAFF) if s in rule.sides), Side.STAFF)
        raise PermissionDenied(_(_SIDE_REFUSALS[allowed]))
    if order.status not in rule.sources:
        raise refusal(order, action)
    return rule


def apply(
    order: Order,
    action: Action,
    *,
    side: Side,
    actor: User | None,
    reason: str = "",
    to_status: str | None = None,
    step: str = "",
    facts: dict | None = None,
) -> OrderEvent:
    """Move a locked order and record it. Call inside a transaction holding the order's row lock
    (from `locked_order`). `to_status` chooses among several targets (a dispute's resolution)."""
    rule = check(order, action, side)
    target = to_status or next(iter(rule.targets))
    if target not in rule.targets:
        raise refusal(order, action)
    now = timezone.now()
    event = OrderEvent.objects.create(
        order=order,
        actor=actor,
        from_status=order.status,
        to_status=target,
        reason=reason[:MAX_REASON_LENGTH],
        step=step,
        facts=facts or {},
        created_at=now,
    )
    order.status = target
    fields = ["status", "updated_at"]
    if target == Status.DELIVERED and order.delivered_at is None:
        order.delivered_at = now
        fields.append("delivered_at")
    if target == Status.COMPLETED:
        order.completed_at = now
        fields.append("completed_at")
    order.save(update_fields=fields)
    return event


def record_step(order: Order, *, actor: User | None, step: str, facts: dict) -> OrderEvent:
    """Record a step that does not change the status (a milestone paid or received), as facts that
    each reader sees in their own language (`OrderEvent.description`)."""
    return OrderEvent.objects.create(
        order=order, actor=actor, from_status=order.status, to_status=order.status, step=step, facts=facts
    )


def locked_order(*, order_id: int, company: Company | None) -> tuple[Order, Side]:
    """Lock one of `company`'s orders (as its buyer or its supplier) and say which side it is on.
    With `company=None` (staff), any order, on the STAFF side. NotFound outside the scope."""
    queryset = Order.objects.select_for_update(of=("self",)).select_related("supplier", "currency")
    if company is not None:
        queryset = queryset.filter(Q(buyer=company) | Q(supplier__company=company))
    order = queryset.filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("No such order."))
    if company is None:
        return order, Side.STAFF
    return order, Side.BUYER if order.buyer_id == company.pk else Side.SUPPLIER


def side_of(order: Order, company: Company | None) -> Side | None:
    """Which side of `order` the company is on; None when it is neither."""
    if company is None:
        return None
    if order.buyer_id == company.pk:
        return Side.BUYER
    if order.supplier.company_id == company.pk:
        return Side.SUPPLIER
    return None


def clean_reason(reason: str | None, *, required_message: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(required_message, field=field)
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(_("Say it in at most %(limit)s characters.") % {"limit": MAX_REASON_LENGTH}, field=field)
    return reason


def tell(
    order: Order, *, sides: Iterable[Side], kind: str, event: OrderEvent, context: dict | None = None
) -> list[User]:
    """Notify the members of the given sides of the order (in the caller's transaction); returns them."""
    company_ids = []
    for side in sides:
        if side == Side.BUYER:
            company_ids.append(order.buyer_id)
        elif side == Side.SUPPLIER:
            company_ids.append(order.supplier.company_id)
    recipients = [m.user for m in Membership.objects.filter(company_id__in=company_ids).select_related("user")]
    notify(
        recipients=recipients,
        kind=kind,
        event_key=f"order:{order.pk}:{kind}:{event.pk}",
        context={"number": order.number, **(context or {})},
        url=reverse("orders:order_detail", kwargs={"pk": order.pk}),
    )
    return recipients


def other_side(side: Side) -> list[Side]:
    if side == Side.BUYER:
        return [Side.SUPPLIER]
    if side == Side.SUPPLIER:
        return [Side.BUYER]
    return [Side.BUYER, Side.SUPPLIER]


def advance_when_paid(order: Order, *, actor: User | None) -> OrderEvent | None:
    """Move a locked order on when its payments allow: a confirmed order whose milestones due
    before production are all received becomes deposit_paid (at once when none is due); a
    delivered order whose milestones due after delivery are all received becomes completed.
    Returns the event, or None when nothing moved."""
    milestones = list(order.milestones.all())

    def all_received(due: str) -> bool:
        return all(m.status == PaymentMilestone.Status.RECEIVED for m in milestones if m.due == due)

    if order.status == Status.CONFIRMED and all_received(Due.BEFORE_PRODUCTION):
        return apply(order, Action.DEPOSIT_RECEIVED, side=Side.SYSTEM, actor=actor, reason=REASON_DEPOSIT_RECEIVED)
    after_delivery = [m for m in milestones if m.due == Due.AFTER_DELIVERY]
    if order.status == Status.DELIVERED and after_delivery and all_received(Due.AFTER_DELIVERY):
        event = apply(order, Action.COMPLETE, side=Side.SYSTEM, actor=actor, reason=REASON_PAID_IN_FULL)
        tell(order, sides=[Side.BUYER, Side.SUPPLIER], kind="order_completed", event=event)
        return event
    return None


# --- The steps with nothing else to record ------------------------------------------------------


def order_confirm(*, order_id: int, company: Company, actor: User) -> Order:
    """The supplier accepts the order. When no payment is due before production (or it is
    received already) the order moves on to deposit_paid in the same transaction."""
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        event = apply(order, Action.CONFIRM, side=side, actor=actor)
        tell(order, sides=other_side(side), kind="order_confirmed", event=event)
        advance_when_paid(order, actor=actor)
    return order


def order_start_production(*, order_id: int, company: Company, actor: User) -> Order:
    """The supplier starts making the goods (the deposit is received)."""
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        event = apply(order, Action.START_PRODUCTION, side=side, actor=actor)
        tell(order, sides=other_side(side), kind="order_in_production", event=event)
    return order


def order_cancel(*, order_id: int, company: Company, actor: User, reason: str) -> Order:
    """Either side cancels before production starts, saying why (the other side sees it)."""
    reason = clean_reason(reason, required_message=_("Say why you cancel the order: the other side will see it."))
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        event = apply(order, Action.CANCEL, side=side, actor=actor, reason=reason)
        order.cancel_reason = reason
        order.save(update_fields=["cancel_reason", "updated_at"])
        tell(order, sides=other_side(side), kind="order_cancelled", event=event, context={"reason": reason})
    return order
