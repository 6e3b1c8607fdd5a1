"""A real Celery worker matches a published RFQ and delivers the notifications, through Redis.

Uses the worker harness of tests/marketplace/test_notification_worker.py: `celery -A sourcebelt
worker` as a separate process on a queue of its own, against the test database and Redis, writing
e-mail to files. Nothing runs eagerly: `rfq_publish` queues `rfq_match_task` after commit, the
worker matches and records notifications, and queues their delivery, which it then performs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from buyers.models import Match, SourcingRequest
from buyers.services.posting import rfq_publish
from marketplace.models import Membership, Notification
from tests.buyers.builders_match import BackpackWorld, backpack_rfq, backpack_world
from tests.factories import CurrencyFactory, MembershipFactory
from tests.marketplace.test_notification_worker import Worker, _mail_with, _wait_for, worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

__all__ = ["worker"]  # the fixture, shared with the notification worker test


@pytest.fixture(autouse=True)
def _currencies() -> None:
    """A transactional test starts from a flushed database: the currencies the data migration wrote are gone."""
    for code in {settings.DEFAULT_CURRENCY, "USD", "CNY"}:
        CurrencyFactory(code=code)


def draft_backpack_rfq(world: BackpackWorld) -> tuple[SourcingRequest, Membership]:
    rfq = backpack_rfq(world, status=SourcingRequest.Status.DRAFT, quote_deadline=timezone.now() + timedelta(days=7))
    buyer = MembershipFactory(company=rfq.buyer)
    return rfq, buyer


def test_publishing_an_rfq_gets_it_matched_and_the_suppliers_notified_by_a_real_worker(worker: Worker) -> None:
    world = backpack_world()
    rfq, buyer = draft_backpack_rfq(world)
    factory_user = world.member(world.baigou_big)

    rfq_publish(rfq_id=rfq.pk, buyer=rfq.buyer, actor=buyer.user)

    _wait_for(lambda: Match.objects.filter(rfq=rfq).count() == 4, worker, "the RFQ is matched to four suppliers")
    _wait_for(
        lambda: (
            Notification.objects.filter(
                event_key=f"rfq_matched:{rfq.pk}", email_status=Notification.EmailStatus.SENT
            ).count()
            == 4
        ),
        worker,
        "the four notifications are sent",
    )
    _wait_for(
        lambda: _mail_with(worker, f"To: {factory_user.email}", "Transparent school backpacks", "50,000"),
        worker,
        "the Baigou factory's e-mail was written",
    )
    rfq.refresh_from_db()
    assert rfq.matched_at is not None
    assert (rfq.matched_count, rfq.notified_count) == (4, 4)
    assert list(Match.objects.filter(rfq=rfq).order_by("rank").values_list("supplier_id", flat=True))[:1] == [
        world.baigou_big.pk
    ]
