"""Matching RFQs to suppliers: rank, store the matches, notify the best and the invited.

    rfq_publish ──(commit)──▶ rfq_match_task(id) ──▶ rfqs_match_due(rfq_ids=[id]) ──▶ rfq_match(rfq_id=id)
    beat, every RELAY_INTERVAL ──▶ rfqs_match_relay_task ──▶ rfqs_match_due(): what an outage left
    suppliers.signals.catalog_changed ──▶ buyers.receivers ──(commit)──▶ supplier_match_open_rfqs_task(id)

`rfq_match` gathers the candidates and their facts in the database (`buyers.matching.candidates`,
a fixed number of queries whatever the category's size), scores them in Python
(`buyers.matching.scoring`, weights in `settings.MATCHING_WEIGHTS`), and then, in one short
transaction holding the RFQ's row lock, upserts one Match per supplier (the unique constraint on
(rfq, supplier) backs it), ranks them and notifies. Both functions are idempotent: a second run
rescores and reranks, creates no second Match, and notifies nobody twice (a notified Match has
`notified_at`; a Notification is unique per recipient and event key). Publishing (and inviting
suppliers to an open RFQ) makes its matching due (`matching_due_at`); `rfqs_match_due` claims due
RFQs with a lease (marketplace/relay.py) and matches them, and `rfq_match` clears it. See
docs/matching.md.
"""

from __future__ import annotations

import functools
import heapq
import json
import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from buyers.matching.candidates import (
    Candidates,
    CategoryFacts,
    candidates_for,
    category_facts_columns,
    category_facts_from_columns,
    companies_related_to,
    specialised_belts,
    subtree_ids,
)
from buyers.matching.facts import catalog_facts_rows
from buyers.matching.scoring import RfqFacts, Scored, Scorer, Signals, SupplierFacts, ranked
from buyers.matching.words import facts_products_refresh
from buyers.models import Match, SourcingRequest, SupplierCategoryFacts
from buyers.selectors.rfqs import supplier_category_paths
from marketplace.models import Category
from marketplace.relay import claim_due, claimed_batches, lease_renew
from marketplace.rows import fields_of, instance_of, select_columns
from marketplace.services.notifications import notify_members
from suppliers.models import SupplierProfile

logger = logging.getLogger(__name__)

# A supplier that joins or publishes is matched to at most this many open RFQs (newest first).
SUPPLIER_OPEN_RFQS_LIMIT = 500
# `supplier_category_facts_rebuild` rewrites the facts of this many suppliers per transaction.
FACTS_REBUILD_BATCH = 1000


# --- The matching facts of suppliers' catalogs ---------------------------------------------------


