"""Celery tasks of belt onboarding (factory imports, invitation e-mails, reminders): ids in, one service call."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from suppliers.services.onboarding import factory_import_run, factory_invitation_send, factory_invitations_remind

__all__ = ["factory_import_run_task", "factory_invitation_send_task", "factory_invitations_remind_task"]


@shared_task(name="suppliers.tasks_onboarding.factory_import_run_task")
def factory_import_run_task(import_id: int) -> str:
    """Run one factory import. The service claims the import, so a duplicate delivery does nothing.

    No automatic retry: an unexpected error is recorded on the import (FAILED, with the reason);
    a worker lost mid-run gets the task redelivered and the service reclaims a stale RUNNING import.
    """
    result = factory_import_run(import_id=import_id)
    return "skipped: already claimed" if result is None else result.status


@shared_task(
    name="suppliers.tasks_onboarding.factory_invitation_send_task",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def factory_invitation_send_task(invitation_id: int, nonce: str, reminder: bool = False) -> bool:
    """E-mail a factory its invitation (or a reminder); a stale nonce (a newer link exists) sends nothing."""
    return factory_invitation_send(invitation_id=invitation_id, nonce=nonce, reminder=reminder)


@shared_task(name="suppliers.tasks_onboarding.factory_invitations_remind_task")
def factory_invitations_remind_task() -> int:
    """Daily (Celery beat): remind the factories that have not claimed their accounts."""
    return factory_invitations_remind()
