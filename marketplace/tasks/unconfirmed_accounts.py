"""The task that removes old sign-ups never confirmed; it runs
marketplace/services/unconfirmed_accounts.py."""

from __future__ import annotations

from celery import shared_task

from marketplace.services.unconfirmed_accounts import unconfirmed_signups_discard

__all__ = ["unconfirmed_signups_discard_task"]


@shared_task(name="marketplace.tasks.unconfirmed_signups_discard_task")
def unconfirmed_signups_discard_task() -> int:
    """Run by Celery beat every quarter hour: remove, for a while, the sign-ups never confirmed that are
    older than UNCONFIRMED_SIGNUP_DAYS; returns how many accounts were removed."""
    return unconfirmed_signups_discard()