def supplier_category_facts_refresh(*, supplier_ids: Iterable[int]) -> int:
    """Rewrite the matching facts (`SupplierCategoryFacts`) of these suppliers from their published
    products; returns how many facts rows they now have.

    Call it after a supplier's catalog changed (products published, archived, imported; see
    `buyers.receivers`). Locks the suppliers' profile rows (in primary-key order) so that two
    refreshes of one supplier run one after the other, each reading the catalog as committed
    when it holds the lock; a supplier that no longer exists is skipped.
    """
    ids = sorted({int(pk) for pk in supplier_ids})
    if not ids:
        return 0
    with transaction.atomic():
        locked = list(
            SupplierProfile.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
        SupplierCategoryFacts.objects.filter(supplier_id__in=ids).delete()
        rows = catalog_facts_rows(supplier_ids=locked) if locked else []
        SupplierCategoryFacts.objects.bulk_create(rows, batch_size=FACTS_REBUILD_BATCH)
        if rows:
            facts_products_refresh(supplier_ids=locked)
    return len(rows)


def supplier_category_facts_rebuild(*, batch_size: int = FACTS_REBUILD_BATCH) -> tuple[int, int]:
    """Rewrite every supplier's matching facts, `batch_size` suppliers per transaction; returns
    (suppliers, facts rows). For existing data and after a bulk change that bypassed the catalog
    services (the migration fills the table once; this repairs it any time, while matching runs)."""
    suppliers = rows = 0
    last = 0
    while True:
        batch = list(
            SupplierProfile.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            break
        rows += supplier_category_facts_refresh(supplier_ids=batch)
        suppliers += len(batch)
        last = batch[-1]
    # Facts of suppliers that no longer exist went with them (cascade).
    return suppliers, rows


def _rfq_facts(rfq: SourcingRequest, today: datetime | None = None) -> RfqFacts:
    return RfqFacts(
        quantity=rfq.quantity,
        unit=rfq.unit,
        destination_country=str(rfq.destination_country),
        required_by=rfq.required_by,
        today=timezone.localdate(today) if today else timezone.localdate(),
    )


def _scored(
    rfq: SourcingRequest,
    candidates: Candidates,
    invited: set[int],
    *,
    keep: int | None = None,
    always: Collection[int] = (),
    scorer: Scorer | None = None,
) -> list[Scored]:
    """Score the candidates; with `keep`, only the best `keep` (and those in `always`) get their
    reasons written (ordering thousands of candidates needs only the numbers). `scorer`: the one
    `candidates_for` was given (its `candidates.signals` are reused), else a new one."""
    known = candidates.signals if scorer is not None else {}
    scorer = scorer or Scorer(_rfq_facts(rfq), candidates.belts, settings.MATCHING_WEIGHTS)
    suppliers = list(candidates.suppliers.values())
    if keep is not None and len(suppliers) > keep:
        suppliers = _best(suppliers, scorer, keep=keep, always=always, known=known)
    return [
        scorer.scored(supplier, invited=supplier.supplier_id in invited, signals=known.get(supplier.supplier_id))
        for supplier in suppliers
    ]


def _best(
    suppliers: list[SupplierFacts],
    scorer: Scorer,
    *,
    keep: int,
    always: Collection[int],
    known: dict[int, Signals] | None = None,
) -> list[SupplierFacts]:
    """The `keep` best suppliers by score (ties: more matching products, then the older supplier),
    plus those in `always`.

    Candidates with a known `bound` are scored best bound first, and no further once the bound
    falls below the `keep`-th best score found: the rest could not enter (same result as scoring
    them all, without scoring thousands). `known`: the signals of suppliers already computed by
    `scorer` for their facts as they are; those computed here are added to it, so that keeping a
    supplier does not compute them again.
    """
    signals = {} if known is None else known

    def number(supplier: SupplierFacts) -> float:
        values = signals.get(supplier.supplier_id)
        if values is None:
            values = signals[supplier.supplier_id] = scorer.signals(supplier)
        return scorer.number(values)

    bounded = sorted((s for s in suppliers if s.bound is not None), key=lambda s: -(s.bound or 0.0))
    numbers = {s.supplier_id: number(s) for s in suppliers if s.bound is None or s.supplier_id in always}
    floor = heapq.nlargest(keep, numbers.values())
    heapq.heapify(floor)
    for supplier in bounded:
        if len(floor) >= keep and (supplier.bound or 0.0) < floor[0]:
            break
        value = numbers.get(supplier.supplier_id)
        if value is None:
            value = numbers[supplier.supplier_id] = number(supplier)
            if len(floor) < keep:
                heapq.heappush(floor, value)
            elif value > floor[0]:
                heapq.heapreplace(floor, value)
    scored = [s for s in suppliers if s.supplier_id in numbers]
    scored.sort(key=lambda s: (-numbers[s.supplier_id], -s.matching_products, s.supplier_id))
    return scored[:keep] + [s for s in scored[keep:] if s.supplier_id in always]


def rfq_supplier_url(rfq_id: int) -> str:
    """Where a supplier opens the RFQ (its inbox view)."""
    return reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq_id})


def notification_context(rfq: SourcingRequest, *, reasons: list[dict[str, Any]], invited: bool) -> dict[str, Any]:
    """The facts an RFQ notification shows (templates render them in the recipient's language)."""
    return {
        "rfq_id": rfq.pk,
        "reference": rfq.reference,
        "title": rfq.title,
        "quantity": rfq.quantity,
        "unit": rfq.unit,
        "category_en": rfq.category.name_en,
        "category_zh": rfq.category.name_zh,
        "destination_country": str(rfq.destination_country),
        "destination_city": rfq.destination_city,
        "incoterm": rfq.incoterm,
        "required_by": rfq.required_by.isoformat(),
        "quote_deadline": rfq.quote_deadline.isoformat(),
        "invited": invited,
        "reasons": reasons,
    }


@dataclass
class _StoredMatch:
    """What ranking and notifying need of one stored Match (not a model instance: 200 per RFQ)."""

    pk: int
    supplier_id: int
    source: str
    score: float
    rank: int | None
    reasons: list[dict[str, Any]]
    notified_at: datetime | None


# PostgreSQL: the matches to notify whose supplier is active, marked notified, in one statement
# returning each one's company (whose members are told).
_MARK_NOTIFIED_SQL = """
UPDATE buyers_match SET notified_at = %(now)s
FROM suppliers_supplierprofile supplier
WHERE buyers_match.id = ANY (%(matches)s::bigint[]) AND buyers_match.notified_at IS NULL
    AND supplier.id = buyers_match.supplier_id AND supplier.is_active
RETURNING buyers_match.id, supplier.company_id
"""
# ... and in the same statement the RFQ's counters (`_store`): notified, those notified before
# plus those marked now.
_MARK_NOTIFIED_AND_COUNT_SQL = f"""
WITH marked AS ({_MARK_NOTIFIED_SQL}),
counted AS (
    UPDATE buyers_sourcingrequest
    SET matched_count = %(matched_count)s, notified_count = %(notified_before)s + (SELECT count(*) FROM marked),
        matched_at = %(now)s, matching_due_at = %(due)s, updated_at = %(now)s
    WHERE id = %(rfq)s
)
SELECT id, company_id FROM marked
"""  # noqa: S608 - constant text


