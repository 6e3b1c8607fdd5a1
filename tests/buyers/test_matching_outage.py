"""A broker that is down when an RFQ is published loses nothing.

The buyer's publish succeeds and the RFQ is saved open, unmatched and due for matching; once the
broker is back, the relay (`rfqs_match_relay_task`: beat queues it every RELAY_INTERVAL; here the
test does) claims the RFQ and a real worker matches it and delivers the notifications — once.
"""

from __future__ import annotations

import pytest

from buyers.models import Match, SourcingRequest
from buyers.services.matching import rfqs_match_due
from buyers.services.posting import rfq_publish
from buyers.tasks.matching import rfqs_match_relay_task
from marketplace.models import Notification
from sourcebelt.celery import app as celery_app
from tests.buyers.builders_match import backpack_world
from tests.buyers.test_matching_worker import _currencies, draft_backpack_rfq
from tests.marketplace.test_notification_worker import (
    CLOSED_PORT_BROKER,
    Worker,
    _forget_connections,
    _mail_with,
    _wait_for,
    worker,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

__all__ = ["_currencies", "worker"]  # fixtures shared with the other worker tests


def _sent(rfq: SourcingRequest) -> int:
    return Notification.objects.filter(
        event_key=f"rfq_matched:{rfq.pk}", email_status=Notification.EmailStatus.SENT
    ).count()


def test_an_rfq_published_while_the_broker_is_down_is_matched_and_notified_once_it_is_back(
    worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    world = backpack_world()
    rfq, buyer = draft_backpack_rfq(world)
    good_broker = celery_app.conf.broker_url

    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    _forget_connections()
    try:
        rfq_publish(rfq_id=rfq.pk, buyer=rfq.buyer, actor=buyer.user)  # the buyer's request succeeds
    finally:
        celery_app.conf.broker_url = good_broker
        _forget_connections()

    assert "Could not queue matching" in caplog.text
    rfq.refresh_from_db()
    assert rfq.status == SourcingRequest.Status.OPEN
    assert rfq.matched_at is None
    assert not Match.objects.filter(rfq=rfq).exists()

    assert rfq.matching_due_at is not None
    # The broker is back; beat queues the relay every RELAY_INTERVAL (here: we do).
    rfqs_match_relay_task.delay()

    _wait_for(lambda: _sent(rfq) == 4, worker, "the four suppliers' notifications are sent")
    _wait_for(
        lambda: _mail_with(worker, f"To: {world.member(world.baigou_big).email}", "Transparent school backpacks"),
        worker,
        "the Baigou factory's e-mail was written",
    )
    rfq.refresh_from_db()
    assert rfq.matched_at is not None
    assert Match.objects.filter(rfq=rfq).count() == 4

    assert rfq.matching_due_at is None
    # Matched once: the next relay finds nothing to do, and nobody is told twice.
    assert rfqs_match_due() == 0
    assert Notification.objects.filter(event_key=f"rfq_matched:{rfq.pk}").count() == 4
