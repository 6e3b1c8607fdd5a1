"""Celery tasks of matching: ids in, one service call, nothing else; and the functions that queue them.

Matching is idempotent (one Match per RFQ and supplier, one Notification per recipient and event
key), so a retried or duplicated task changes nothing the second time.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from buyers.services.matching import rfq_match, supplier_category_facts_rebuild, supplier_match_open_rfqs

logger = logging.getLogger(__name__)

__all__ = [
    "matching_facts_rebuild_task",
    "rfq_enqueue_matching",
    "rfq_match_task",
    "supplier_enqueue_matching",
    "supplier_match_open_rfqs_task",
]

RETRY: dict[str, Any] = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 5}


@shared_task(name="buyers.tasks.rfq_match_task", **RETRY)
def rfq_match_task(rfq_id: int) -> int:
    """Match one RFQ and notify the suppliers chosen. Returns how many suppliers were matched."""
    return rfq_match(rfq_id=rfq_id)


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
    RFQ stays unmatched and `rfqs_match_pending` matches it later."""
    try:
        rfq_match_task.delay(rfq_id)
    except Exception:
        logger.warning("Could not queue matching of RFQ %s; the periodic task will match it.", rfq_id, exc_info=True)


def supplier_enqueue_matching(supplier_id: int) -> None:
    """Queue matching of a supplier to the open RFQs; never raises (the supplier's change already succeeded)."""
    try:
        supplier_match_open_rfqs_task.delay(supplier_id)
    except Exception:
        logger.warning("Could not queue matching of supplier %s to open RFQs.", supplier_id, exc_info=True)