@dataclass(frozen=True)
class _Counts:
    """What `_store` writes on the RFQ besides the notifications: its matches, those notified
    before this run, and its `matching_due_at` (None once this run covers it)."""

    matched: int
    notified_before: int
    due: datetime | None


def _mark_notified(
    rfq: SourcingRequest, matches: list[_StoredMatch], *, now: datetime, counts: _Counts | None
) -> dict[int, int]:
    """Mark these matches notified, those of active suppliers only, and write `counts` on the RFQ
    (with `matched_at`); returns the company of each match marked, by match id. On PostgreSQL in
    one statement."""
    ids = [match.pk for match in matches]
    if connection.vendor == "postgresql":
        params: dict[str, Any] = {"now": now, "matches": ids}
        if counts is not None:
            params |= {
                "rfq": rfq.pk,
                "matched_count": counts.matched,
                "notified_before": counts.notified_before,
                "due": counts.due,
            }
        with connection.cursor() as cursor:
            cursor.execute(_MARK_NOTIFIED_SQL if counts is None else _MARK_NOTIFIED_AND_COUNT_SQL, params)
            return dict(cursor.fetchall())
    companies = dict(
        Match.objects.filter(pk__in=ids, supplier__is_active=True).values_list("pk", "supplier__company_id")
    )
    Match.objects.filter(pk__in=list(companies), notified_at__isnull=True).update(notified_at=now)
    if counts is not None:
        SourcingRequest.objects.filter(pk=rfq.pk).update(
            matched_count=counts.matched,
            notified_count=counts.notified_before + len(companies),
            matched_at=now,
            matching_due_at=counts.due,
            updated_at=now,
        )
    return companies


def _notify_matches(
    rfq: SourcingRequest, matches: list[_StoredMatch], *, now: datetime, counts: _Counts | None = None
) -> int:
    """Tell every active member of these suppliers about the RFQ and mark the matches notified
    (inside the caller's transaction; on PostgreSQL in two statements, whatever their number),
    writing `counts` on the RFQ in the first. Returns how many matches were notified (an inactive
    supplier is not)."""
    if not matches and counts is None:
        return 0
    companies = _mark_notified(rfq, matches, now=now, counts=counts)
    return _notify_companies(rfq, matches, companies)


def _notify_companies(rfq: SourcingRequest, matches: list[_StoredMatch], companies: dict[int, int]) -> int:
    """Tell every active member of the company of each of these matches marked notified
    (`companies`: by match id) about the RFQ; returns how many matches that is."""
    if not companies:
        return 0
    url = rfq_supplier_url(rfq.pk)
    event_key = f"rfq_matched:{rfq.pk}"
    items: list[tuple[int, str, str, dict[str, Any] | None, str]] = []
    for match in matches:
        if match.pk not in companies:
            continue
        invited = match.source == Match.Source.INVITED
        kind = "rfq_invited" if invited else "rfq_matched"
        context = notification_context(rfq, reasons=match.reasons, invited=invited)
        items.append((companies[match.pk], kind, event_key, context, url))
    # The suppliers read the RFQ in their own languages: its translations are made after commit,
    # queued before the e-mails, which quote its title translated when it is there by then.
    notify_members(items=items, translate=[rfq.title, rfq.description])
    return len(items)


def _locked_open_rfq(rfq_id: int) -> SourcingRequest | None:
    """The RFQ (its category loaded) if it is open, its row locked until the transaction ends."""
    if connection.vendor != "postgresql":
        return (
            SourcingRequest.objects.select_for_update(of=("self",))
            .select_related("category")
            .filter(pk=rfq_id, status=SourcingRequest.Status.OPEN)
            .first()
        )
    with connection.cursor() as cursor:
        cursor.execute(_rfq_statements().locked_open, [rfq_id, SourcingRequest.Status.OPEN])
        row = cursor.fetchone()
    return _rfq_from_row(row) if row else None


@dataclass(frozen=True)
class _RfqStatements:
    """PostgreSQL: the reads of an RFQ with its category that matching makes, as plain SQL (the same
    rows as `select_related("category")`; composing the ORM's query took longer than running it)."""

    to_match: str
    locked_open: str


