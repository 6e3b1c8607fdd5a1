"""Celery tasks of belt onboarding (factory imports, invitation e-mails, reminders): ids in, one service call."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from suppliers.services.invitation_delivery import (
    factory_invitation_email_due,
    factory_invitations_deliver,
    factory_invitations_relay,
)
from suppliers.services.onboarding import factory_import_run, factory_invitations_remind

logger = logging.getLogger(__name__)

__all__ = [
    "factory_import_enqueue_run",
    "factory_import_run_task",
    "factory_invitation_enqueue_email",
    "factory_invitation_send_task",
    "factory_invitations_relay_task",
    "factory_invitations_remind_task",
]


@shared_task(name="suppliers.tasks_onboarding.factory_import_run_task")
def factory_import_run_task(import_id: int) -> str:
    """Run one factory import. The service claims the import, so a duplicate delivery does nothing.

    No automatic retry: an unexpected error is recorded on the import (FAILED, with the reason);
    a worker lost mid-run gets the task redelivered and the service reclaims a stale RUNNING import.
    """
    result = factory_import_run(import_id=import_id, queue_email=factory_invitation_enqueue_email)
    return "skipped: already claimed" if result is None else result.status


@shared_task(name="suppliers.tasks_onboarding.factory_invitation_send_task")
def factory_invitation_send_task(invitation_id: int, nonce: str = "", reminder: bool = False) -> bool:
    """E-mail a factory its invitation (or a reminder) if it is still due, with its current link.

    Retries are not Celery retries: a failed e-mail is due again after its backoff and the relay
    sends it then. (`nonce` and `reminder` are those of messages queued before the e-mail was
    recorded as due; the invitation's row now says what is due.)"""
    return factory_invitations_deliver(invitation_ids=[invitation_id]) > 0


@shared_task(name="suppliers.tasks_onboarding.factory_invitations_relay_task", priority=settings.RELAY_PRIORITY)
def factory_invitations_relay_task() -> int:
    """Run by Celery beat every RELAY_INTERVAL: send the invitation e-mails that are due (lost with
    the broker or a killed worker, or due for a retry); returns how many were sent."""
    return factory_invitations_relay(time_budget=settings.RELAY_INTERVAL.total_seconds())


@shared_task(name="suppliers.tasks_onboarding.factory_invitations_remind_task")
def factory_invitations_remind_task() -> int:
    """Daily (Celery beat): remind the factories that have not claimed their accounts."""
    return factory_invitations_remind(queue_email=factory_invitation_enqueue_email)


def factory_import_enqueue_run(import_id: int) -> None:
    """Put the import's task on the broker; never raises (called after commit)."""
    try:
        factory_import_run_task.delay(import_id)
    except Exception:
        # The import stays QUEUED; the stale-run rule does not apply, so staff upload again.
        logger.warning("Could not enqueue factory import %s.", import_id, exc_info=True)


def factory_invitation_enqueue_email(invitation_id: int, nonce: str, *, reminder: bool = False) -> None:
    """Record the invitation's e-mail (or a reminder) as due in the current transaction and queue
    its task after commit; a broker that is down is logged, never raised (the relay sends it)."""
    factory_invitation_email_due(invitation_id, reminder=reminder)

    def send() -> None:
        try:
            factory_invitation_send_task.delay(invitation_id, nonce, reminder)
        except Exception:
            logger.warning(
                "Could not enqueue the e-mail of factory invitation %s; the relay will send it.",
                invitation_id,
                exc_info=True,
            )

    transaction.on_commit(send)
