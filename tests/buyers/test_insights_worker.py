"""A real Celery worker aggregates the demand when an RFQ is published, detects the surge it
makes and delivers the alert — nothing eager: `rfq_publish` queues the aggregation after commit.

Uses the worker harness of tests/marketplace/test_notification_worker.py (its own queue, the test
database and Redis, e-mail written to files).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from buyers.models import DemandSurge, DemandWeek, SourcingRequest
from buyers.services.posting import rfq_publish
from marketplace.models import Notification
from tests.buyers.factories_insights import plastics_world, rfq_weeks_ago
from tests.factories import CompanyFactory, CurrencyFactory, MembershipFactory
from tests.marketplace.test_notification_worker import Worker, _mail_with, _wait_for, worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

__all__ = ["worker"]  # the fixture, shared with the notification worker test


@pytest.fixture(autouse=True)
def _currencies() -> None:
    """A transactional test starts from a flushed database: the currencies the data migration wrote are gone."""
    for code in {settings.DEFAULT_CURRENCY, "USD", "CNY"}:
        CurrencyFactory(code=code)


def test_publishing_the_rfq_that_makes_a_surge_gets_the_belt_alerted_by_a_real_worker(worker: Worker) -> None:
    world = plastics_world()
    for weeks in range(1, 9):  # one sorting-bin RFQ a week before (the worker's settings: 5 RFQs, ×2, 8 weeks)
        rfq_weeks_ago(world.sorting_bins, weeks, status=SourcingRequest.Status.CLOSED)
    shanghai = CompanyFactory(country="CN")
    for _ in range(4):
        rfq_weeks_ago(world.sorting_bins, 0, buyer=shanghai)
    draft = rfq_weeks_ago(world.sorting_bins, 0, buyer=shanghai, status=SourcingRequest.Status.DRAFT)
    buyer = MembershipFactory(company=shanghai)

    rfq_publish(rfq_id=draft.pk, buyer=shanghai, actor=buyer.user)

    _wait_for(
        lambda: DemandWeek.objects.filter(category=world.sorting_bins, belt=world.taizhou, rfq_count=5).exists(),
        worker,
        "the week is aggregated with the published RFQ",
    )
    _wait_for(
        lambda: DemandSurge.objects.filter(category=world.sorting_bins, belt=world.taizhou).exists(),
        worker,
        "the surge is detected",
    )
    _wait_for(
        lambda: Notification.objects.filter(
            kind="demand_surge", recipient=world.bin_maker_owner, email_status=Notification.EmailStatus.SENT
        ).exists(),
        worker,
        "the alert is delivered",
    )
    _wait_for(lambda: _mail_with(worker, world.bin_maker_owner.email), worker, "the alert's e-mail is written")
    assert Notification.objects.filter(kind="demand_surge").count() == 1
