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

import heapq
import json
import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import F, OuterRef
from django.urls import reverse
from django.utils import timezone

from buyers.matching.candidates import Candidates, candidates_for, companies_related_to
from buyers.matching.facts import catalog_facts_rows
from buyers.matching.scoring import BeltFacts, RfqFacts, Scored, Scorer, SupplierFacts, ranked
from buyers.matching.words import facts_products_refresh
from buyers.models import Match, SourcingRequest, SupplierCategoryFacts
from buyers.selectors.rfqs import supplier_category_paths
from marketplace.models import Membership, User
from marketplace.relay import claim_due, claimed_batches, lease_renew
from marketplace.services.notifications import notify_each
from marketplace.services.translation_requests import translations_request
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
) -> list[Scored]:
    """Score the candidates; with `keep`, only the best `keep` (and those in `always`) get their
    reasons written (ordering thousands of candidates needs only the numbers)."""
    scorer = Scorer(_rfq_facts(rfq), candidates.belts, settings.MATCHING_WEIGHTS)
    suppliers = list(candidates.suppliers.values())
    if keep is not None and len(suppliers) > keep:
        suppliers = _best(suppliers, scorer, keep=keep, always=always)
    return [scorer.scored(supplier, invited=supplier.supplier_id in invited) for supplier in suppliers]


def _best(suppliers: list[SupplierFacts], scorer: Scorer, *, keep: int, always: Collection[int]) -> list[SupplierFacts]:
    """The `keep` best suppliers by score (ties: more matching products, then the older supplier),
    plus those in `always`.

    Candidates with a known `bound` are scored best bound first, and no further once the bound
    falls below the `keep`-th best score found: the rest could not enter (same result as scoring
    them all, without scoring thousands).
    """
    bounded = sorted((s for s in suppliers if s.bound is not None), key=lambda s: -(s.bound or 0.0))
    numbers = {s.supplier_id: scorer(s) for s in suppliers if s.bound is None or s.supplier_id in always}
    floor = heapq.nlargest(keep, numbers.values())
    heapq.heapify(floor)
    for supplier in bounded:
        if len(floor) >= keep and (supplier.bound or 0.0) < floor[0]:
            break
        value = numbers.get(supplier.supplier_id)
        if value is None:
            value = numbers[supplier.supplier_id] = scorer(supplier)
            if len(floor) < keep:
                heapq.heappush(floor, value)
            elif value > floor[0]:
                heapq.heapreplace(floor, value)
    scored = [s for s in suppliers if s.supplier_id in numbers]
    scored.sort(key=lambda s: (-numbers[s.supplier_id], -s.matching_products, s.supplier_id))
    return scored[:keep] + [s for s in scored[keep:] if s.supplier_id in always]


def _prescore(rfq: SourcingRequest) -> Callable[[dict[int, BeltFacts]], Scorer]:
    """Given the belts: the score a candidate would get if all its products in the category matched
    the RFQ's words."""
    facts = _rfq_facts(rfq)
    return lambda belts: Scorer(facts, belts, settings.MATCHING_WEIGHTS)


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


