"""Belt onboarding under real concurrency: threads against PostgreSQL."""

from __future__ import annotations

import functools
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from marketplace.errors import DomainError
from marketplace.models import User
from suppliers.models import FactoryInvitation, SupplierProfile
from suppliers.services.invitation_delivery import factory_invitations_relay
from suppliers.services.onboarding import (
    factory_invitation_claim,
    factory_invitation_token,
    factory_invitations_remind,
)
from suppliers.tasks.onboarding import factory_invitation_enqueue_email
from tests.factories import CategoryFactory
from tests.suppliers.factories_onboarding import FactoryInvitationFactory, OnboardingBeltFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(work: object, times: int = 2) -> list[object]:
    outcomes: list[object] = []
    barrier = threading.Barrier(times)

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(work())  # type: ignore[operator]
        except DomainError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_reminder_runs_at_once_remind_each_factory_once() -> None:
    belt = OnboardingBeltFactory()
    due = [FactoryInvitationFactory(belt=belt, sent_at=timezone.now() - timedelta(days=10)) for _ in range(5)]

    outcomes = run_at_once(functools.partial(factory_invitations_remind, queue_email=factory_invitation_enqueue_email))
    # A task that found its row held by the other run left the e-mail due: the relay sends it.
    factory_invitations_relay(time_budget=10)

    assert sum(outcomes) == 5  # type: ignore[arg-type]
    assert sorted(FactoryInvitation.objects.values_list("reminder_count", flat=True)) == [1] * 5
    assert sorted(message.to[0] for message in mail.outbox) == sorted(invitation.email for invitation in due)


def test_two_claims_at_once_open_one_account() -> None:
    category = CategoryFactory()
    invitation = FactoryInvitationFactory(belt=OnboardingBeltFactory(), categories=[category])
    token = factory_invitation_token(invitation)

    def claim() -> SupplierProfile:
        return factory_invitation_claim(
            token=token,
            name="Li Wei",
            password="a-long-factory-password",
            preferred_language="zh-hans",
            company_name="Pinghu Hengda",
            phone="",
            city="Pinghu",
            main_categories=[category],
            business_type="manufacturer",
            monthly_capacity=None,
        )

    outcomes = run_at_once(claim)

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "SupplierProfile"]
    assert User.objects.filter(email=invitation.email).count() == 1
