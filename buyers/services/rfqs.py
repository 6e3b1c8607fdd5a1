"""The RFQ lifecycle, written in one place.

    draft ──publish──▶ open ──close (buyer, deadline with quotes, quote cap)──▶ closed ──award──▶ awarded
      │                 │  └─deadline without a quote──▶ expired
      └──cancel──▶ cancelled ◀──cancel── (open, closed)

Every transition locks the RFQ (`select_for_update`), checks it is allowed from the current
status, and records an RfqEvent (who, when, from, to, why) in the same transaction. Publishing
(`rfq_publish`, in buyers/services/posting.py) makes matching due and queues it after commit; a
broker that is down loses nothing, because the relay (`rfqs_match_due`, buyers/services/matching.py)
matches the open RFQs whose matching is due within seconds of it being back.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import RfqEvent, SourcingRequest
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Company, User

logger = logging.getLogger(__name__)

Status = SourcingRequest.Status

# Which status may follow which: the one table every transition is checked against.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.OPEN, Status.CANCELLED},
    Status.OPEN: {Status.CLOSED, Status.EXPIRED, Status.CANCELLED},
    Status.CLOSED: {Status.AWARDED, Status.CANCELLED},
    Status.AWARDED: set(),
    Status.CANCELLED: set(),
    Status.EXPIRED: set(),
}

# An open RFQ not matched this long after publishing is matched by the periodic task
# (its task was lost, or the broker was down when it was published).
CLOSE_BATCH_SIZE = 200


def rfq_refused(rfq: SourcingRequest, to_status: str) -> Conflict:
    return Conflict(
        _("This request is %(status)s; it cannot become %(target)s.")
        % {"status": rfq.get_status_display().lower(), "target": Status(to_status).label.lower()}
    )


def rfq_locked(*, rfq_id: int, buyer: Company | None = None) -> SourcingRequest:
    queryset = SourcingRequest.objects.select_for_update()
    if buyer is not None:
        queryset = queryset.filter(buyer=buyer)
    rfq = queryset.filter(pk=rfq_id).first()
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    return rfq


def rfq_transition(rfq: SourcingRequest, *, to_status: str, actor: User | None, reason: str = "") -> RfqEvent:
    """Move a locked RFQ to `to_status` and record it. Call inside a transaction holding the
    row lock (from `rfq_locked`). Raises Conflict when the move is not allowed from the current status."""
    if to_status not in TRANSITIONS[rfq.status]:
        raise rfq_refused(rfq, to_status)
    now = timezone.now()
    event = RfqEvent.objects.create(
        rfq=rfq, actor=actor, from_status=rfq.status, to_status=to_status, reason=reason[:500], created_at=now
    )
    rfq.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.OPEN:
        # Matching is due from now: the task queued after commit claims it, else the relay does.
        rfq.published_at = rfq.matching_due_at = now
        fields += ["published_at", "matching_due_at"]
    elif to_status in {Status.CLOSED, Status.EXPIRED, Status.CANCELLED}:
        rfq.closed_at = now
        rfq.matching_due_at = None
        fields += ["closed_at", "matching_due_at"]
    rfq.save(update_fields=fields)
    return event


def rfq_record_created(rfq: SourcingRequest, *, actor: User | None) -> RfqEvent:
    """Record the creation of a draft (the first event of every RFQ)."""
    return RfqEvent.objects.create(rfq=rfq, actor=actor, from_status="", to_status=Status.DRAFT)


def rfq_close(*, rfq_id: int, buyer: Company, actor: User | None, reason: str = "") -> SourcingRequest:
    """The buyer stops taking quotes before the deadline."""
    with transaction.atomic():
        rfq = rfq_locked(rfq_id=rfq_id, buyer=buyer)
        rfq_transition(rfq, to_status=Status.CLOSED, actor=actor, reason=reason or _("Closed by the buyer."))
    return rfq


def rfq_cancel(*, rfq_id: int, buyer: Company, actor: User, reason: str) -> SourcingRequest:
    """The buyer withdraws the request (a reason is required once suppliers may have seen it)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        rfq = rfq_locked(rfq_id=rfq_id, buyer=buyer)
        if rfq.status != Status.DRAFT and not reason:
            raise InvalidInput(_("Say why you cancel the request: the suppliers will see it."), field="reason")
        rfq_transition(rfq, to_status=Status.CANCELLED, actor=actor, reason=reason)
    return rfq


def rfqs_close_due(*, now: datetime | None = None) -> int:
    """Close every open RFQ whose quote deadline has passed: closed when it has quotes, expired
    when it has none. Works in batches of short transactions; safe to run twice at once (each
    RFQ is locked and re-checked). Returns how many changed."""
    now = now or timezone.now()
    changed = 0
    while True:
        ids = list(
            SourcingRequest.objects.filter(status=Status.OPEN, quote_deadline__lte=now)
            .order_by("quote_deadline", "pk")
            .values_list("pk", flat=True)[:CLOSE_BATCH_SIZE]
        )
        if not ids:
            return changed
        for rfq_id in ids:
            with transaction.atomic():
                rfq = SourcingRequest.objects.select_for_update(skip_locked=True).filter(pk=rfq_id).first()
                if rfq is None or rfq.status != Status.OPEN or rfq.quote_deadline > now:
                    continue
                if rfq.quote_count:
                    rfq_transition(rfq, to_status=Status.CLOSED, actor=None, reason=_("The quote deadline passed."))
                else:
                    rfq_transition(
                        rfq,
                        to_status=Status.EXPIRED,
                        actor=None,
                        reason=_("The quote deadline passed without a quote."),
                    )
                changed += 1
        if len(ids) < CLOSE_BATCH_SIZE:
            return changed
