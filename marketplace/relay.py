"""Claiming pending work with a lease: how the relay and the tasks share rows without doing one twice.

Work that a task would do (an RFQ to match, a notification to e-mail, a text to translate) is a
row with a "due" time. Whoever takes the row — the task queued after commit, or the relay that
Celery beat runs every `RELAY_INTERVAL` — claims it first:

1. `claim_due` picks up to `RELAY_BATCH_SIZE` due rows with `SELECT … FOR UPDATE SKIP LOCKED`
   (two relays running at once take different rows and never wait for each other) and moves
   their due time to now + `RELAY_LEASE`, in one short transaction. Until then nobody else takes
   them.
2. Before working on one row of its batch, the claimant calls `lease_renew` with the due time it
   set: a conditional update that only succeeds while the claim is still its own, and gives the
   row a fresh lease for its own work (the rest of a batch may have waited). A row whose claim
   was lost meanwhile is left to its new claimant.
3. The work then records its outcome (clearing the due time, or setting it to when a retry is due),
   again only while the claim holds.

A worker killed with `kill -9` records nothing: its rows fall due again when the lease runs out,
and the next relay takes them. So pending work resumes within a lease and a relay period of a
worker (or the broker) coming back, whatever else beat runs (docs/security.md, "Outages and
crashes"). The lease must outlast the work on one row (an e-mail, a provider call, a matching
run); when it does not, the row may be worked on twice, which each caller makes harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


def claim_due(
    queryset: models.QuerySet, *, due_field: str, ids: Sequence[int] | None = None
) -> tuple[list[int], datetime]:
    """Claim a batch (up to `RELAY_BATCH_SIZE`) of the rows of `queryset` that are due, oldest due
    first, skipping rows another transaction holds; returns their ids and the due time they now
    have (the claim's token, for `lease_renew`). `ids` limits the claim to these rows (a task
    queued for them: a row done meanwhile, or held by another worker, is not due)."""
    now = timezone.now()
    until = now + settings.RELAY_LEASE
    candidates = queryset.filter(**{f"{due_field}__lte": now})
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    with transaction.atomic():
        claimed = list(
            candidates.order_by(due_field, "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[: settings.RELAY_BATCH_SIZE]
        )
        if claimed:
            queryset.model._default_manager.filter(pk__in=claimed).update(**{due_field: until})
    return claimed, until


def lease_renew(
    queryset: models.QuerySet, *, pk: int, due_field: str, held_until: datetime, **changes: object
) -> datetime | None:
    """Take row `pk` of `queryset` for the work itself, if the claim that set its due time to
    `held_until` still holds: give it a fresh lease and apply `changes` (an attempt counted, ...)
    in one conditional update. Returns the new due time (the token to record the outcome with), or
    None when the claim was lost (its lease ran out and another worker claimed it)."""
    until = timezone.now() + settings.RELAY_LEASE
    renewed = queryset.filter(pk=pk, **{due_field: held_until}).update(**{due_field: until}, **changes)
    return until if renewed else None


def claimed_batches(
    claim: Callable[[], tuple[list[int], datetime]], *, time_budget: float | None = None
) -> Iterator[tuple[int, datetime]]:
    """Yield (id, claim token) for every row `claim` hands out, batch after batch, until it has no
    new one or `time_budget` seconds have passed (checked between batches: a claimed batch is
    always worked through; the rest waits for the next relay). No row is yielded twice by one run."""
    deadline = None if time_budget is None else time.monotonic() + time_budget
    seen: set[int] = set()
    while deadline is None or time.monotonic() < deadline:
        ids, until = claim()
        fresh = [pk for pk in ids if pk not in seen]
        if not fresh:
            return
        seen.update(fresh)
        for pk in fresh:
            yield pk, until
