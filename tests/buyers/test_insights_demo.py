"""The demo demand: eight weeks of history and a sorting-bin surge the Taizhou plastics belt sees."""

from __future__ import annotations

import pytest

from buyers.demo_insights import seed_demo_demand
from buyers.models import DemandSurge, DemandWeek, SourcingRequest
from marketplace.models import Notification

pytestmark = pytest.mark.django_db

LVYUAN_OWNER = "taizhou-plastics-1@demo.sourcebelt.local"  # Taizhou Lvyuan: sorting bins


def test_the_demo_demand_has_history_a_sorting_bin_surge_and_is_safe_to_run_again(
    demo: str, django_capture_on_commit_callbacks: object
) -> None:
    # `seed_demo` seeds the demand history too.
    demo = SourcingRequest.objects.filter(title__contains="-W")
    assert demo.count() > 100
    statuses = set(demo.values_list("status", flat=True))
    assert statuses >= {"open", "closed", "expired"}
    assert demo.filter(status="open").count() < demo.exclude(status="open").count()
    assert len(set(demo.values_list("buyer__country", flat=True))) >= 6
    assert DemandWeek.objects.filter(category__isnull=True, belt__isnull=True).count() >= 9
    surge = DemandSurge.objects.get(belt__slug="taizhou-plastics", category__slug="sorting-bins")
    assert surge.rfq_count >= 12
    assert surge.percent_above >= 300
    assert Notification.objects.filter(recipient__email=LVYUAN_OWNER, kind="demand_surge").count() == 1
    assert Notification.objects.filter(recipient__email=LVYUAN_OWNER, kind="demand_digest").count() == 1

    rfqs, notifications = SourcingRequest.objects.count(), Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert seed_demo_demand() == 0
    assert (SourcingRequest.objects.count(), Notification.objects.count()) == (rfqs, notifications)