@functools.cache
def _rfq_statements() -> _RfqStatements:
    columns = (
        f"SELECT {select_columns(fields_of(SourcingRequest), 'rfq')}, {select_columns(fields_of(Category), 'category')}"
    )
    tables = "FROM buyers_sourcingrequest rfq JOIN marketplace_category category ON category.id = rfq.category_id"
    # The RFQ's matches' suppliers and sources in the same order, the companies sharing a member
    # with its buyer (the buyer's own among them), and its category's subtree and belts.
    to_match = f"""
        {columns},
            ARRAY(SELECT m.supplier_id FROM buyers_match m WHERE m.rfq_id = rfq.id ORDER BY m.id),
            ARRAY(SELECT m.source FROM buyers_match m WHERE m.rfq_id = rfq.id ORDER BY m.id),
            ARRAY(SELECT other.company_id FROM marketplace_membership own
                  JOIN marketplace_membership other ON other.user_id = own.user_id
                  WHERE own.company_id = rfq.buyer_id),
            {category_facts_columns("category")}
        {tables} WHERE rfq.id = %s
    """  # noqa: S608 - the models' own column names
    locked_open = f"{columns} {tables} WHERE rfq.id = %s AND rfq.status = %s FOR UPDATE OF rfq"
    return _RfqStatements(to_match=to_match, locked_open=locked_open)


def _rfq_from_row(row: Sequence[Any]) -> SourcingRequest:
    """The RFQ and its category (cached on it, as `select_related` does) from a row of
    `_rfq_statements`; the row's further columns are ignored."""
    rfq_fields, category_fields = fields_of(SourcingRequest), fields_of(Category)
    count = len(rfq_fields)
    rfq: SourcingRequest = instance_of(SourcingRequest, rfq_fields, row[:count], connection)
    rfq.category = instance_of(Category, category_fields, row[count : count + len(category_fields)], connection)
    return rfq


def _to_notify(rfq: SourcingRequest, matches: list[_StoredMatch]) -> list[_StoredMatch]:
    """Invited suppliers, and the best-ranked matched ones up to MATCHING_NOTIFY_TOP_N, not yet
    notified (`matches` in rank order)."""
    top_n = settings.MATCHING_NOTIFY_TOP_N
    chosen: list[_StoredMatch] = []
    matched_seen = 0
    for match in matches:
        if match.source == Match.Source.INVITED:
            wanted = True
        elif match.source == Match.Source.MATCHED and rfq.visibility == SourcingRequest.Visibility.PUBLIC:
            matched_seen += 1
            wanted = matched_seen <= top_n
        else:
            wanted = False  # found on the board by the supplier itself
        if wanted and match.notified_at is None:
            chosen.append(match)
    return chosen


def _rfq_to_match(rfq_id: int) -> tuple[SourcingRequest | None, dict[int, str], set[int], CategoryFacts]:
    """The RFQ (its category loaded), the source of each of its matches by supplier, the
    companies never matched to it (`companies_related_to`: the buyer's own and those sharing a
    member with it), and its category's subtree and specialised belts as they are now (not
    `category_facts`' cached ones: a staff edit counts for the next RFQ)."""
    queryset = SourcingRequest.objects.select_related("category").filter(pk=rfq_id)
    if connection.vendor != "postgresql":
        rfq = queryset.first()
        if rfq is None:
            return None, {}, set(), ([], {})
        existing = dict(Match.objects.filter(rfq=rfq).values_list("supplier_id", "source"))
        category = (subtree_ids(rfq.category), specialised_belts(category_path=rfq.category.path))
        return rfq, existing, companies_related_to(rfq.buyer_id), category
    # PostgreSQL: all of it in one query (one round trip instead of five).
    with connection.cursor() as cursor:
        cursor.execute(_rfq_statements().to_match, [rfq_id])
        row = cursor.fetchone()
    if row is None:
        return None, {}, set(), ([], {})
    rfq = _rfq_from_row(row)
    matched_suppliers, matched_sources, related_companies, subtree, belts = row[-5:]
    existing = dict(zip(matched_suppliers, matched_sources, strict=True))
    return rfq, existing, {*related_companies, rfq.buyer_id}, category_facts_from_columns(subtree, belts)


