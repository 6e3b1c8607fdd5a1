"""Weekly demand, aggregated incrementally: only the weeks touched since the last run are rewritten.

A run (`demand_aggregate`) locks the one DemandAggregationState row, so runs never interleave,
and reads its watermark `processed_until`. The weeks touched since then are the publishing weeks
of the RFQs changed since (published, edited, closed, cancelled, quoted: every such write moves
the RFQ's `updated_at`) and of the RFQs whose quotes or matches changed since. Each touched week
is recomputed from its RFQs, quotes and matches and its DemandWeek rows replaced in one go, so a
run is idempotent and a week is never half written. Surges are then detected in the touched
weeks that are recent (`buyers.insights.surges`), in the same transaction, so an alert is
recorded with its surge or not at all.

The watermark moves to the time the run started, minus nothing; the next run looks back
`OVERLAP` further, because a transaction that committed after this run read the tables may carry
timestamps from before it started. Recomputing a week twice changes nothing.

Publishing an RFQ queues a run after commit (`buyers.tasks.insights.demand_enqueue_aggregation`), so a surge is seen
within seconds; Celery beat runs one every ten minutes as well (quotes, closing, edits).

What counts (see docs/demand-insights.md): published RFQs that were not cancelled, in the week
(TIME_ZONE, Monday first) they were published; each counts for its category and every ancestor,
for the market (belt NULL) and for each belt that has the category or an ancestor among its
specialties.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import DateField, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from buyers.insights.surges import demand_surges_detect
from buyers.insights.weeks import week_start
from buyers.models import DemandAggregationState, DemandSurge, DemandWeek, Match, Quote, SourcingRequest
from marketplace.models import Category, IndustrialBelt

logger = logging.getLogger(__name__)

STATE_KEY = "demand"
OVERLAP = timedelta(minutes=5)
WRITE_BATCH = 2000

Scope = tuple[int | None, int | None]  # (category id or None for all, belt id or None for the market)


def counted_rfqs() -> Q:
    """The RFQs demand counts: published, and not cancelled."""
    return Q(published_at__isnull=False) & ~Q(status=SourcingRequest.Status.CANCELLED)


@dataclass
class AggregationResult:
    weeks: list[date] = field(default_factory=list)
    rows: int = 0
    surges: list[DemandSurge] = field(default_factory=list)
    alerts: int = 0
    seconds: float = 0.0


# --- Which weeks changed -------------------------------------------------------------------------


def _weeks_of(queryset: Iterable[date | None]) -> set[date]:
    return {week for week in queryset if week is not None}


def touched_weeks(*, since: datetime | None) -> set[date]:
    """Publishing weeks of the RFQs that changed, or whose quotes or matches changed, since `since`
    (every week with a published RFQ when `since` is None)."""
    week = TruncWeek("published_at", output_field=DateField())
    published = SourcingRequest.objects.filter(published_at__isnull=False)
    if since is None:
        return _weeks_of(published.annotate(w=week).values_list("w", flat=True).distinct())
    weeks = _weeks_of(published.filter(updated_at__gte=since).annotate(w=week).values_list("w", flat=True).distinct())
    rfq_week = TruncWeek("rfq__published_at", output_field=DateField())
    quotes = Quote.objects.filter(
        Q(submitted_at__gte=since) | Q(revised_at__gte=since) | Q(withdrawn_at__gte=since) | Q(decided_at__gte=since)
    )
    matches = Match.objects.filter(
        Q(created_at__gte=since) | Q(notified_at__gte=since) | Q(responded_at__gte=since) | Q(declined_at__gte=since)
    )
    for changed in (quotes, matches):
        weeks |= _weeks_of(
            changed.filter(rfq__published_at__isnull=False).annotate(w=rfq_week).values_list("w", flat=True).distinct()
        )
    return weeks


# --- One week, recomputed --------------------------------------------------------------------------


@dataclass
class _Tally:
    rfqs: int = 0
    quantity: int = 0
    buyers: set[int] = field(default_factory=set)
    countries: Counter[str] = field(default_factory=Counter)
    quotes: int = 0
    quoted_rfqs: int = 0
    first_quote_minutes: list[int] = field(default_factory=list)
    matches: int = 0
    answered: int = 0


@dataclass
class _Response:
    """How the suppliers in one scope (the market, or one belt) answered one RFQ."""

    quotes: int = 0
    first_quote_at: datetime | None = None
    matches: int = 0
    answered: int = 0

    def add_quote(self, at: datetime) -> None:
        self.quotes += 1
        if self.first_quote_at is None or at < self.first_quote_at:
            self.first_quote_at = at


def belts_by_specialty() -> dict[int, set[int]]:
    """category id → the belts that have it among their specialties."""
    belts: dict[int, set[int]] = defaultdict(set)
    through = IndustrialBelt.specialties.through
    for belt_id, category_id in through.objects.values_list("industrialbelt_id", "category_id"):
        belts[category_id].add(belt_id)
    return belts


def _scopes(chain: list[int], specialties: dict[int, set[int]]) -> dict[int | None, list[int | None]]:
    """belt (None: the market) → the categories an RFQ of this category chain counts for there."""
    scopes: dict[int | None, list[int | None]] = {None: [None, *chain]}
    for index, category_id in enumerate(chain):
        for belt_id in specialties.get(category_id, ()):
            if belt_id not in scopes:  # the topmost specialty of the belt on the chain
                scopes[belt_id] = [None, *chain[index:]]
    return scopes


def _minutes(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 0)


def week_rows(week: date, *, specialties: dict[int, set[int]], now: datetime) -> list[DemandWeek]:
    """The DemandWeek rows of `week`, computed from its RFQs, their quotes and matches (3 queries
    plus one for the categories)."""
    start = week_start(week)
    in_week = Q(published_at__gte=start, published_at__lt=start + timedelta(days=7))
    rfqs = list(
        SourcingRequest.objects.filter(in_week & counted_rfqs()).values_list(
            "pk", "buyer_id", "buyer__country", "category_id", "quantity", "published_at", "first_quote_at"
        )
    )
    if not rfqs:
        return []
    rfq_in_week = Q(rfq__published_at__gte=start, rfq__published_at__lt=start + timedelta(days=7))
    belt_id: int | None  # None: a supplier in no belt, or the market
    quotes: dict[int, list[tuple[int | None, datetime]]] = defaultdict(list)
    for rfq_id, belt_id, submitted_at in Quote.objects.filter(rfq_in_week).values_list(
        "rfq_id", "supplier__belt_id", "submitted_at"
    ):
        quotes[rfq_id].append((belt_id, submitted_at))
    matches: dict[int, list[tuple[int | None, bool]]] = defaultdict(list)
    answered = {Match.Status.QUOTED, Match.Status.DECLINED}
    for rfq_id, belt_id, status in Match.objects.filter(rfq_in_week, notified_at__isnull=False).values_list(
        "rfq_id", "supplier__belt_id", "status"
    ):
        matches[rfq_id].append((belt_id, status in answered))
    chains = {
        pk: [int(part) for part in path.split(".") if part]
        for pk, path in Category.objects.filter(pk__in={row[3] for row in rfqs}).values_list("pk", "path")
    }

    tallies: dict[Scope, _Tally] = defaultdict(_Tally)
    for pk, buyer_id, country, category_id, quantity, published_at, first_quote_at in rfqs:
        assert published_at is not None  # the week's RFQs were chosen by it
        scopes = _scopes(chains.get(category_id, [category_id]), specialties)
        responses = {belt_id: _Response() for belt_id in scopes}
        for belt_id, submitted_at in quotes.get(pk, ()):
            responses[None].add_quote(submitted_at)
            if belt_id in responses and belt_id is not None:
                responses[belt_id].add_quote(submitted_at)
        if first_quote_at is not None:  # the RFQ's own record wins for the market (revised quotes move submitted_at)
            responses[None].first_quote_at = first_quote_at
            responses[None].quotes = max(responses[None].quotes, 1)
        for belt_id, was_answered in matches.get(pk, ()):
            for scope in {None, belt_id} & responses.keys():
                responses[scope].matches += 1
                responses[scope].answered += was_answered
        for belt_id, categories in scopes.items():
            response = responses[belt_id]
            minutes = _minutes(published_at, response.first_quote_at) if response.first_quote_at else None
            for category in categories:
                tally = tallies[(category, belt_id)]
                tally.rfqs += 1
                tally.quantity += quantity
                tally.buyers.add(buyer_id)
                # values_list gives the stored code (a str), though the field reads as a Country.
                tally.countries[str(country) or "??"] += 1
                tally.quotes += response.quotes
                tally.quoted_rfqs += response.quotes > 0
                if minutes is not None:
                    tally.first_quote_minutes.append(minutes)
                tally.matches += response.matches
                tally.answered += response.answered
    return [
        DemandWeek(
            week=week,
            category_id=category_id,
            belt_id=belt_id,
            rfq_count=tally.rfqs,
            quantity_total=tally.quantity,
            buyer_count=len(tally.buyers),
            buyer_countries=dict(tally.countries.most_common()),
            quote_count=tally.quotes,
            quoted_rfq_count=tally.quoted_rfqs,
            first_quote_median_minutes=(
                int(statistics.median(tally.first_quote_minutes)) if tally.first_quote_minutes else None
            ),
            match_count=tally.matches,
            answered_match_count=tally.answered,
            updated_at=now,
        )
        for (category_id, belt_id), tally in tallies.items()
    ]


def demand_week_recompute(*, week: date, specialties: dict[int, set[int]] | None = None) -> int:
    """Replace the DemandWeek rows of `week` with freshly computed ones; returns how many rows.

    Call inside a transaction holding the aggregation lock (`demand_aggregate` does)."""
    rows = week_rows(week, specialties=belts_by_specialty() if specialties is None else specialties, now=timezone.now())
    DemandWeek.objects.filter(week=week).delete()
    DemandWeek.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return len(rows)


# --- A run ---------------------------------------------------------------------------------------


def _locked_state() -> DemandAggregationState:
    try:
        with transaction.atomic():
            DemandAggregationState.objects.get_or_create(key=STATE_KEY)
    except IntegrityError:  # a concurrent first run created it
        pass
    return DemandAggregationState.objects.select_for_update().get(key=STATE_KEY)


def demand_aggregate(*, now: datetime | None = None, full: bool = False) -> AggregationResult:
    """Bring the weekly demand up to date and detect surges; returns what the run did.

    Incremental: recomputes only the weeks touched since the last run (every week on the first
    run, or with `full=True`, which also drops the rows of weeks left with no RFQ — use it after
    a belt's specialties changed). Runs one at a time (the state row is locked for the run); safe
    to run again at any moment. New surges in the current or the previous week are recorded and
    their alerts written to the outbox in the same transaction.
    """
    started = time.monotonic()
    now = now or timezone.now()
    result = AggregationResult()
    with transaction.atomic():
        state = _locked_state()
        since = None if full or state.processed_until is None else state.processed_until - OVERLAP
        result.weeks = sorted(touched_weeks(since=since))
        specialties = belts_by_specialty()
        for week in result.weeks:
            result.rows += demand_week_recompute(week=week, specialties=specialties)
        if since is None:
            DemandWeek.objects.exclude(week__in=result.weeks).delete()
        result.surges, result.alerts = demand_surges_detect(weeks=result.weeks, now=now)
        result.seconds = time.monotonic() - started
        state.processed_until = now
        state.last_run_at = timezone.now()
        state.last_weeks = len(result.weeks)
        state.last_duration_ms = int(result.seconds * 1000)
        state.save()
    return result
