"""Two clicks at once on the supplier's side of an RFQ produce one result (real threads, PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from buyers.models import Match
from buyers.services.responses import match_decline, match_open
from marketplace.errors import DomainError
from tests.buyers.builders_inbox import works_in
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import CategoryFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(action: Callable[[], object], times: int = 2) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(times)

    def run() -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_declines_at_once_record_one_answer() -> None:
    match = MatchFactory(rfq=SourcingRequestFactory())

    outcomes = at_once(lambda: match_decline(supplier=match.supplier, rfq_id=match.rfq_id, reason="No capacity."))

    assert outcomes == ["done", "refused"]
    match.refresh_from_db()
    assert match.status == Match.Status.DECLINED


def test_two_openings_of_a_board_rfq_at_once_make_one_match() -> None:
    bags = CategoryFactory()
    supplier = works_in(SupplierProfileFactory(), bags)
    rfq = SourcingRequestFactory(category=bags)

    outcomes = at_once(lambda: match_open(supplier=supplier, rfq_id=rfq.pk))

    assert outcomes == ["done", "done"]
    assert Match.objects.filter(rfq=rfq, supplier=supplier, source=Match.Source.BOARD).count() == 1
