"""Celery tasks of matching: ids in, one service call, nothing else; and the functions that queue them.

Matching is idempotent (one Match per RFQ and supplier, one Notification per recipient and event
key), so a retried or duplicated task changes nothing the second time. An RFQ's matching is claimed
before it runs, and the relay (beat, every RELAY_INTERVAL) runs what is due and unclaimed: a task
lost with the broker, or with a killed worker, delays matching by seconds (buyers/services/matching.py).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings

from buyers.services.matching import rfqs_match_due, supplier_category_facts_rebuild, supplier_match_open_rfqs

logger = logging.getLogger(__name__)

__all__ = [
    "matching_facts_rebuild_task",
    "rfq_enqueue_matching",
    "rfq_match_task",
    "rfqs_match_relay_task",
    "supplier_enqueue_matching",
    "supplier_match_open_rfqs_task",
]

RETRY: dict[str, Any] = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 5}


@shared_task(name="buyers.tasks.rfq_match_task")
def rfq_match_task(rfq_id: int) -> int:
    """Match one RFQ whose matching is due and notify the suppliers chosen, unless another worker
    is at it or did it (a failure is retried by the relay). Returns 1 when it was matched."""
    return rfqs_match_due(rfq_ids=[rfq_id])


@shared_task(name="buyers.tasks.rfqs_match_relay_task", priority=settings.RELAY_PRIORITY)
def rfqs_match_relay_task() -> int:
    """Run by Celery beat every RELAY_INTERVAL: match the open RFQs whose matching is due and
    unclaimed (lost with the broker or a killed worker); returns how many were matched."""
    return rfqs_match_due(time_budget=settings.RELAY_INTERVAL.total_seconds())


@shared_task(name="buyers.tasks.supplier_match_open_rfqs_task", **RETRY)
def supplier_match_open_rfqs_task(supplier_id: int) -> int:
    """Match one supplier (new, or with newly published products) to the open RFQs it fits."""
    return supplier_match_open_rfqs(supplier_id=supplier_id)


@shared_task(name="buyers.tasks.matching_facts_rebuild_task")
def matching_facts_rebuild_task() -> int:
    """Nightly safety net: rebuild every supplier's matching facts (they are refreshed on each
    catalog change; this repairs any refresh lost to an outage)."""
    _suppliers, rows = supplier_category_facts_rebuild()
    return rows


def rfq_enqueue_matching(rfq_id: int) -> None:
    """Queue matching; never raises (the request already succeeded). When the broker is down the
    RFQ's matching stays due and the relay matches it once the broker is back."""
    try:
        rfq_match_task.delay(rfq_id)
    except Exception:
        logger.warning("Could not queue matching of RFQ %s; the relay will match it.", rfq_id, exc_info=True)


def supplier_enqueue_matching(supplier_id: int) -> None:
    """Queue matching of a supplier to the open RFQs; never raises (the supplier's change already succeeded)."""
    try:
        supplier_match_open_rfqs_task.delay(supplier_id)
    except Exception:
        logger.warning("Could not queue matching of supplier %s to open RFQs.", supplier_id, exc_info=True)
