"""Tasks of exchange rates: the daily refresh from the ECB's feed (run by Celery beat)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from marketplace.services.exchange_rates import exchange_rates_refresh

__all__ = ["exchange_rates_refresh_task"]


@shared_task(name="marketplace.tasks.exchange_rates_refresh_task")
def exchange_rates_refresh_task() -> dict[str, Any]:
    """Fetch and store today's reference rates; idempotent (a day's stored rate is kept), and a
    failed fetch changes nothing (the next scheduled run tries again)."""
    outcome = exchange_rates_refresh()
    return {
        "published_on": outcome.published_on.isoformat() if outcome.published_on else None,
        "stored": outcome.stored,
        "kept": len(outcome.kept),
        "skipped": outcome.skipped,
        "error": outcome.error,
    }
