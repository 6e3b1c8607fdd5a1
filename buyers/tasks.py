"""Celery tasks of the buyers app: ids in, one service call, nothing else.

Matching is idempotent (one Match per RFQ and supplier, one Notification per recipient and event
key), so a retried or duplicated task changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from buyers.services.matching import rfq_match, supplier_category_facts_rebuild, supplier_match_open_rfqs
from buyers.services.quotes import quotes_expire_due
from buyers.services.responses import supplier_response_metrics_recompute
from buyers.services.rfqs import rfqs_close_due, rfqs_match_pending
from buyers.services.rounds import rounds_end_due

__all__ = [
    "matching_facts_rebuild_task",
    "negotiation_rounds_end_due_task",
    "quotes_expire_due_task",
    "rfq_match_task",
    "rfqs_close_due_task",
    "rfqs_match_pending_task",
    "supplier_match_open_rfqs_task",
    "supplier_response_metrics_task",
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


@shared_task(name="buyers.tasks.rfqs_close_due_task")
def rfqs_close_due_task() -> int:
    return rfqs_close_due()


@shared_task(name="buyers.tasks.rfqs_match_pending_task")
def rfqs_match_pending_task() -> int:
    return rfqs_match_pending()


@shared_task(name="buyers.tasks.supplier_response_metrics_task")
def supplier_response_metrics_task() -> int:
    return supplier_response_metrics_recompute()


@shared_task(name="buyers.tasks.negotiation_rounds_end_due_task")
def negotiation_rounds_end_due_task() -> int:
    return rounds_end_due()


@shared_task(name="buyers.tasks.quotes_expire_due_task")
def quotes_expire_due_task() -> int:
    return quotes_expire_due()


@shared_task(name="buyers.tasks.matching_facts_rebuild_task")
def matching_facts_rebuild_task() -> int:
    """Nightly safety net: rebuild every supplier's matching facts (they are refreshed on each
    catalog change; this repairs any refresh lost to an outage)."""
    _suppliers, rows = supplier_category_facts_rebuild()
    return rows


# The worker discovers `buyers.tasks`; this module holds the demand-insights tasks.
from buyers import tasks_insights  # noqa: E402, F401
