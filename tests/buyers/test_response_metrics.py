"""Response figures: the share of notified RFQs a supplier answers within 24 hours over 30 days,
and its median time to an answer, recomputed periodically and shown on its public page.

The clock is fixed by passing `now` to the services.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from buyers.models import Match
from buyers.services.responses import match_decline, match_open, supplier_response_metrics_recompute
from buyers.tasks.rfqs import supplier_response_metrics_task
from marketplace.errors import InvalidInput
from suppliers.models import SupplierProfile
from suppliers.services.metrics import supplier_response_figures_set
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import SupplierProfileFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 3, 2, 12, 0))


def notified(supplier: SupplierProfile, *, ago: timedelta, answered_after: timedelta | None = None) -> Match:
    """A match notified `ago` before NOW, answered `answered_after` the notification (or not)."""
    at = NOW - ago
    return MatchFactory(
        rfq=SourcingRequestFactory(),
        supplier=supplier,
        notified_at=at,
        responded_at=at + answered_after if answered_after is not None else None,
    )


def figures(supplier: SupplierProfile) -> tuple[int | None, int | None]:
    supplier.refresh_from_db()
    return supplier.response_rate, supplier.response_median_minutes


def test_declining_is_an_answer_and_opening_is_not() -> None:
    supplier = SupplierProfileFactory()
    match = notified(supplier, ago=timedelta(hours=5))

    match_open(supplier=supplier, rfq_id=match.rfq_id, now=NOW - timedelta(hours=4))
    match.refresh_from_db()
    assert match.responded_at is None

    match_decline(supplier=supplier, rfq_id=match.rfq_id, reason="No capacity.", now=NOW - timedelta(hours=3))
    match.refresh_from_db()
    assert match.responded_at == NOW - timedelta(hours=3)
    assert match.response_minutes == 120


def test_the_rate_is_the_share_answered_within_24_hours_and_the_median_counts_every_answer() -> None:
    supplier = SupplierProfileFactory()
    notified(supplier, ago=timedelta(days=3), answered_after=timedelta(hours=1))
    notified(supplier, ago=timedelta(days=4), answered_after=timedelta(hours=3))
    notified(supplier, ago=timedelta(days=5), answered_after=timedelta(hours=30))  # answered, but late
    notified(supplier, ago=timedelta(days=6))  # never answered

    supplier_response_metrics_recompute(now=NOW)

    assert figures(supplier) == (50, 180)
    supplier.refresh_from_db()
    assert supplier.response_metrics_at == NOW


def test_an_unanswered_rfq_still_inside_its_24_hours_is_not_judged_yet() -> None:
    supplier = SupplierProfileFactory()
    notified(supplier, ago=timedelta(days=2), answered_after=timedelta(minutes=30))
    notified(supplier, ago=timedelta(hours=2))  # the supplier still has 22 hours

    supplier_response_metrics_recompute(now=NOW)

    assert figures(supplier) == (100, 30)


def test_only_the_last_30_days_count_and_board_matches_never_do() -> None:
    supplier = SupplierProfileFactory()
    notified(supplier, ago=timedelta(days=31))  # unanswered, but too old to count
    notified(supplier, ago=timedelta(days=1), answered_after=timedelta(hours=2))
    MatchFactory(supplier=supplier, source=Match.Source.BOARD, notified_at=None)

    supplier_response_metrics_recompute(now=NOW)

    assert figures(supplier) == (100, 120)


def test_a_supplier_never_notified_has_no_figures_and_one_whose_matches_aged_out_loses_them() -> None:
    quiet = SupplierProfileFactory()
    aged = SupplierProfileFactory()
    notified(aged, ago=timedelta(days=10), answered_after=timedelta(hours=1))
    supplier_response_metrics_recompute(now=NOW)
    assert figures(aged) == (100, 60)

    supplier_response_metrics_recompute(now=NOW + timedelta(days=25))

    assert figures(quiet) == (None, None)
    assert figures(aged) == (None, None)


def test_the_recompute_works_in_batches_and_reports_how_many_suppliers_it_updated() -> None:
    suppliers = [SupplierProfileFactory() for _ in range(5)]
    for number, supplier in enumerate(suppliers):
        notified(supplier, ago=timedelta(days=2), answered_after=timedelta(minutes=10 * (number + 1)))

    updated = supplier_response_metrics_recompute(now=NOW, batch_size=2)

    assert updated == 5
    assert [figures(supplier) for supplier in suppliers] == [(100, 10 * (n + 1)) for n in range(5)]


def test_the_periodic_task_recomputes_the_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    supplier = SupplierProfileFactory()
    notified(supplier, ago=timedelta(days=2), answered_after=timedelta(hours=2))
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    supplier_response_metrics_task.delay()

    assert figures(supplier) == (100, 120)


def test_the_suppliers_service_refuses_figures_that_make_no_sense() -> None:
    supplier = SupplierProfileFactory()

    with pytest.raises(InvalidInput):
        supplier_response_figures_set(supplier_id=supplier.pk, rate=101, median_minutes=5)
    with pytest.raises(InvalidInput):
        supplier_response_figures_set(supplier_id=supplier.pk, rate=90, median_minutes=-1)
    assert figures(supplier) == (None, None)


# --- Shown to buyers ------------------------------------------------------------------------------


def test_the_public_page_says_the_rate_and_the_usual_time_to_answer(client: object) -> None:
    supplier = SupplierProfileFactory()
    supplier_response_figures_set(supplier_id=supplier.pk, rate=92, median_minutes=125)

    page = client.get(reverse("suppliers:detail", kwargs={"pk": supplier.pk})).content.decode()

    assert "Response rate 92% · usually answers within 2 h" in strip_tags(page)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "usually answers within a minute"),
        (45, "usually answers within 45 min"),
        (600, "usually answers within 10 h"),
        (4320, "usually answers within 3 days"),
    ],
)
def test_the_usual_time_to_answer_reads_naturally(client: object, minutes: int, text: str) -> None:
    supplier = SupplierProfileFactory()
    supplier_response_figures_set(supplier_id=supplier.pk, rate=80, median_minutes=minutes)

    page = client.get(reverse("suppliers:detail", kwargs={"pk": supplier.pk})).content.decode()

    assert text in page


def test_the_public_page_says_when_there_are_no_figures_yet(client: object) -> None:
    supplier = SupplierProfileFactory()

    page = client.get(reverse("suppliers:detail", kwargs={"pk": supplier.pk})).content.decode()

    assert "No response figures yet" in page
    assert 'data-response-rate="none"' in page


def test_supplier_search_results_show_the_response_rate(client: object) -> None:
    answering = SupplierProfileFactory(name="Baigou Quick Bags")
    SupplierProfileFactory(name="Baigou Quiet Bags")
    supplier_response_figures_set(supplier_id=answering.pk, rate=92, median_minutes=30)

    page = client.get(reverse("suppliers:supplier_search")).content.decode()

    assert "Baigou Quiet Bags" in page
    card = page[page.index(f'data-supplier="{answering.pk}"') :]
    assert "Response rate 92% · usually answers within 30 min" in strip_tags(card[: card.index("</article>")])
    assert "No response figures yet" not in page