def rfq_match(*, rfq_id: int, held_until: datetime | None = None) -> int:
    """Match an open RFQ to suppliers and notify them; returns how many suppliers it is matched to.

    A draft, closed or unknown RFQ is left alone (0). A public RFQ is matched to the category's
    candidates (at most MATCHING_MAX_MATCHES kept, plus every invited supplier and every supplier
    already matched); a private one only to its invited suppliers. Suppliers of the buyer's own
    company, or sharing a member with it, are never matched. Every Match is scored and ranked; the
    invited suppliers and the best MATCHING_NOTIFY_TOP_N matched ones are notified, each once.
    Sets the RFQ's matched_count, notified_count and matched_at (also when nobody fits) and clears
    its `matching_due_at` when this run covers what made it due (`_covers`), so the relay does not
    pick it up again. Safe to run twice, or twice at once: the write holds the RFQ's row lock.
    `held_until` is the claim this run holds (`rfqs_match_due`), if any.
    """
    started = timezone.now()
    rfq, existing, related, category = _rfq_to_match(rfq_id)
    if rfq is None or rfq.status != SourcingRequest.Status.OPEN:
        return 0
    invited = {supplier_id for supplier_id, source in existing.items() if source == Match.Source.INVITED}
    scorer = None
    if rfq.visibility == SourcingRequest.Visibility.PRIVATE:
        candidates = candidates_for(rfq, supplier_ids=invited, category=category)
    else:
        # One scorer for ranking and scoring: the signals of the candidates it ranked are kept.
        scorer = Scorer(_rfq_facts(rfq), category[1], settings.MATCHING_WEIGHTS)
        candidates = candidates_for(
            rfq,
            excluded_companies=related,
            scorer=scorer,
            keep=2 * settings.MATCHING_MAX_MATCHES,
            category=category,
        )
        others = set(existing) - set(candidates.suppliers)
        if others:
            candidates.suppliers |= candidates_for(rfq, supplier_ids=others, category=category).suppliers
    best = ranked(
        _scored(rfq, candidates, invited, keep=settings.MATCHING_MAX_MATCHES, always=set(existing), scorer=scorer)
    )
    limit = settings.MATCHING_MAX_MATCHES
    kept = best[:limit] + [item for item in best[limit:] if item.supplier_id in existing]
    covers = _Covers(held_until=held_until, started=started)
    if not existing and rfq.visibility == SourcingRequest.Visibility.PUBLIC:
        try:
            return _store(rfq_id=rfq.pk, scored=kept, covers=covers, first=True)
        except _NotTheFirst:
            pass  # matches were stored since the RFQ was read: rolled back, stored as a rematch
    return _store(rfq_id=rfq.pk, scored=kept, covers=covers)


_MATCH_COLUMNS = ("pk", "supplier_id", "source", "score", "rank", "reasons", "notified_at")

# PostgreSQL: the ranked matches in one statement (arrays, one per column; the reasons one JSON
# array, the n-th match's reasons its n-th element: one `json.dumps` instead of 200, 1 ms less),
# returning what ranking and notifying read, so that nothing is read back — and, in the same round
# trip, the RFQ's other matches (those not rescored: the statement's snapshot, taken before the
# insert, holds exactly the matches stored before it; the RFQ's row lock keeps other matching runs
# out meanwhile).
_UPSERT_SQL = """
WITH written AS (
    INSERT INTO buyers_match (rfq_id, supplier_id, source, score, rank, reasons, status, created_at, decline_reason)
    SELECT %(rfq)s, item.supplier_id, %(source)s, item.score, item.rank, %(reasons)s::jsonb -> (item.position::int - 1),
           %(status)s, %(now)s, ''
    FROM unnest(%(suppliers)s::bigint[], %(scores)s::float8[], %(ranks)s::int[]) WITH ORDINALITY
        AS item(supplier_id, score, rank, position)
    ON CONFLICT (rfq_id, supplier_id) DO UPDATE
    SET score = EXCLUDED.score, rank = EXCLUDED.rank, reasons = EXCLUDED.reasons
    RETURNING id, supplier_id, source, notified_at
)
SELECT id, supplier_id, source, notified_at, true, NULL::float8, NULL::int, NULL::text FROM written
UNION ALL
SELECT id, supplier_id, source, notified_at, false, score, rank, reasons::text
FROM buyers_match WHERE rfq_id = %(rfq)s AND NOT (supplier_id = ANY (%(suppliers)s::bigint[]))
"""


