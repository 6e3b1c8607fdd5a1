"""Imports whose task was lost are queued again: by a broker that was down, or a worker killed.

A catalog or factory import is queued after commit; its task claims it (QUEUED -> RUNNING, once)
and runs it. Two things can leave it stranded, and the relay (`imports_relay_task`, beat, every
`RELAY_INTERVAL`) queues its task again in both cases:

- the task never reached the broker (it was down at commit): the import is QUEUED and its
  `run_due_at`, set when it was queued, passes after `RELAY_LEASE`;
- the worker running it was killed: the import is RUNNING and its `run_due_at`, set when it
  started, passes with the stale-run rule (`STALE_RUN_AFTER`), which lets the new task take it over
  where the old one wrote its last progress.

A task queued again while the first one is merely waiting behind other imports is harmless: the
claim lets one run, the other answers "already claimed". Each time the relay queues an import
again it waits twice as long before the next time (`RELAY_LEASE` x 2^n, at most a day), so a
long queue of imports is not flooded with copies. Rows are claimed with `SELECT … FOR UPDATE SKIP
LOCKED` (marketplace/relay.py), so two relays never queue the same import at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from marketplace.relay import claim_due
from suppliers.models import CatalogImport, FactoryImport, SheetImport

MAX_REQUEUE_DELAY = timedelta(days=1)


def import_run_due(model: type[SheetImport], import_id: int, *, after: timedelta | None = None) -> None:
    """Record when the relay should queue this import's run again unless it has ended by then
    (`after`: RELAY_LEASE by default), in the caller's transaction."""
    model._default_manager.filter(pk=import_id).update(
        run_due_at=timezone.now() + (settings.RELAY_LEASE if after is None else after), run_requeues=0
    )


def _requeue_delay(requeues: int) -> timedelta:
    return min(settings.RELAY_LEASE * 2 ** min(requeues, 16), MAX_REQUEUE_DELAY)


def _relay(pending: QuerySet[Any], enqueue: Callable[[int], None]) -> int:
    """Queue again the runs of the due imports among `pending`, each with a longer wait next time."""
    queued = 0
    while True:
        ids, _until = claim_due(pending, due_field="run_due_at")
        if not ids:
            return queued
        now = timezone.now()
        for pk, requeues in pending.model._default_manager.filter(pk__in=ids).values_list("pk", "run_requeues"):
            pending.model._default_manager.filter(pk=pk).update(
                run_due_at=now + _requeue_delay(requeues + 1), run_requeues=F("run_requeues") + 1
            )
            enqueue(pk)  # never raises: a broker down again leaves it due for the next relay
            queued += 1


def imports_relay(*, enqueue_catalog: Callable[[int], None], enqueue_factory: Callable[[int], None]) -> int:
    """The relay's run: queue again (with the task's own queueing functions, which never raise)
    the runs of the imports that are due; returns how many."""
    catalogs = CatalogImport.objects.filter(
        status__in=[CatalogImport.Status.QUEUED, CatalogImport.Status.RUNNING], run_due_at__isnull=False
    )
    factories = FactoryImport.objects.filter(
        status__in=[FactoryImport.Status.QUEUED, FactoryImport.Status.RUNNING], run_due_at__isnull=False
    )
    return _relay(catalogs, enqueue_catalog) + _relay(factories, enqueue_factory)