def _members_of_suppliers(supplier_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active members of these suppliers' companies, by supplier, for the active suppliers only
    (a supplier with no active member maps to an empty list)."""
    companies = dict(
        SupplierProfile.objects.filter(pk__in=list(supplier_ids), is_active=True).values_list("company_id", "pk")
    )
    members: dict[int, list[User]] = {supplier_id: [] for supplier_id in companies.values()}
    if companies:
        memberships = Membership.objects.filter(company_id__in=list(companies), user__is_active=True)
        for membership in memberships.select_related("user"):
            members[companies[membership.company_id]].append(membership.user)
    return members


def _notify_matches(rfq: SourcingRequest, matches: list[_StoredMatch], *, now: datetime) -> int:
    """Tell every member of these suppliers about the RFQ (inside the caller's transaction, in one
    insert) and mark the matches notified. Returns how many matches were notified (an inactive
    supplier is not)."""
    if not matches:
        return 0
    members = _members_of_suppliers(match.supplier_id for match in matches)
    matches = [match for match in matches if match.supplier_id in members]
    url = rfq_supplier_url(rfq.pk)
    event_key = f"rfq_matched:{rfq.pk}"
    items: list[tuple[User, str, str, dict[str, Any] | None, str]] = []
    for match in matches:
        invited = match.source == Match.Source.INVITED
        kind = "rfq_invited" if invited else "rfq_matched"
        context = notification_context(rfq, reasons=match.reasons, invited=invited)
        items.extend((user, kind, event_key, context, url) for user in members[match.supplier_id])
    # The suppliers read the RFQ in their own languages: its translations are made after commit,
    # queued before the e-mails, which quote its title translated when it is there by then.
    readers = {user.preferred_language for match in matches for user in members[match.supplier_id]}
    translations_request(texts=[rfq.title, rfq.description], languages=readers)
    notify_each(items=items)
    if matches:
        Match.objects.filter(pk__in=[match.pk for match in matches], notified_at__isnull=True).update(notified_at=now)
    return len(matches)


def _locked_open_rfq(rfq_id: int) -> SourcingRequest | None:
    return (
        SourcingRequest.objects.select_for_update(of=("self",))
        .select_related("category")
        .filter(pk=rfq_id, status=SourcingRequest.Status.OPEN)
        .first()
    )


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


def _rfq_to_match(rfq_id: int) -> tuple[SourcingRequest | None, dict[int, str], set[int]]:
    """The RFQ (its category loaded), the source of each of its matches by supplier, and the
    companies never matched to it (`companies_related_to`: the buyer's own and those sharing a
    member with it)."""
    queryset = SourcingRequest.objects.select_related("category").filter(pk=rfq_id)
    if connection.vendor != "postgresql":
        rfq = queryset.first()
        if rfq is None:
            return None, {}, set()
        existing = dict(Match.objects.filter(rfq=rfq).values_list("supplier_id", "source"))
        return rfq, existing, companies_related_to(rfq.buyer_id)
    # PostgreSQL: all three in one query (one round trip instead of three), the matches' suppliers
    # and sources in the same order.
    matches = Match.objects.filter(rfq=OuterRef("pk")).order_by("pk")
    rfq = queryset.annotate(
        matched_suppliers=ArraySubquery(matches.values("supplier_id")),
        matched_sources=ArraySubquery(matches.values("source")),
        related_companies=ArraySubquery(
            Membership.objects.filter(user__memberships__company_id=OuterRef("buyer_id")).values("company_id")
        ),
    ).first()
    if rfq is None:
        return None, {}, set()
    existing = dict(zip(rfq.matched_suppliers, rfq.matched_sources, strict=True))
    return rfq, existing, {*rfq.related_companies, rfq.buyer_id}


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
    rfq, existing, related = _rfq_to_match(rfq_id)
    if rfq is None or rfq.status != SourcingRequest.Status.OPEN:
        return 0
    invited = {supplier_id for supplier_id, source in existing.items() if source == Match.Source.INVITED}
    if rfq.visibility == SourcingRequest.Visibility.PRIVATE:
        candidates = candidates_for(rfq, supplier_ids=invited)
    else:
        candidates = candidates_for(
            rfq,
            excluded_companies=related,
            prescore=_prescore(rfq),
            keep=2 * settings.MATCHING_MAX_MATCHES,
        )
        others = set(existing) - set(candidates.suppliers)
        if others:
            candidates.suppliers |= candidates_for(rfq, supplier_ids=others).suppliers
    best = ranked(_scored(rfq, candidates, invited, keep=settings.MATCHING_MAX_MATCHES, always=set(existing)))
    limit = settings.MATCHING_MAX_MATCHES
    kept = best[:limit] + [item for item in best[limit:] if item.supplier_id in existing]
    return _store(rfq_id=rfq.pk, scored=kept, covers=_Covers(held_until=held_until, started=started))


_MATCH_COLUMNS = ("pk", "supplier_id", "source", "score", "rank", "reasons", "notified_at")

# PostgreSQL: the ranked matches in one statement (arrays, one per column), returning what ranking
# and notifying read, so that nothing is read back — and, in the same round trip, the RFQ's other
# matches (those not rescored: the statement's snapshot, taken before the insert, holds exactly
# the matches stored before it; the RFQ's row lock keeps other matching runs out meanwhile).
_UPSERT_SQL = """
WITH written AS (
    INSERT INTO buyers_match (rfq_id, supplier_id, source, score, rank, reasons, status, created_at, decline_reason)
    SELECT %(rfq)s, item.supplier_id, %(source)s, item.score, item.rank, item.reasons::jsonb, %(status)s, %(now)s, ''
    FROM unnest(%(suppliers)s::bigint[], %(scores)s::float8[], %(ranks)s::int[], %(reasons)s::text[])
        AS item(supplier_id, score, rank, reasons)
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
                    "reasons": [json.dumps(item.reasons) for item in scored],
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


def _store(*, rfq_id: int, scored: list[Scored], covers: _Covers) -> int:
    """Upsert the ranked matches, notify, count; in one transaction holding the RFQ's lock."""
    now = timezone.now()
    with transaction.atomic():
        rfq = _locked_open_rfq(rfq_id)
        if rfq is None:  # closed or cancelled meanwhile
            return 0
        # Matches not rescored this time (a supplier gone inactive, invited before): ranked after.
        stored, others = _upsert_matches(rfq, scored, now=now)
        matches = _rerank(stored + others, order=[item.supplier_id for item in scored])
        notified = _notify_matches(rfq, _to_notify(rfq, matches), now=now)
        rfq.matched_count = len(matches)
        rfq.notified_count = sum(1 for match in matches if match.notified_at is not None) + notified
        rfq.matched_at = now
        if covers(rfq.matching_due_at):
            rfq.matching_due_at = None
        rfq.save(update_fields=["matched_count", "notified_count", "matched_at", "matching_due_at", "updated_at"])
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
