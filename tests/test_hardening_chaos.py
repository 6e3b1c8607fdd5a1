"""Chaos: the broker stops during publishing, a worker is killed with `kill -9` while it delivers.

Real processes (tests/chaos.py): a Redis of the test's own, a Celery worker and Celery beat with
the production settings' relays, against the test database. Whatever was queued when Redis stops
is lost with it, and a killed worker's message stays unacknowledged (Redis gives it back only
after the visibility timeout, an hour). Within 60 s of Redis or a worker coming back, every RFQ is
matched, every match and in-app notification exists exactly once, and every notification's e-mail
was sent, at least once and always with the notification's own Message-ID (docs/security.md,
"Outages and crashes").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from buyers.models import Match, SourcingRequest
from buyers.services.posting import rfq_publish
from marketplace.models import Membership, Notification
from marketplace.services.notification_delivery import notification_message_id
from sourcebelt.celery import app as celery_app
from tests.buyers.builders_match import BackpackWorld, backpack_world
from tests.buyers.test_matching_worker import _currencies, draft_backpack_rfq
from tests.chaos import ChaosStack
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

__all__ = ["_currencies"]  # the fixture, shared with the other worker tests

RECOVERY_SECONDS = 60
SUPPLIERS = 4  # the backpack world's suppliers: each RFQ is matched to all four


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[ChaosStack]:
    chaos = ChaosStack(tmp_path)
    try:
        chaos.start()
        yield chaos
    finally:
        chaos.close()


def _drafts(world: BackpackWorld, count: int) -> list[tuple[SourcingRequest, Membership]]:
    return [draft_backpack_rfq(world) for _ in range(count)]


def _publish(draft: tuple[SourcingRequest, Membership]) -> None:
    rfq, buyer = draft
    rfq_publish(rfq_id=rfq.pk, buyer=rfq.buyer, actor=buyer.user)  # the buyer's request always succeeds


def _done(rfqs: list[SourcingRequest], notifications: int) -> bool:
    """Every RFQ matched, and every notification of theirs sent."""
    ids = [rfq.pk for rfq in rfqs]
    if SourcingRequest.objects.filter(pk__in=ids, matched_at__isnull=True).exists():
        return False
    keys = [f"rfq_matched:{pk}" for pk in ids]
    sent = Notification.objects.filter(event_key__in=keys, email_status=Notification.EmailStatus.SENT).count()
    return sent == notifications


def _assert_everything_exactly_once(stack: ChaosStack, rfqs: list[SourcingRequest], per_rfq: int) -> None:
    ids = [rfq.pk for rfq in rfqs]
    assert SourcingRequest.objects.filter(pk__in=ids, status=SourcingRequest.Status.OPEN).count() == len(rfqs)
    assert not SourcingRequest.objects.filter(pk__in=ids, matching_due_at__isnull=False).exists()
    for rfq in rfqs:
        assert Match.objects.filter(rfq=rfq).count() == SUPPLIERS, f"RFQ {rfq.pk}'s matches"
        assert Notification.objects.filter(event_key=f"rfq_matched:{rfq.pk}").count() == per_rfq
    notifications = list(Notification.objects.filter(event_key__in=[f"rfq_matched:{pk}" for pk in ids]))
    assert len(notifications) == len(rfqs) * per_rfq
    assert {n.email_status for n in notifications} == {Notification.EmailStatus.SENT}
    # E-mail: at least once each, and a copy sent again after a crash has the same Message-ID.
    written = stack.message_ids()
    expected = {notification_message_id(notification) for notification in notifications}
    assert expected <= set(written), f"{len(expected - set(written))} notifications were never e-mailed"


def test_hardening_chaos_redis_stopped_during_50_publishes_loses_no_rfq_and_tells_everyone_once(
    stack: ChaosStack,
) -> None:
    world = backpack_world()
    drafts = _drafts(world, 50)
    rfqs = [rfq for rfq, _buyer in drafts]

    for draft in drafts[:20]:
        _publish(draft)
    stack.redis_stop()  # whatever was queued and not yet done is gone
    for draft in drafts[20:30]:
        _publish(draft)
    stack.redis_start()
    back = time.monotonic()
    for draft in drafts[30:]:
        _publish(draft)

    stack.wait_for(
        lambda: _done(rfqs, notifications=50 * SUPPLIERS),
        f"all 50 RFQs matched and their notifications sent, within {RECOVERY_SECONDS} s of Redis being back",
        timeout=RECOVERY_SECONDS - (time.monotonic() - back),
    )
    _assert_everything_exactly_once(stack, rfqs, per_rfq=SUPPLIERS)
    assert max(stack.message_ids().values()) == 1  # nobody was killed mid-send: nobody got a copy


def test_hardening_chaos_a_worker_killed_during_500_deliveries_is_restarted_and_everything_is_sent(
    stack: ChaosStack,
) -> None:
    world = backpack_world()
    for supplier in (world.baigou_big, world.baigou_small, world.baigou_late, world.taizhou_maker):
        for _ in range(4):  # five members each: every RFQ notifies twenty people
            MembershipFactory(company=supplier.company, user=UserFactory())
    drafts = _drafts(world, 25)
    rfqs = [rfq for rfq, _buyer in drafts]
    keys = [f"rfq_matched:{rfq.pk}" for rfq in rfqs]

    def sent() -> int:
        return Notification.objects.filter(event_key__in=keys, email_status=Notification.EmailStatus.SENT).count()

    for draft in drafts:
        _publish(draft)
    stack.wait_for(lambda: sent() >= 100, "a hundred of the 500 notifications are sent")
    stack.worker_kill()
    assert sent() < 500, "the worker was killed during the deliveries"

    stack.worker_start()  # returns once it is back: consuming
    stack.wait_for(
        lambda: _done(rfqs, notifications=500),
        f"all 500 notifications sent within {RECOVERY_SECONDS} s of the worker being back",
        timeout=RECOVERY_SECONDS,
    )
    _assert_everything_exactly_once(stack, rfqs, per_rfq=5 * SUPPLIERS)
    # At least once: only the e-mail the worker was killed on may have gone out twice.
    assert sum(copies > 1 for copies in stack.message_ids().values()) <= 1


def test_hardening_the_relays_run_every_few_seconds_with_a_lease_well_under_a_minute() -> None:
    relays = {
        entry["task"]: entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].endswith("_relay_task")
    }
    assert set(relays) == {
        "buyers.tasks.rfqs_match_relay_task",
        "marketplace.tasks.notifications_relay_task",
        "marketplace.tasks.text_translations_relay_task",
        "suppliers.tasks_onboarding.factory_invitations_relay_task",
        "suppliers.tasks.imports_relay_task",
    }
    celery_app.loader.import_default_modules()  # as a worker starting up: every app's tasks
    assert all(name in celery_app.tasks for name in relays)
    assert all(entry["schedule"] == settings.RELAY_INTERVAL for entry in relays.values())
    assert settings.RELAY_INTERVAL.total_seconds() <= 15
    assert (settings.RELAY_LEASE + settings.RELAY_INTERVAL).total_seconds() <= 40
    assert settings.RELAY_LEASE.total_seconds() > settings.EMAIL_TIMEOUT
