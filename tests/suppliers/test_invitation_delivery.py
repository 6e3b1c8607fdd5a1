"""A factory's invitation e-mail goes out at least once, whatever the broker and the mail server do."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suppliers.models import FactoryInvitation
from suppliers.services.invitation_delivery import factory_invitations_relay
from suppliers.services.onboarding import factory_invitation_by_token
from suppliers.services.onboarding_queue import factory_invitation_resend
from tests.factories import StaffFactory
from tests.suppliers.factories_onboarding import FactoryInvitationFactory

pytestmark = pytest.mark.django_db

BROKEN = "tests.marketplace.test_notifications.BrokenEmailBackend"


def _link_token(body: str) -> str:
    prefix = reverse("onboarding:claim", kwargs={"token": "TOKEN"}).split("TOKEN")[0]
    found = re.search(re.escape(prefix) + r"([^/\s]+)/", body)
    assert found is not None, body
    return found.group(1)


def _resend_with_the_task_lost(invitation: FactoryInvitation) -> FactoryInvitation:
    """Staff send the link again; the task queued after commit never arrives (the broker was down,
    or the worker that took it was killed): the test's transaction never runs on-commit work."""
    return factory_invitation_resend(actor=StaffFactory(), invitation_id=invitation.pk)


def test_an_invitation_whose_task_was_lost_is_sent_by_the_relay_once() -> None:
    invitation = _resend_with_the_task_lost(FactoryInvitationFactory())
    assert mail.outbox == []
    assert FactoryInvitation.objects.get(pk=invitation.pk).email_due_at is not None

    sent = factory_invitations_relay(time_budget=5)
    again = factory_invitations_relay(time_budget=5)

    assert (sent, again) == (1, 0)
    assert [message.to for message in mail.outbox] == [[invitation.email]]
    assert factory_invitation_by_token(token=_link_token(mail.outbox[0].body)).pk == invitation.pk  # its link works
    assert FactoryInvitation.objects.get(pk=invitation.pk).email_due_at is None


def test_a_copy_sent_again_after_a_crash_has_the_same_message_id_and_a_new_link_a_new_one(settings: Any) -> None:
    invitation = _resend_with_the_task_lost(FactoryInvitationFactory())
    factory_invitations_relay(time_budget=5)
    # A worker killed after sending and before recording: the row is due again with the same link.
    FactoryInvitation.objects.filter(pk=invitation.pk).update(email_due_at=timezone.now())
    factory_invitations_relay(time_budget=5)
    _resend_with_the_task_lost(invitation)
    factory_invitations_relay(time_budget=5)

    first, copy, new_link = (message.extra_headers["Message-ID"] for message in mail.outbox)
    assert first == copy
    assert new_link != first


def test_a_mail_server_that_is_down_is_tried_again_later_and_then_given_up(settings: Any) -> None:
    settings.EMAIL_BACKEND = BROKEN
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    invitation = _resend_with_the_task_lost(FactoryInvitationFactory())

    assert factory_invitations_relay(time_budget=5) == 0
    row = FactoryInvitation.objects.get(pk=invitation.pk)
    assert row.email_attempts == 1
    assert "mail server is down" in row.email_error
    assert row.email_due_at is not None
    assert row.email_due_at > timezone.now() + timedelta(seconds=30)  # not before its backoff
    assert factory_invitations_relay(time_budget=5) == 0  # not due yet: nothing tried

    FactoryInvitation.objects.filter(pk=invitation.pk).update(email_due_at=timezone.now())
    factory_invitations_relay(time_budget=5)
    row = FactoryInvitation.objects.get(pk=invitation.pk)
    assert row.email_due_at is None
    assert row.email_error.startswith("Gave up after 2 attempts")


def test_a_due_e_mail_of_an_invitation_claimed_or_withdrawn_meanwhile_is_not_sent() -> None:
    claimed = _resend_with_the_task_lost(FactoryInvitationFactory())
    withdrawn = _resend_with_the_task_lost(FactoryInvitationFactory())
    FactoryInvitation.objects.filter(pk=claimed.pk).update(claimed_at=timezone.now())
    FactoryInvitation.objects.filter(pk=withdrawn.pk).update(revoked_at=timezone.now())

    assert factory_invitations_relay(time_budget=5) == 0
    assert mail.outbox == []
    assert not FactoryInvitation.objects.filter(email_due_at__isnull=False).exists()