def _upsert_matches(
    rfq: SourcingRequest, scored: list[Scored], *, now: datetime
) -> tuple[list[_StoredMatch], list[_StoredMatch]]:
    """Insert or rescore one Match per scored supplier (ranked 1, 2, ... in `scored` order; the
    source of invited and board matches is kept); returns them as stored, and the RFQ's other
    matches (not rescored this time: a supplier gone inactive, invited before)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _COMMIT_WITHOUT_WAITING_FOR_THE_DISK + _UPSERT_SQL,
                {
                    "rfq": rfq.pk,
                    "source": Match.Source.MATCHED,
                    "status": Match.Status.NEW,
                    "now": now,
                    "suppliers": [item.supplier_id for item in scored],
                    "scores": [item.score for item in scored],
                    "ranks": list(range(1, len(scored) + 1)),
                    "reasons": json.dumps([item.reasons for item in scored]),
                },
            )
            rows = cursor.fetchall()
        # Score, rank and reasons are what was just written; the source and notified_at as stored.
        by_supplier = {item.supplier_id: (rank, item) for rank, item in enumerate(scored, start=1)}
        stored, others = [], []
        for pk, supplier_id, source, notified_at, written, score, rank, reasons in rows:
            if written:
                rank, item = by_supplier[supplier_id]
                stored.append(_StoredMatch(pk, supplier_id, source, item.score, rank, item.reasons, notified_at))
            else:
                others.append(_StoredMatch(pk, supplier_id, source, score, rank, json.loads(reasons), notified_at))
        return stored, others
    if not scored:
        return [], _stored_matches(Match.objects.filter(rfq=rfq))
    Match.objects.bulk_create(
        [
            Match(
                rfq=rfq,
                supplier_id=item.supplier_id,
                source=Match.Source.MATCHED,
                score=item.score,
                rank=rank,
                reasons=item.reasons,
                created_at=now,
            )
            for rank, item in enumerate(scored, start=1)
        ],
        update_conflicts=True,
        unique_fields=["rfq", "supplier"],
        update_fields=["score", "rank", "reasons"],
    )
    suppliers = [item.supplier_id for item in scored]
    return (
        _stored_matches(Match.objects.filter(rfq=rfq, supplier_id__in=suppliers)),
        _stored_matches(Match.objects.filter(rfq=rfq).exclude(supplier_id__in=suppliers)),
    )


def _stored_matches(queryset: Any) -> list[_StoredMatch]:
    return [_StoredMatch(*row) for row in queryset.values_list(*_MATCH_COLUMNS)]


def _rerank(matches: list[_StoredMatch], order: list[int] | None = None) -> list[_StoredMatch]:
    """Number the RFQ's matches 1, 2, ... best first (in `order` of supplier ids where given,
    else by score); save the ranks that changed. Returns the matches in rank order."""
    position = {supplier_id: index for index, supplier_id in enumerate(order or [])}
    ordered = sorted(matches, key=lambda m: (-m.score, position.get(m.supplier_id, len(position)), m.pk))
    changed = []
    for rank, match in enumerate(ordered, start=1):
        if match.rank != rank:
            match.rank = rank
            changed.append(Match(pk=match.pk, rank=rank))
    if changed:
        Match.objects.bulk_update(changed, ["rank"])
    return ordered


# PostgreSQL: this transaction's commit returns before its WAL is flushed (a few ms sooner). Sent
# in front of the upsert, in the same round trip (`_upsert_matches`).
#
# Safe for matching, which can always be done again: if the database crashed within that fraction
# of a second, the matches, notifications and the cleared `matching_due_at` are lost together; the
# relay matches the RFQ again within seconds, and a delivery task already queued finds no
# notification row and sends nothing, so nobody is told twice and nobody is missed.
_COMMIT_WITHOUT_WAITING_FOR_THE_DISK = "SET LOCAL synchronous_commit TO OFF;\n"


@dataclass(frozen=True)
class _Covers:
    """Which request for matching a run answers: the claim it holds (the due time it set), or, a
    run nobody claimed, whatever fell due before it started reading the RFQ. A request made while
    it ran (suppliers invited, a translation stored) keeps the RFQ due, for another run."""

    held_until: datetime | None
    started: datetime

    def __call__(self, due: datetime | None) -> bool:
        if due is None or self.held_until is not None:
            return due == self.held_until
        return due <= self.started


# PostgreSQL, an RFQ's first matching (a public RFQ without any match): the ranked matches inserted,
# the best MATCHING_NOTIFY_TOP_N of active suppliers marked notified as they are inserted, and the
# RFQ's counters, in one statement — what `_upsert_matches`, `_rerank`, `_to_notify` and
# `_mark_notified` do for such an RFQ (every match new, matched, ranked in the order given, none
# notified before), without writing the notified matches twice (a second version of 20 rows, and
# their foreign-key checks again). Nothing is written when the RFQ has a match in the statement's
# snapshot; a match stored since (a supplier opening the RFQ from the board) is not overwritten
# (`DO NOTHING`). Either way fewer rows come back than were given, and `_store` starts again as a
# rematch. Returns the matches written, with the company of those marked notified.
_FIRST_MATCHES_SQL = """
WITH written AS (
    INSERT INTO buyers_match (rfq_id, supplier_id, source, score, rank, reasons, status, created_at, decline_reason,
                              notified_at)
    SELECT %(rfq)s, item.supplier_id, %(source)s, item.score, item.rank, %(reasons)s::jsonb -> (item.rank::int - 1),
           %(status)s, %(now)s, '',
           CASE WHEN item.rank <= %(top_n)s AND EXISTS (
                    SELECT FROM suppliers_supplierprofile supplier
                    WHERE supplier.id = item.supplier_id AND supplier.is_active
                ) THEN %(now)s END
    FROM unnest(%(suppliers)s::bigint[], %(scores)s::float8[]) WITH ORDINALITY AS item(supplier_id, score, rank)
    WHERE NOT EXISTS (SELECT FROM buyers_match WHERE rfq_id = %(rfq)s)
    ON CONFLICT (rfq_id, supplier_id) DO NOTHING
    RETURNING id, supplier_id, notified_at
), counted AS (
    UPDATE buyers_sourcingrequest
    SET matched_count = (SELECT count(*) FROM written), notified_count = (SELECT count(notified_at) FROM written),
        matched_at = %(now)s, matching_due_at = %(due)s, updated_at = %(now)s
    WHERE id = %(rfq)s
)
SELECT written.id, written.supplier_id, supplier.company_id
FROM written
-- The company of a match marked notified (`OFFSET 0`: the others' profiles are not looked up).
LEFT JOIN LATERAL (
    SELECT company_id FROM suppliers_supplierprofile
    WHERE written.notified_at IS NOT NULL AND id = written.supplier_id
    OFFSET 0
) AS supplier ON true
"""


class _NotTheFirst(Exception):
    """The RFQ had matches after all when its first matching was stored (rolled back)."""


def _store_first(rfq: SourcingRequest, scored: list[Scored], *, now: datetime, due: datetime | None) -> int:
    """Store an RFQ's first matching (`_FIRST_MATCHES_SQL`) and notify; returns how many matches
    were notified. Raises `_NotTheFirst` when the RFQ had matches (the caller's transaction then
    rolls back)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _COMMIT_WITHOUT_WAITING_FOR_THE_DISK + _FIRST_MATCHES_SQL,
            {
                "rfq": rfq.pk,
                "source": Match.Source.MATCHED,
                "status": Match.Status.NEW,
                "now": now,
                "top_n": settings.MATCHING_NOTIFY_TOP_N,
                "due": due,
                "suppliers": [item.supplier_id for item in scored],
                "scores": [item.score for item in scored],
                "reasons": json.dumps([item.reasons for item in scored]),
            },
        )
        rows = cursor.fetchall()
    if len(rows) != len(scored):
        raise _NotTheFirst
    by_supplier = {item.supplier_id: (rank, item) for rank, item in enumerate(scored, start=1)}
    notified, companies = [], {}
    for pk, supplier_id, company_id in rows:
        if company_id is not None:
            rank, item = by_supplier[supplier_id]
            notified.append(_StoredMatch(pk, supplier_id, Match.Source.MATCHED, item.score, rank, item.reasons, now))
            companies[pk] = company_id
    notified.sort(key=lambda match: match.rank or 0)
    return _notify_companies(rfq, notified, companies)


