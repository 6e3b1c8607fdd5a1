"""Tasks of company invitations: the invitation e-mail, and the function that queues it."""

from __future__ import annotations

import logging
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task

from marketplace.services.invitation_emails import invitation_send

logger = logging.getLogger(__name__)

__all__ = ["account_email_enqueue", "invitation_send_task"]


@shared_task(
    name="marketplace.tasks.invitation_send_task",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def invitation_send_task(invitation_id: int, token: str) -> bool:
    """E-mail an invitation link. The token is only in the task message, never in the database."""
    return invitation_send(invitation_id=invitation_id, token=token)


def account_email_enqueue(task: Task, *args: Any) -> None:
    """Queue one of these e-mail tasks with `args`; never raises (it runs after the account change
    committed, and a broker that is down must not turn the person's request into an error).

    Their tokens travel only in the task message, so an e-mail that could not be queued is not
    sent later: the person asks again (an invitation: the manager revokes it and invites again)."""
    try:
        task.delay(*args)
    except Exception:
        logger.warning("Could not queue %s for %s.", task.name, args[:1], exc_info=True)
