"""Celery tasks of demand insights (aggregation, surge alerts, weekly digests).

Thin: each calls one service. Both are idempotent: the aggregation recomputes weeks from the
RFQs under a lock and records a surge (and its alert) once; a digest is one Notification per
recipient and week (unique event key).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from buyers.insights.aggregation import demand_aggregate
from buyers.insights.digests import demand_digest_send

__all__ = ["demand_aggregate_task", "demand_digest_weekly_task", "demand_enqueue_aggregation"]

logger = logging.getLogger(__name__)

RETRY: dict[str, Any] = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 5}


@shared_task(name="buyers.tasks_insights.demand_aggregate_task", **RETRY)
def demand_aggregate_task() -> int:
    """Recompute the weeks touched since the last run and alert new surges; returns how many weeks."""
    return len(demand_aggregate().weeks)


@shared_task(name="buyers.tasks_insights.demand_digest_weekly_task", **RETRY)
def demand_digest_weekly_task() -> int:
    """Write this week's demand digests; returns how many notifications were written."""
    return demand_digest_send()


def demand_enqueue_aggregation() -> None:
    """Queue an aggregation run (after an RFQ is published: a surge is then alerted at once).

    Never raises: the caller's request already succeeded; the periodic run catches up."""
    try:
        demand_aggregate_task.delay()
    except Exception:
        logger.warning("Could not queue the demand aggregation; the periodic run will catch up.", exc_info=True)
