"""Suppliers' answers to RFQs: opening one, declining it, and the response figures they feed.

A supplier reaches an RFQ through its Match: matched by the engine, invited by the buyer, or
chosen from the board (opening a board RFQ creates a Match with source=BOARD, so the supplier can
decline it now and quote it later). Opening is recorded once and is not an answer; declining
(and, with quotes, quoting) is, and sets `responded_at` the first time.

Response figures: over the matches notified in the last 30 days, the share answered within 24
hours of the notification (the response rate), and the median time to an answer. A match still
inside its 24 hours and unanswered is not judged yet; a match the supplier found itself on the
board was never notified and does not count.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import Match, SourcingRequest
from buyers.selectors.rfqs import rfq_for_supplier
from buyers.services.quote_states import MatchAction, match_move, match_sources, match_target
from marketplace.errors import Conflict, InvalidInput
from suppliers.models import SupplierProfile
from suppliers.services.metrics import supplier_response_figures_set_many

RESPONSE_WINDOW = timedelta(hours=24)
RESPONSE_PERIOD = timedelta(days=30)
METRICS_BATCH_SIZE = 500
MAX_DECLINE_REASON = 500


def _match_for(*, supplier: SupplierProfile, rfq_id: int, now: datetime) -> Match:
    """The supplier's Match on an RFQ it may see, created with source=BOARD when it came from the
    board. NotFound when the supplier may not see the RFQ (drafts, other private RFQs, other
    categories, its own company's RFQs)."""
    rfq = rfq_for_supplier(supplier=supplier, pk=rfq_id)
    match = Match.objects.filter(rfq=rfq, supplier=supplier).first()
    if match is not None:
        return match
    try:
        # A savepoint, so that losing a race with a second click leaves the transaction usable.
        with transaction.atomic():
            return Match.objects.create(
                rfq=rfq,
                supplier=supplier,
                source=Match.Source.BOARD,
                status=Match.Status.NEW,
                score=0,
                created_at=now,
            )
    except IntegrityError:
        return Match.objects.get(rfq=rfq, supplier=supplier)


def match_open(*, supplier: SupplierProfile, rfq_id: int, now: datetime | None = None) -> Match:
    """The supplier opens an RFQ: the first opening is recorded (`opened_at`, new → opened); later
    openings change nothing. An RFQ from the board gets its Match here. Opening is not an answer.
    Returns the Match with its RFQ."""
    now = now or timezone.now()
    with transaction.atomic():
        match = _match_for(supplier=supplier, rfq_id=rfq_id, now=now)
        # A conditional UPDATE: two openings at once record the first one only.
        Match.objects.filter(pk=match.pk, opened_at__isnull=True).update(opened_at=now)
        Match.objects.filter(pk=match.pk, status__in=match_sources(MatchAction.OPEN)).update(
            status=match_target(MatchAction.OPEN)
        )
    return Match.objects.select_related("rfq", "rfq__category", "rfq__currency", "rfq__buyer").get(pk=match.pk)


def match_decline(*, supplier: SupplierProfile, rfq_id: int, reason: str, now: datetime | None = None) -> Match:
    """The supplier declines an open RFQ, saying why (the buyer may read it). It counts as an
    answer: `responded_at` is set if it was not. Conflict when the RFQ is no longer open or the
    supplier already declined or quoted."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why you decline: it helps the buyer and our matching."), field="reason")
    if len(reason) > MAX_DECLINE_REASON:
        raise InvalidInput(
            _("Keep the reason under %(count)s characters.") % {"count": MAX_DECLINE_REASON}, field="reason"
        )
    with transaction.atomic():
        found = _match_for(supplier=supplier, rfq_id=rfq_id, now=now)
        match = Match.objects.select_for_update(of=("self",)).select_related("rfq").get(pk=found.pk)
        status = match_move(
            MatchAction.DECLINE,
            match.status,
            refusal=_("You have already declined this request.")
            if match.status == Match.Status.DECLINED
            else _("You have quoted on this request; withdraw the quote instead."),
        )
        if match.rfq.status != SourcingRequest.Status.OPEN:
            raise Conflict(
                _("This request is %(status)s: it no longer takes answers.")
                % {"status": match.rfq.get_status_display().lower()}
            )
        match.status = status
        match.declined_at = now
        match.decline_reason = reason
        match.opened_at = match.opened_at or now
        match.responded_at = match.responded_at or now
        match.save(update_fields=["status", "declined_at", "decline_reason", "opened_at", "responded_at"])
    return match


# --- Response figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseFigures:
    rate: int | None
    median_minutes: int | None


def response_figures_from(
    answers: list[tuple[datetime, datetime | None]], *, now: datetime, window: timedelta = RESPONSE_WINDOW
) -> ResponseFigures:
    """Figures from (notified_at, responded_at) pairs of one supplier's notified matches.

    A pair unanswered and still inside its window is left out: it cannot be judged yet."""
    judged = 0
    in_time = 0
    minutes: list[float] = []
    for notified_at, responded_at in answers:
        if responded_at is None:
            if now - notified_at < window:
                continue
            judged += 1
            continue
        judged += 1
        delay = max(responded_at - notified_at, timedelta(0))
        in_time += delay <= window
        minutes.append(delay.total_seconds() / 60)
    rate = round(100 * in_time / judged) if judged else None
    median = int(statistics.median(minutes)) if minutes else None
    return ResponseFigures(rate=rate, median_minutes=median)


def supplier_response_metrics_recompute(*, now: datetime | None = None, batch_size: int = METRICS_BATCH_SIZE) -> int:
    """Recompute every supplier's response figures (the periodic task). Suppliers with a match
    notified in the last 30 days get fresh figures; those that had figures and no longer have such
    a match go back to "no figures yet". Works in batches of suppliers; each batch's figures (and
    the day's metric snapshots) are stored by the suppliers app's service in a few queries.
    Returns how many suppliers were updated."""
    now = now or timezone.now()
    since = now - RESPONSE_PERIOD
    notified_recently = Q(rfq_matches__notified_at__gte=since, rfq_matches__notified_at__lte=now)
    candidates = (
        SupplierProfile.objects.filter(
            notified_recently | Q(response_rate__isnull=False) | Q(response_median_minutes__isnull=False)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    updated = 0
    last_id = 0
    while True:
        ids = list(candidates.filter(pk__gt=last_id)[:batch_size])
        if not ids:
            return updated
        answers: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
        rows = Match.objects.filter(supplier_id__in=ids, notified_at__gte=since, notified_at__lte=now).values_list(
            "supplier_id", "notified_at", "responded_at"
        )
        for supplier_id, notified_at, responded_at in rows:
            assert notified_at is not None  # the filter above
            # An answer recorded after `now` (a recompute for a past moment) is not known then.
            answers[supplier_id].append((notified_at, responded_at if responded_at and responded_at <= now else None))
        batch = {supplier_id: response_figures_from(answers.get(supplier_id, []), now=now) for supplier_id in ids}
        updated += supplier_response_figures_set_many(figures=batch, now=now)
        last_id = ids[-1]
        if len(ids) < batch_size:
            return updated
