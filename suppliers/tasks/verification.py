"""Celery tasks of supplier verification (certificate expiry warnings and expiry)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from suppliers.services.verification import certifications_expiry_run

__all__ = ["certifications_expiry_task"]


@shared_task(
    name="suppliers.tasks_verification.certifications_expiry_task",
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=3,
)
def certifications_expiry_task() -> dict[str, int]:
    """Daily (Celery beat): warn before approved documents expire, record those that expired.

    Idempotent: each warning and each expiry is claimed by a conditional update, so a retry or a
    second run tells nobody twice.
    """
    return certifications_expiry_run(today=timezone.localdate())
