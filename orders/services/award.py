"""Awarding an RFQ: to one quote, or split across several, in one transaction.

The award creates one order per awarded supplier (through `order_create`), accepts the awarded
quotes, declines every other active quote, moves the RFQ to AWARDED (closing it first when it was
still open) and tells winners and losers. The RFQ row is locked first, and an Award is unique per
RFQ, so two clicks or two colleagues awarding at once produce exactly one award: the second
waits for the lock, then finds the RFQ awarded and gets a Conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import Award, AwardLine, Quote, SourcingRequest
from buyers.services.rfqs import rfq_transition
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Company, Membership, User
from marketplace.services.notifications import notify
from orders.models import Order
from orders.services.placing import LineData, order_create

Status = SourcingRequest.Status


def _check_allocation(
    rfq: SourcingRequest, quotes: dict[int, Quote], allocations: Mapping[int, int], *, require_full_cover: bool
) -> None:
    if not allocations:
        raise InvalidInput(_("Choose at least one quote to award."), field="allocations")
    for quote_id, quantity in allocations.items():
        quote = quotes.get(quote_id)
        if quote is None:
            raise NotFound(_("No such quote on this request."))
        if quote.status != Quote.Status.SUBMITTED:
            raise Conflict(
                _("The quote of %(supplier)s is %(status)s and cannot be awarded.")
                % {"supplier": quote.supplier.name, "status": quote.get_status_display().lower()}
            )
        if quantity < 1:
            raise InvalidInput(_("Each awarded quantity must be at least 1."), field="allocations")
        if quantity > quote.quantity:
            raise InvalidInput(
                _("%(supplier)s offered %(offered)s; you cannot award it %(quantity)s.")
                % {"supplier": quote.supplier.name, "offered": quote.quantity, "quantity": quantity},
                field="allocations",
            )
    total = sum(allocations.values())
    if len(allocations) > 1 and not rfq.allow_split:
        raise InvalidInput(_("This request may not be split: award it to one quote."), field="allocations")
    if total > rfq.quantity:
        raise InvalidInput(
            _("You awarded %(total)s in all, more than the %(quantity)s you asked for.")
            % {"total": total, "quantity": rfq.quantity},
            field="allocations",
        )
    if require_full_cover and total < rfq.quantity:
        raise InvalidInput(
            _("You awarded %(total)s of the %(quantity)s you need; %(left)s are not allocated.")
            % {"total": total, "quantity": rfq.quantity, "left": rfq.quantity - total},
            field="allocations",
        )


def _tell(company_id: int, *, kind: str, event_key: str, context: dict, url: str) -> None:
    recipients = [m.user for m in Membership.objects.filter(company_id=company_id).select_related("user")]
    notify(recipients=recipients, kind=kind, event_key=event_key, context=context, url=url)


def rfq_award(
    *,
    rfq_id: int,
    buyer: Company,
    actor: User,
    allocations: Mapping[int, int],
    require_full_cover: bool = False,
) -> list[Order]:
    """Award the buyer's RFQ: `allocations` maps quote ids to quantities (one entry for a single
    award). Returns the orders created, one per awarded quote.

    Preconditions: the RFQ is the buyer's (NotFound otherwise), open or closed, not yet awarded
    (Conflict); every awarded quote is active and on this RFQ; quantities within what each quote
    offered, their sum within the RFQ's quantity (and equal to it with `require_full_cover`);
    several quotes only when the RFQ allows a split (InvalidInput).
    """
    now = timezone.now()
    allocations = {int(quote_id): int(quantity) for quote_id, quantity in allocations.items()}
    with transaction.atomic():
        rfq = SourcingRequest.objects.select_for_update().filter(pk=rfq_id, buyer=buyer).first()
        if rfq is None:
            raise NotFound(_("No such sourcing request."))
        if rfq.status == Status.AWARDED or Award.objects.filter(rfq=rfq).exists():
            raise Conflict(_("This request has already been awarded."))
        if rfq.status not in {Status.OPEN, Status.CLOSED}:
            raise Conflict(
                _("This request is %(status)s and cannot be awarded.") % {"status": rfq.get_status_display().lower()}
            )
        quotes = {
            quote.pk: quote
            for quote in Quote.objects.select_for_update(of=("self",))
            .filter(rfq=rfq)
            .select_related("supplier", "currency")
            .order_by("pk")
        }
        _check_allocation(rfq, quotes, allocations, require_full_cover=require_full_cover)

        award = Award.objects.create(rfq=rfq, created_by=actor, is_split=len(allocations) > 1, created_at=now)
        orders: list[Order] = []
        for quote_id in sorted(allocations):
            quote = quotes[quote_id]
            quantity = allocations[quote_id]
            line = AwardLine.objects.create(
                award=award, quote=quote, quantity=quantity, unit_price=quote.unit_price, currency=quote.currency
            )
            # Freight is estimated for the whole quantity offered; an order for part of it pays its share.
            freight = quote.freight or Decimal("0")
            if freight and quantity < quote.quantity:
                freight = freight * quantity / quote.quantity
            orders.append(
                order_create(
                    buyer=buyer,
                    supplier=quote.supplier,
                    actor=actor,
                    origin=Order.Origin.AWARD,
                    lines=[
                        LineData(description=rfq.title, quantity=quantity, unit=rfq.unit, unit_price=quote.unit_price)
                    ],
                    currency=quote.currency,
                    freight=freight,
                    incoterm=quote.incoterm,
                    destination_country=str(rfq.destination_country),
                    destination_city=rfq.destination_city,
                    required_by=rfq.required_by,
                    rfq=rfq,
                    quote=quote,
                    award_line=line,
                )
            )
        accepted = set(allocations)
        Quote.objects.filter(pk__in=accepted).update(status=Quote.Status.ACCEPTED, decided_at=now)
        declined = [
            quote for quote in quotes.values() if quote.pk not in accepted and quote.status == Quote.Status.SUBMITTED
        ]
        Quote.objects.filter(pk__in=[quote.pk for quote in declined]).update(
            status=Quote.Status.DECLINED, decided_at=now
        )
        if rfq.status == Status.OPEN:
            rfq_transition(rfq, to_status=Status.CLOSED, actor=actor, reason=_("Closed to award."))
        rfq_transition(rfq, to_status=Status.AWARDED, actor=actor)

        context = {"title": rfq.title, "reference": rfq.reference}
        for order in orders:
            _tell(
                order.supplier.company_id,
                kind="quote_accepted",
                event_key=f"rfq:{rfq.pk}:awarded",
                context={**context, "quantity": order.lines.first().quantity, "number": order.number},
                url=f"/orders/{order.pk}/",
            )
        for quote in declined:
            _tell(
                quote.supplier.company_id,
                kind="quote_declined",
                event_key=f"rfq:{rfq.pk}:awarded",
                context=context,
                url=f"/rfqs/inbox/{rfq.pk}/",
            )
    return orders