def _store(*, rfq_id: int, scored: list[Scored], covers: _Covers, first: bool = False) -> int:
    """Upsert the ranked matches, notify, count; in one transaction holding the RFQ's lock.
    `first`: the RFQ had no match when it was read (on PostgreSQL, stored by `_store_first`)."""
    now = timezone.now()
    with transaction.atomic():
        rfq = _locked_open_rfq(rfq_id)
        if rfq is None:  # closed or cancelled meanwhile
            return 0
        due = None if covers(rfq.matching_due_at) else rfq.matching_due_at
        if first and scored and connection.vendor == "postgresql":
            notified = _store_first(rfq, scored, now=now, due=due)
            rfq.matched_count, rfq.notified_count = len(scored), notified
        else:
            # Matches not rescored this time (a supplier gone inactive, invited before): ranked after.
            stored, others = _upsert_matches(rfq, scored, now=now)
            matches = _rerank(stored + others, order=[item.supplier_id for item in scored])
            # The RFQ's counters are written with the matches marked notified, in one statement.
            counts = _Counts(
                matched=len(matches),
                notified_before=sum(1 for match in matches if match.notified_at is not None),
                due=due,
            )
            notified = _notify_matches(rfq, _to_notify(rfq, matches), now=now, counts=counts)
            rfq.matched_count = counts.matched
            rfq.notified_count = counts.notified_before + notified
        rfq.matched_at = rfq.updated_at = now
        rfq.matching_due_at = due
    logger.info("Matched RFQ %s to %s suppliers, notified %s.", rfq_id, rfq.matched_count, notified)
    return rfq.matched_count


# --- Matching that is due: the task queued after publishing, and the relay ----------------------

# A matching run that failed (an error, not a killed worker) is tried again this much later.
MATCH_RETRY_AFTER = timedelta(minutes=1)


def rfqs_matching_due_now(*, rfq_ids: Collection[int]) -> int:
    """Make matching of these open RFQs due now, in the caller's transaction (queue
    `rfq_match_task` after it commits; if that is lost, the relay matches them). Returns how many."""
    return SourcingRequest.objects.filter(pk__in=list(rfq_ids), status=SourcingRequest.Status.OPEN).update(
        matching_due_at=timezone.now()
    )


def _match_claimed(rfq_id: int, held_until: datetime) -> int | None:
    """Match one claimed RFQ if the claim still holds; None when it was lost or the run failed."""
    open_rfqs = SourcingRequest.objects.filter(status=SourcingRequest.Status.OPEN)
    token = lease_renew(open_rfqs, pk=rfq_id, due_field="matching_due_at", held_until=held_until)
    if token is None:
        return None
    try:
        return rfq_match(rfq_id=rfq_id, held_until=token)
    except Exception:
        logger.exception("Matching RFQ %s failed; it is tried again in %s.", rfq_id, MATCH_RETRY_AFTER)
        SourcingRequest.objects.filter(pk=rfq_id, matching_due_at=token).update(
            matching_due_at=timezone.now() + MATCH_RETRY_AFTER
        )
        return None


