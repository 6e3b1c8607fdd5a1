"""Tasks of accounts: the e-mails of invitations, sign-ups, password resets and lockouts."""

from __future__ import annotations

import logging
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task

from marketplace.services.account_emails import (
    account_locked_send,
    password_reset_send,
    signup_confirmation_send,
    signup_existing_send,
)
from marketplace.services.invitation_emails import invitation_send

logger = logging.getLogger(__name__)

__all__ = [
    "account_email_enqueue",
    "account_locked_send_task",
    "invitation_send_task",
    "password_reset_send_task",
    "signup_confirmation_send_task",
    "signup_existing_send_task",
]

# E-mail tasks retry a mail server that is down or refuses for a while, then give up.
RETRY_FOR = (SMTPException, OSError)


@shared_task(
    name="marketplace.tasks.invitation_send_task",
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def invitation_send_task(invitation_id: int, token: str) -> bool:
    """E-mail an invitation link. The token is only in the task message, never in the database."""
    return invitation_send(invitation_id=invitation_id, token=token)


@shared_task(
    name="marketplace.tasks.signup_confirmation_send_task",
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def signup_confirmation_send_task(user_id: int) -> bool:
    """E-mail a new account the link that confirms its address."""
    return signup_confirmation_send(user_id=user_id)


@shared_task(
    name="marketplace.tasks.signup_existing_send_task",
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def signup_existing_send_task(user_id: int) -> bool:
    """Tell an account's owner that its address was used to sign up again."""
    return signup_existing_send(user_id=user_id)


@shared_task(
    name="marketplace.tasks.password_reset_send_task",
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def password_reset_send_task(email: str) -> int:
    """E-mail a reset link to the account with this address, if there is one."""
    return password_reset_send(email=email)


@shared_task(
    name="marketplace.tasks.account_locked_send_task",
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def account_locked_send_task(user_id: int, address: str, minutes: int) -> bool:
    """Tell an account's owner that its log-ins are paused after too many wrong passwords."""
    return account_locked_send(user_id=user_id, address=address, minutes=minutes)


def account_email_enqueue(task: Task, *args: Any) -> None:
    """Queue one of these e-mail tasks with `args`; never raises (it runs after the account change
    committed, and a broker that is down must not turn the person's request into an error).

    Their tokens travel only in the task message, so an e-mail that could not be queued is not
    sent later: the person asks again (an invitation: the manager revokes it and invites again)."""
    try:
        task.delay(*args)
    except Exception:
        logger.warning("Could not queue %s for %s.", task.name, args[:1], exc_info=True)
