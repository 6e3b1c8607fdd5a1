"""Sending a belt factory's invitation e-mails: at least once, whatever the broker or a worker does.

The invitee has no account, so these e-mails do not go through the notification outbox; they
follow its rules all the same (marketplace/relay.py):

1. Whoever queues an e-mail (an import's row, a resend, a reminder) marks the invitation's e-mail
   due in the same transaction (`factory_invitation_email_due`) and queues the task after commit.
2. The task, and the relay that Celery beat runs every `RELAY_INTERVAL`, claim due invitations with
   `SELECT … FOR UPDATE SKIP LOCKED` and a lease, send the e-mail with the invitation's *current*
   link, and clear the due time while their claim holds. A broker that was down when the e-mail was
   queued, or a worker killed mid-send, leaves the row due: the next relay sends it, within a lease
   and a relay period of the broker or a worker coming back.
3. An SMTP failure is retried after `email_retry_delay` (1 minute, doubling, at most an hour), up to
   NOTIFICATION_MAX_ATTEMPTS attempts; then the error is kept on the invitation for staff.

A worker killed between sending and recording sends the e-mail again; both copies carry the same
`Message-ID` (one per invitation and link), so a mail client shows them as one message.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from marketplace.relay import claim_due, claimed_batches, lease_renew
from marketplace.services.notification_delivery import email_retry_delay
from suppliers.factory_files import DEFAULT_INVITATION_LANGUAGE
from suppliers.models import FactoryInvitation
from suppliers.services.onboarding import factory_invitation_url

logger = logging.getLogger(__name__)

MAX_ERROR_CHARS = 500


def factory_invitation_email_due(invitation_id: int, *, reminder: bool = False) -> None:
    """Mark the invitation's e-mail (or a reminder) due, in the caller's transaction: from now on it
    is sent by the task queued after commit, or by the relay if that task is lost."""
    FactoryInvitation.objects.filter(pk=invitation_id).update(
        email_due_at=timezone.now(), email_reminder=reminder, email_attempts=0, email_error=""
    )


def _due() -> QuerySet[FactoryInvitation]:
    return FactoryInvitation.objects.filter(
        email_due_at__isnull=False, email_attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS
    )


def invitation_message_id(invitation: FactoryInvitation) -> str:
    """The `Message-ID` of the e-mails of this invitation's current link (the same for a copy sent
    again after a crash; a new link — a resend, a reminder — is a new message)."""
    domain = urlsplit(settings.SITE_URL).hostname or "sourcebelt.invalid"
    return f"<factory-invitation-{invitation.pk}-{invitation.token_nonce}@{domain}>"


def invitation_email(invitation: FactoryInvitation, *, reminder: bool) -> EmailMultiAlternatives:
    """The invitation's e-mail (or a reminder) with its current link, in the invitation's language."""
    context = {
        "invitation": invitation,
        "company": invitation.company_name,
        "contact": invitation.contact_name,
        "url": factory_invitation_url(invitation),
        "expires_at": invitation.expires_at,
        "reminder": reminder,
    }
    kind = "reminder" if reminder else "invitation"
    with translation.override(invitation.language or DEFAULT_INVITATION_LANGUAGE):
        context["belt"] = invitation.belt.name
        subject = " ".join(render_to_string(f"suppliers/onboarding/emails/{kind}_subject.txt", context).split())
        body = render_to_string(f"suppliers/onboarding/emails/{kind}_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=[invitation.email], headers={"Message-ID": invitation_message_id(invitation)}
    )
    if invitation.created_by is not None and invitation.created_by.email:
        message.reply_to = [invitation.created_by.email]
    return message


def _send_claimed(invitation_id: int, held_until: datetime) -> bool:
    """Send one claimed invitation's due e-mail if the claim still holds; record the outcome."""
    token = lease_renew(
        _due(),
        pk=invitation_id,
        due_field="email_due_at",
        held_until=held_until,
        email_attempts=F("email_attempts") + 1,
    )
    if token is None:
        return False
    ours = FactoryInvitation.objects.filter(pk=invitation_id, email_due_at=token)
    invitation = FactoryInvitation.objects.select_related("belt", "created_by").get(pk=invitation_id)
    now = timezone.now()
    if invitation.claimed_at is not None or invitation.revoked_at is not None:
        ours.update(email_due_at=None)  # nothing to invite to any more
        return False
    if invitation.expires_at is None or invitation.expires_at <= now:
        ours.update(email_due_at=None, email_error="The link expired before the e-mail could be sent.")
        return False
    try:
        invitation_email(invitation, reminder=invitation.email_reminder).send(fail_silently=False)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        if invitation.email_attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            ours.update(email_due_at=None, email_error=f"Gave up after {invitation.email_attempts} attempts: {error}")
            logger.warning("Gave up e-mailing factory invitation %s: %s", invitation_id, error)
        else:
            ours.update(email_due_at=now + email_retry_delay(invitation.email_attempts), email_error=error)
            logger.info(
                "Factory invitation %s not e-mailed (attempt %s): %s", invitation_id, invitation.email_attempts, error
            )
        return False
    ours.update(email_due_at=None, email_error="")
    return True


def factory_invitations_deliver(*, invitation_ids: list[int] | None = None, time_budget: float | None = None) -> int:
    """Send the due e-mails of these invitations (all due ones when `invitation_ids` is None), each
    claimed first so nobody sends one twice; returns how many were sent."""
    sent = 0
    claim = lambda: claim_due(_due(), due_field="email_due_at", ids=invitation_ids)  # noqa: E731
    for invitation_id, held_until in claimed_batches(claim, time_budget=time_budget):
        sent += _send_claimed(invitation_id, held_until)
    return sent


def factory_invitations_relay(*, time_budget: float) -> int:
    """The relay's run (beat, every `RELAY_INTERVAL`): send what is due for up to `time_budget` s."""
    return factory_invitations_deliver(time_budget=time_budget)
