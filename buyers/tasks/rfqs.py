"""Periodic tasks (Celery beat) of RFQs, negotiation rounds and quotes: each calls one service.

They are idempotent: each service claims what it changes under a lock or a conditional update,
so a retried or second run changes nothing twice.
"""

from __future__ import annotations

from celery import shared_task

from buyers.services.quotes import quotes_expire_due
from buyers.services.responses import supplier_response_metrics_recompute
from buyers.services.rfqs import rfqs_close_due
from buyers.services.rounds import rounds_end_due

__all__ = [
    "negotiation_rounds_end_due_task",
    "quotes_expire_due_task",
    "rfqs_close_due_task",
    "supplier_response_metrics_task",
]


@shared_task(name="buyers.tasks.rfqs_close_due_task")
def rfqs_close_due_task() -> int:
    return rfqs_close_due()


@shared_task(name="buyers.tasks.supplier_response_metrics_task")
def supplier_response_metrics_task() -> int:
    return supplier_response_metrics_recompute()


@shared_task(name="buyers.tasks.negotiation_rounds_end_due_task")
def negotiation_rounds_end_due_task() -> int:
    return rounds_end_due()


@shared_task(name="buyers.tasks.quotes_expire_due_task")
def quotes_expire_due_task() -> int:
    return quotes_expire_due()
