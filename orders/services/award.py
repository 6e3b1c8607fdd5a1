"""Awarding an RFQ: to one quote, or split across several, in one transaction.

The award names the version of each quote the buyer compared; if one changed since (revised,
withdrawn, expired), nothing is created. It creates one order per awarded supplier (through
`order_create`), priced from the pinned version by the one pricing rule (marketplace.pricing:
the tier follows the allocated quantity; freight per shipment or per unit), has the buyers app
accept the awarded quotes and decline every other active quote (`quote_decide`), moves the RFQ
to AWARDED (closing it first when it was still open) and tells winners and losers. The RFQ row
is locked first, and an Award is unique per RFQ, so two clicks or two colleagues awarding at
once produce exactly one award: the second waits for the lock, then finds the RFQ awarded and
gets a Conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import Award, AwardLine, Quote, QuoteVersion, SourcingRequest
from buyers.quote_rules import QuoteTerms
from buyers.services.quotes import open_round_of, quote_decide
from buyers.services.rfqs import rfq_transition
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.formatting import date_text, moment_text, quantity_text
from marketplace.models import Company, Membership, User
from marketplace.pricing import PricedLine
from marketplace.services.notifications import notify
from orders.models import Order
from orders.services.placing import LineData, order_create

Status = SourcingRequest.Status


@dataclass(frozen=True)
class PlannedOrder:
    """One order an award will create: the pinned version's terms priced at the allocated quantity."""

    quote: Quote
    version: QuoteVersion
    terms: QuoteTerms
    priced: PricedLine

    @property
    def currency(self) -> str:
        return self.terms.currency


def _version_of(quote: Quote, versions: Mapping[int, int]) -> QuoteVersion:
    """The version the buyer compared, which must still be the quote's current one."""
    name = quote.supplier.name
    if quote.pk not in versions:
        raise InvalidInput(
            _("Name the version of %(supplier)s's quote you award.") % {"supplier": name}, field="allocations"
        )
    pinned = versions[quote.pk]
    if quote.status != Quote.Status.SUBMITTED:
        raise Conflict(
            _("The quote of %(supplier)s is %(status)s since you compared it; nothing was awarded.")
            % {"supplier": name, "status": quote.get_status_display().lower()}
        )
    if quote.valid_until < timezone.localdate():
        raise Conflict(
            _("The quote of %(supplier)s expired on %(date)s; nothing was awarded.")
            % {"supplier": name, "date": date_text(quote.valid_until)}
        )
    if quote.version != pinned:
        raise Conflict(
            _(
                "%(supplier)s's quote changed since you compared it (version %(pinned)s, now %(current)s); "
                "nothing was awarded. Compare again."
            )
            % {"supplier": name, "pinned": pinned, "current": quote.version}
        )
    version = quote.versions.filter(number=pinned).first()
    if version is None:
        raise Conflict(
            _("Version %(number)s of %(supplier)s's quote is missing.") % {"number": pinned, "supplier": name}
        )
    return version


def planned_orders(
    rfq: SourcingRequest,
    quotes: Mapping[int, Quote],
    allocations: Mapping[int, int],
    versions: Mapping[int, int],
    *,
    require_full_cover: bool,
    over_delivery_percent: Decimal = Decimal("0"),
) -> list[PlannedOrder]:
    """Check an allocation against the RFQ and the pinned quote versions and price each order
    with the one pricing rule. Raises NotFound / Conflict / InvalidInput naming the quote at fault."""
    if not allocations:
        raise InvalidInput(_("Choose at least one quote to award."), field="allocations")
    if len(allocations) > 1 and not rfq.allow_split:
        raise InvalidInput(_("This request may not be split: award it to one quote."), field="allocations")
    planned: list[PlannedOrder] = []
    for quote_id in sorted(allocations):
        quantity = allocations[quote_id]
        quote = quotes.get(quote_id)
        if quote is None:
            raise NotFound(_("No such quote on this request."))
        version = _version_of(quote, versions)
        terms = QuoteTerms.from_json(version.terms)
        price_terms = terms.price_terms()
        name = quote.supplier.name
        if quantity < price_terms.minimum:
            raise InvalidInput(
                _("%(supplier)s sells at least %(minimum)s; you allocated %(quantity)s.")
                % {
                    "supplier": name,
                    "minimum": quantity_text(price_terms.minimum),
                    "quantity": quantity_text(quantity),
                },
                field="allocations",
            )
        if quantity > terms.quantity:
            raise InvalidInput(
                _("%(supplier)s offered %(offered)s; you cannot award it %(quantity)s.")
                % {"supplier": name, "offered": quantity_text(terms.quantity), "quantity": quantity_text(quantity)},
                field="allocations",
            )
        currency = quote.currency
        priced = price_terms.line(quantity, places=currency.decimal_places)
        planned.append(PlannedOrder(quote=quote, version=version, terms=terms, priced=priced))
    total = sum(allocations.values())
    most = rfq.quantity + int(rfq.quantity * over_delivery_percent / 100)
    if total > most:
        raise InvalidInput(
            _("You awarded %(total)s in all, more than the %(quantity)s you asked for.")
            % {"total": quantity_text(total), "quantity": quantity_text(rfq.quantity)},
            field="allocations",
        )
    if require_full_cover and total < rfq.quantity:
        raise InvalidInput(
            _("You awarded %(total)s of the %(quantity)s you need; %(left)s are not allocated.")
            % {
                "total": quantity_text(total),
                "quantity": quantity_text(rfq.quantity),
                "left": quantity_text(rfq.quantity - total),
            },
            field="allocations",
        )
    return planned


