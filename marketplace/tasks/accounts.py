"""Tasks of company invitations: the invitation e-mail."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from marketplace.services.invitation_emails import invitation_send

__all__ = ["invitation_send_task"]


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
