"""The RFQ lifecycle: every transition guarded, recorded, and the periodic closing at the deadline."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from buyers.models import Match, RfqEvent, SourcingRequest
from buyers.services import rfqs as rfq_services
from buyers.services.posting import rfq_publish
from buyers.services.rfqs import rfq_cancel, rfq_close, rfqs_close_due
from marketplace.errors import Conflict, InvalidInput, NotFound
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import SupplierProfileFactory

Status = SourcingRequest.Status
pytestmark = pytest.mark.django_db


def _draft(actors: dict, **fields: object) -> SourcingRequest:
    buyer = actors["buyer"]
    return SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user, status=Status.DRAFT, **fields)


def test_publishing_a_draft_opens_it_and_records_who_did_it(actors: dict) -> None:
    rfq = _draft(actors)

    rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)

    rfq.refresh_from_db()
    assert rfq.status == Status.OPEN
    assert rfq.published_at is not None
    event = RfqEvent.objects.get(rfq=rfq)
    assert (event.actor, event.from_status, event.to_status) == (actors["buyer"].user, Status.DRAFT, Status.OPEN)


def test_another_company_cannot_publish_the_draft(actors: dict) -> None:
    rfq = _draft(actors)

    with pytest.raises(NotFound):
        rfq_publish(rfq_id=rfq.pk, buyer=actors["other_buyer"].company, actor=actors["other_buyer"].user)

    rfq.refresh_from_db()
    assert rfq.status == Status.DRAFT


def test_a_draft_whose_deadline_passed_cannot_be_published(actors: dict) -> None:
    rfq = _draft(actors, quote_deadline=timezone.now() - timedelta(minutes=1))

    with pytest.raises(InvalidInput, match="deadline has passed"):
        rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)


def test_a_private_request_needs_an_invited_supplier_before_publishing(actors: dict) -> None:
    rfq = _draft(actors, visibility=SourcingRequest.Visibility.PRIVATE)

    with pytest.raises(InvalidInput, match="invited supplier"):
        rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)

    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier, source=Match.Source.INVITED, notified_at=None)
    rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)
    rfq.refresh_from_db()
    assert rfq.status == Status.OPEN


def test_publishing_twice_is_a_conflict_and_records_one_event(actors: dict) -> None:
    rfq = _draft(actors)
    rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)

    with pytest.raises(Conflict):
        rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)

    assert RfqEvent.objects.filter(rfq=rfq, to_status=Status.OPEN).count() == 1


def test_the_buyer_closes_an_open_request_and_then_cannot_close_it_again(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company)

    rfq_close(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)

    rfq.refresh_from_db()
    assert rfq.status == Status.CLOSED
    assert rfq.closed_at is not None
    with pytest.raises(Conflict, match="closed"):
        rfq_close(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)


def test_cancelling_an_open_request_needs_a_reason_that_is_recorded(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company)

    with pytest.raises(InvalidInput, match="Say why"):
        rfq_cancel(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, reason="  ")
    rfq_cancel(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, reason="Budget cut")

    rfq.refresh_from_db()
    assert rfq.status == Status.CANCELLED
    assert RfqEvent.objects.get(rfq=rfq, to_status=Status.CANCELLED).reason == "Budget cut"


def test_a_cancelled_request_cannot_be_published(actors: dict) -> None:
    rfq = _draft(actors)
    rfq_cancel(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user, reason="")

    with pytest.raises(Conflict):
        rfq_publish(rfq_id=rfq.pk, buyer=actors["buyer"].company, actor=actors["buyer"].user)


def test_at_the_deadline_requests_with_quotes_close_and_those_without_expire() -> None:
    past = timezone.now() - timedelta(minutes=1)
    with_quotes = SourcingRequestFactory(quote_deadline=past, quote_count=2)
    without = SourcingRequestFactory(quote_deadline=past)
    still_open = SourcingRequestFactory()
    draft = SourcingRequestFactory(quote_deadline=past, status=Status.DRAFT)

    assert rfqs_close_due() == 2

    statuses = dict(SourcingRequest.objects.values_list("pk", "status"))
    assert statuses[with_quotes.pk] == Status.CLOSED
    assert statuses[without.pk] == Status.EXPIRED
    assert statuses[still_open.pk] == Status.OPEN
    assert statuses[draft.pk] == Status.DRAFT
    event = RfqEvent.objects.get(rfq=without)
    assert event.actor is None
    assert "without a quote" in event.reason
    assert rfqs_close_due() == 0


def test_closing_at_the_deadline_works_through_more_than_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rfq_services, "CLOSE_BATCH_SIZE", 2)
    past = timezone.now() - timedelta(minutes=1)
    SourcingRequestFactory.create_batch(5, quote_deadline=past)

    assert rfqs_close_due() == 5
    assert not SourcingRequest.objects.filter(status=Status.OPEN).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_buyers_closing_at_once_produce_one_transition() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL.")
    rfq = SourcingRequestFactory()
    SupplierProfileFactory()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def close() -> None:
        try:
            barrier.wait()
            rfq_close(rfq_id=rfq.pk, buyer=rfq.buyer, actor=None)
            outcomes.append("closed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["closed", "conflict"]
    assert RfqEvent.objects.filter(rfq=rfq, to_status=Status.CLOSED).count() == 1