def _refuse_during_round(rfq: SourcingRequest, now: datetime) -> None:
    current = open_round_of(rfq, now=now)
    if current is not None:
        raise Conflict(
            _("Negotiation round %(number)s is open until %(deadline)s: award after it ends, or end it now.")
            % {"number": current.number, "deadline": moment_text(current.deadline)}
        )


def _awardable(rfq: SourcingRequest | None) -> SourcingRequest:
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    if rfq.status == Status.AWARDED or Award.objects.filter(rfq=rfq).exists():
        raise Conflict(_("This request has already been awarded."))
    if rfq.status not in {Status.OPEN, Status.CLOSED}:
        raise Conflict(
            _("This request is %(status)s and cannot be awarded.") % {"status": rfq.get_status_display().lower()}
        )
    return rfq


def _quotes_of(rfq: SourcingRequest, *, lock: bool) -> dict[int, Quote]:
    queryset = Quote.objects.filter(rfq=rfq).select_related("supplier", "currency").order_by("pk")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return {quote.pk: quote for quote in queryset}


def award_review(
    *,
    rfq_id: int,
    buyer: Company,
    allocations: Mapping[int, int],
    versions: Mapping[int, int],
    require_full_cover: bool = False,
    over_delivery_percent: Decimal = Decimal("0"),
) -> list[PlannedOrder]:
    """What `rfq_award` would create, checked the same way and changing nothing (the buyer's
    confirmation step)."""
    rfq = _awardable(SourcingRequest.objects.filter(pk=rfq_id, buyer=buyer).first())
    _refuse_during_round(rfq, timezone.now())
    return planned_orders(
        rfq,
        _quotes_of(rfq, lock=False),
        {int(k): int(v) for k, v in allocations.items()},
        {int(k): int(v) for k, v in versions.items()},
        require_full_cover=require_full_cover,
        over_delivery_percent=over_delivery_percent,
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
    versions: Mapping[int, int],
    require_full_cover: bool = False,
    over_delivery_percent: Decimal = Decimal("0"),
) -> list[Order]:
    """Award the buyer's RFQ: `allocations` maps quote ids to quantities (one entry for a single
    award), `versions` maps the same quote ids to the version the buyer compared. Returns the
    orders created, one per awarded quote, priced from the pinned versions only.

    Preconditions: the RFQ is the buyer's (NotFound otherwise), open or closed with no
    negotiation round open, not yet awarded (Conflict); every awarded quote is active, unexpired
    and still at its pinned version (Conflict naming it: nothing is created); quantities within
    each version's minimum and what it offered, their sum within the RFQ's quantity plus the
    over-delivery tolerance (and at least the quantity with `require_full_cover`); several
    quotes only when the RFQ allows a split (InvalidInput).
    """
    now = timezone.now()
    allocations = {int(quote_id): int(quantity) for quote_id, quantity in allocations.items()}
    versions = {int(quote_id): int(number) for quote_id, number in versions.items()}
    with transaction.atomic():
        rfq = _awardable(SourcingRequest.objects.select_for_update().filter(pk=rfq_id, buyer=buyer).first())
        _refuse_during_round(rfq, now)
        quotes = _quotes_of(rfq, lock=True)
        planned = planned_orders(
            rfq,
            quotes,
            allocations,
            versions,
            require_full_cover=require_full_cover,
            over_delivery_percent=over_delivery_percent,
        )
        award = Award.objects.create(rfq=rfq, created_by=actor, is_split=len(planned) > 1, created_at=now)
        orders: list[Order] = []
        for plan in planned:
            quote, priced = plan.quote, plan.priced
            line = AwardLine.objects.create(
                award=award,
                quote=quote,
                quote_version=plan.version,
                quantity=priced.quantity,
                unit_price=priced.unit_price,
                currency=quote.currency,
            )
            orders.append(
                order_create(
                    buyer=buyer,
                    supplier=quote.supplier,
                    actor=actor,
                    origin=Order.Origin.AWARD,
                    lines=[
                        LineData(
                            description=rfq.title, quantity=priced.quantity, unit=rfq.unit, unit_price=priced.unit_price
                        )
                    ],
                    currency=quote.currency,
                    freight=priced.freight,
                    incoterm=plan.terms.incoterm,
                    destination_country=str(rfq.destination_country),
                    destination_city=rfq.destination_city,
                    required_by=rfq.required_by,
                    rfq=rfq,
                    quote=quote,
                    award_line=line,
                )
            )
        accepted = {plan.quote.pk for plan in planned}
        declined = [
            quote for quote in quotes.values() if quote.pk not in accepted and quote.status == Quote.Status.SUBMITTED
        ]
        quote_decide(accepted=sorted(accepted), declined=[quote.pk for quote in declined], at=now)
        if rfq.status == Status.OPEN:
            rfq_transition(rfq, to_status=Status.CLOSED, actor=actor, reason=_("Closed to award."))
        rfq_transition(rfq, to_status=Status.AWARDED, actor=actor)

        context = {"title": rfq.title, "reference": rfq.reference}
        for order, plan in zip(orders, planned, strict=True):
            _tell(
                order.supplier.company_id,
                kind="quote_accepted",
                event_key=f"rfq:{rfq.pk}:awarded",
                context={**context, "quantity": plan.priced.quantity, "number": order.number},
                url=reverse("orders:order_detail", kwargs={"pk": order.pk}),
            )
        for quote in declined:
            _tell(
                quote.supplier.company_id,
                kind="quote_declined",
                event_key=f"rfq:{rfq.pk}:awarded",
                context=context,
                url=reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk}),
            )
    return orders