def rfqs_match_due(*, rfq_ids: Sequence[int] | None = None, time_budget: float | None = None) -> int:
    """Match the open RFQs whose matching is due — these ones, or (None) all — each claimed first;
    returns how many were matched.

    The claim (marketplace/relay.py: `SKIP LOCKED`, small batches, a lease of `RELAY_LEASE`) keeps
    two workers off one RFQ, and a task that comes after the relay matched its RFQ does nothing;
    a worker killed while matching leaves the RFQ to the relay once the lease runs out. A run that
    fails is tried again after MATCH_RETRY_AFTER. `time_budget` (seconds) bounds a relay run.
    """
    open_rfqs = SourcingRequest.objects.filter(status=SourcingRequest.Status.OPEN)
    claims = claimed_batches(
        lambda: claim_due(open_rfqs, due_field="matching_due_at", ids=rfq_ids), time_budget=time_budget
    )
    return sum(_match_claimed(rfq_id, held_until) is not None for rfq_id, held_until in claims)


# --- A supplier joins, or publishes products, while RFQs are open ------------------------------


def _open_rfqs_for_supplier(supplier_id: int) -> list[SourcingRequest]:
    """Open public RFQs in a category the supplier works in (or above it), newest first, bounded."""
    supplier = SupplierProfile.objects.filter(pk=supplier_id, is_active=True).first()
    if supplier is None:
        return []
    paths = supplier_category_paths(supplier=supplier)
    # An RFQ's subtree holds the supplier's category when the RFQ's path begins that category's path.
    prefixes = {path[: index + 1] for path in paths for index, char in enumerate(path) if char == "."}
    if not prefixes:
        return []
    excluded = companies_related_to(supplier.company_id)
    return list(
        SourcingRequest.objects.open()
        .public()
        .filter(category__path__in=prefixes)
        .exclude(buyer_id__in=excluded)
        .select_related("category")
        .order_by("-published_at", "-pk")[:SUPPLIER_OPEN_RFQS_LIMIT]
    )


def supplier_match_open_rfqs(*, supplier_id: int) -> int:
    """Match one supplier (new, or with newly published products) to the open RFQs it fits.

    For each open public RFQ in its categories (newest first, at most SUPPLIER_OPEN_RFQS_LIMIT),
    the supplier is scored as `rfq_match` would; it gets a Match when it would be among the RFQ's
    MATCHING_MAX_MATCHES best, and is notified when it ranks inside MATCHING_NOTIFY_TOP_N. The
    RFQ's matches are reranked. Idempotent like `rfq_match`. Returns how many RFQs it was matched
    (or rescored) on.
    """
    changed = 0
    for rfq in _open_rfqs_for_supplier(supplier_id):
        candidates = candidates_for(rfq, supplier_ids=[supplier_id])
        if supplier_id not in candidates.suppliers:
            continue
        source = Match.objects.filter(rfq=rfq, supplier_id=supplier_id).values_list("source", flat=True).first()
        item = _scored(rfq, candidates, {supplier_id} if source == Match.Source.INVITED else set())[0]
        if _store_one(rfq_id=rfq.pk, item=item):
            changed += 1
    return changed


def _store_one(*, rfq_id: int, item: Scored) -> bool:
    """Upsert one supplier's Match on an RFQ, rerank, and notify it if it made the top N."""
    now = timezone.now()
    with transaction.atomic():
        rfq = _locked_open_rfq(rfq_id)
        if rfq is None:
            return False
        others = Match.objects.filter(rfq=rfq).exclude(supplier_id=item.supplier_id)
        exists = Match.objects.filter(rfq=rfq, supplier_id=item.supplier_id).exists()
        if not exists and others.filter(score__gt=item.score).count() >= settings.MATCHING_MAX_MATCHES:
            return False
        _match, created = Match.objects.update_or_create(
            rfq=rfq,
            supplier_id=item.supplier_id,
            defaults={"score": item.score, "reasons": item.reasons},
            create_defaults={
                "score": item.score,
                "reasons": item.reasons,
                "source": Match.Source.MATCHED,
                "created_at": now,
            },
        )
        matches = _rerank(_stored_matches(Match.objects.filter(rfq=rfq)))
        mine = [other for other in _to_notify(rfq, matches) if other.supplier_id == item.supplier_id]
        notified = _notify_matches(rfq, mine, now=now)
        updates: dict[str, Any] = {}
        if created:
            updates["matched_count"] = F("matched_count") + 1
        if notified:
            updates["notified_count"] = F("notified_count") + notified
        if updates:
            SourcingRequest.objects.filter(pk=rfq.pk).update(**updates)
    return True
