"""Negotiation rounds (best and final offer): after the quote deadline, the buyer asks some or all
quoting suppliers to revise, until a round deadline.

    RFQ closed (or open past its deadline) ──round_open──▶ round N open ──deadline / round_end──▶ ended

One round is open at a time; several may follow each other. Only the quotes a round names may be
revised while it is open (buyers.services.quotes.quote_change_window), and each revision is a
QuoteVersion tied to the round. Opening and ending are recorded in the RFQ's history (RfqEvent
with `round`) and told to both sides, each in its own language (the notification outbox).
Locks: the RFQ row first, as every quote write does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import NegotiationRound, Quote, QuoteVersion, RfqEvent, SourcingRequest
from buyers.services.quotes import open_round_of
from buyers.services.rfqs import rfq_transition
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.formatting import moment_text
from marketplace.models import Company, Membership, User
from marketplace.services.notifications import notify
from marketplace.services.translation_requests import translations_request

Status = SourcingRequest.Status
MIN_ROUND_DURATION = timedelta(hours=1)
MAX_ROUND_DURATION = timedelta(days=30)
MAX_MESSAGE_LENGTH = 2000
END_BATCH_SIZE = 200


def _members(company_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(company_id=company_id).select_related("user")]


def _context(rfq: SourcingRequest, negotiation: NegotiationRound) -> dict[str, object]:
    return {
        "title": rfq.title,
        "reference": rfq.reference,
        "round": negotiation.number,
        "deadline": negotiation.deadline.isoformat(),  # a fact; the template prints it in the reader's format
        "message": negotiation.message,
    }


def round_open(
    *,
    rfq_id: int,
    buyer: Company,
    actor: User,
    deadline: datetime,
    quote_ids: Sequence[int] = (),
    message: str = "",
) -> NegotiationRound:
    """Open the next negotiation round on the buyer's RFQ for the named active quotes (all of them
    when none is named), until `deadline` (from an hour to 30 days ahead).

    Preconditions: the RFQ is the buyer's (NotFound); its quote deadline has passed or the buyer
    closed it, and it is not decided (Conflict; an open RFQ past its deadline is closed first); no
    other round is open (Conflict); every named quote is an active quote on it (InvalidInput).
    """
    now = timezone.now()
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(_("Say what you ask in at most 2,000 characters."), field="message")
    if deadline < now + MIN_ROUND_DURATION:
        raise InvalidInput(_("Give the suppliers at least an hour: set a later round deadline."), field="deadline")
    if deadline > now + MAX_ROUND_DURATION:
        raise InvalidInput(_("A negotiation round can last at most 30 days."), field="deadline")
    with transaction.atomic():
        rfq = SourcingRequest.objects.select_for_update().filter(pk=rfq_id, buyer=buyer).first()
        if rfq is None:
            raise NotFound(_("No such sourcing request."))
        if rfq.status == Status.OPEN and now < rfq.quote_deadline:
            raise Conflict(
                _("Quotes may still change until the quote deadline; open a round after it, or close the request.")
            )
        if rfq.status not in {Status.OPEN, Status.CLOSED}:
            raise Conflict(
                _("This request is %(status)s: no negotiation round can be opened.")
                % {"status": rfq.get_status_display().lower()}
            )
        current = open_round_of(rfq, now=now)
        if current is not None:
            raise Conflict(
                _("Round %(number)s is open until %(deadline)s: end it before you open another.")
                % {
                    "number": current.number,
                    "deadline": moment_text(current.deadline),
                }
            )
        active = {
            quote.pk: quote
            for quote in Quote.objects.filter(rfq=rfq, status=Quote.Status.SUBMITTED).select_related("supplier")
        }
        if not active:
            raise Conflict(_("No active quote to negotiate on this request."))
        wanted = list(dict.fromkeys(quote_ids)) or sorted(active)
        unknown = [quote_id for quote_id in wanted if quote_id not in active]
        if unknown:
            raise InvalidInput(
                _("Only active quotes on this request can be asked to revise; %(ids)s is not one.")
                % {"ids": ", ".join(str(quote_id) for quote_id in unknown)},
                field="quotes",
            )
        if rfq.status == Status.OPEN:
            rfq_transition(rfq, to_status=Status.CLOSED, actor=None, reason=_("The quote deadline passed."))
        number = (
            NegotiationRound.objects.filter(rfq=rfq).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        negotiation = NegotiationRound.objects.create(
            rfq=rfq, number=number, message=message, deadline=deadline, created_by=actor, created_at=now
        )
        negotiation.quotes.set([active[quote_id] for quote_id in wanted])
        RfqEvent.objects.create(
            rfq=rfq,
            actor=actor,
            from_status=rfq.status,
            to_status=rfq.status,
            reason=message[:500],
            round=negotiation,
            created_at=now,
        )
        context = _context(rfq, negotiation)
        asked = {quote_id: _members(active[quote_id].supplier.company_id) for quote_id in wanted}
        # The suppliers asked read what the buyer asks in their own languages (docs/translation.md),
        # queued before the e-mails that quote it.
        translations_request(
            texts=[message], languages={user.preferred_language for members in asked.values() for user in members}
        )
        for quote_id, members in asked.items():
            notify(
                recipients=members,
                kind="negotiation_round_opened",
                event_key=f"round:{negotiation.pk}:opened",
                context={**context, "version": active[quote_id].version},
                url=reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}),
            )
        notify(
            recipients=[user for user in _members(rfq.buyer_id) if user.pk != actor.pk],
            kind="negotiation_round_opened_buyer",
            event_key=f"round:{negotiation.pk}:opened",
            context={**context, "suppliers": len(wanted)},
            url=reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}),
        )
    return negotiation


def _finish(negotiation: NegotiationRound, *, at: datetime, actor: User | None, early: bool) -> None:
    """Record a round's end and tell both sides. Call holding the RFQ's row lock."""
    rfq = negotiation.rfq
    negotiation.ended_at = at
    negotiation.save(update_fields=["ended_at"])
    invited = list(negotiation.quotes.select_related("supplier"))
    revised = QuoteVersion.objects.filter(round=negotiation).values("quote_id").distinct().count()
    reason = (
        _("Round %(number)s ended early: %(revised)s of %(invited)s suppliers revised.")
        if early
        else _("Round %(number)s ended at its deadline: %(revised)s of %(invited)s suppliers revised.")
    ) % {"number": negotiation.number, "revised": revised, "invited": len(invited)}
    RfqEvent.objects.create(
        rfq=rfq,
        actor=actor,
        from_status=rfq.status,
        to_status=rfq.status,
        reason=reason,
        round=negotiation,
        created_at=at,
    )
    context = {**_context(rfq, negotiation), "revised": revised, "invited": len(invited), "early": early}
    notify(
        recipients=_members(rfq.buyer_id),
        kind="negotiation_round_ended",
        event_key=f"round:{negotiation.pk}:ended",
        context=context,
        url=reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}),
    )
    for quote in invited:
        notify(
            recipients=_members(quote.supplier.company_id),
            kind="negotiation_round_ended_supplier",
            event_key=f"round:{negotiation.pk}:ended",
            context=context,
            url=reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}),
        )


def round_end(*, rfq_id: int, buyer: Company, actor: User) -> NegotiationRound:
    """The buyer ends the open round before its deadline (to award at once). Conflict when none is open."""
    now = timezone.now()
    with transaction.atomic():
        rfq = SourcingRequest.objects.select_for_update().filter(pk=rfq_id, buyer=buyer).first()
        if rfq is None:
            raise NotFound(_("No such sourcing request."))
        negotiation = open_round_of(rfq, now=now)
        if negotiation is None:
            raise Conflict(_("No negotiation round is open on this request."))
        _finish(negotiation, at=now, actor=actor, early=True)
    return negotiation


def rounds_end_due(*, now: datetime | None = None) -> int:
    """Record the end of every round whose deadline has passed (periodic; safe to run twice at
    once: each RFQ is locked and the round re-checked). Returns how many ended."""
    now = now or timezone.now()
    ended = 0
    while True:
        due = list(
            NegotiationRound.objects.filter(ended_at__isnull=True, deadline__lte=now)
            .order_by("pk")
            .values_list("pk", "rfq_id")[:END_BATCH_SIZE]
        )
        for round_id, rfq_id in due:
            with transaction.atomic():
                SourcingRequest.objects.select_for_update().filter(pk=rfq_id).first()
                negotiation = (
                    NegotiationRound.objects.select_related("rfq")
                    .filter(pk=round_id, ended_at__isnull=True, deadline__lte=now)
                    .first()
                )
                if negotiation is not None:
                    _finish(negotiation, at=negotiation.deadline, actor=None, early=False)
                    ended += 1
        if len(due) < END_BATCH_SIZE:
            return ended
