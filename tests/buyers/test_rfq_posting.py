"""The posting rules and services: what makes an RFQ valid, and creating and changing it all or nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from buyers.models import Match, RfqAttachment, SourcingRequest
from buyers.rfq_rules import RfqDataInvalid, rfq_data_from
from buyers.services.posting import (
    MAX_ATTACHMENTS,
    rfq_attachment_remove,
    rfq_attachments_add,
    rfq_create,
    rfq_invitations_set,
    rfq_update,
)
from marketplace.errors import Conflict, InvalidInput, NotFound
from tests.buyers.builders_post import draft_of, open_rfq_of, pdf, png, posting_world, rfq_body
from tests.buyers.factories import MatchFactory
from tests.conftest import Actor
from tests.factories import SupplierProfileFactory

pytestmark = pytest.mark.django_db
Status = SourcingRequest.Status


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Where the RFQ's attachments are kept: the private uploads' folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def _world(db: None) -> None:
    posting_world()


@pytest.fixture
def buyer(actors: dict[str, Actor]) -> Actor:
    return actors["buyer"]


def valid(actor: Actor, **changes: Any) -> Any:
    return rfq_data_from(rfq_body(**changes), buyer=actor.company)


def problems(actor: Actor, publishing: bool = False, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(RfqDataInvalid) as refused:
        rfq_data_from(rfq_body(**changes), buyer=actor.company, publishing=publishing)
    return refused.value.errors


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# --- The rules ---------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once(buyer: Actor) -> None:
    errors = problems(buyer, title="", quantity=0, currency="XXX", incoterm="ZZZ", category="nowhere")

    assert set(errors) == {"title", "quantity", "currency", "incoterm", "category"}


def test_countries_are_accepted_as_two_or_three_letter_codes(buyer: Actor) -> None:
    assert valid(buyer, destination_country="lka").destination_country == "LK"


def test_a_supplier_that_is_no_longer_listed_cannot_be_invited(buyer: Actor) -> None:
    gone = SupplierProfileFactory(is_active=False)

    assert "There is no supplier with the id" in problems(buyer, invited_suppliers=[gone.pk])["invited_suppliers"][0]


def test_a_cap_on_quotes_must_be_at_least_one(buyer: Actor) -> None:
    assert problems(buyer, max_quotes=0)["max_quotes"] == ["The most quotes wanted must be at least 1."]


def test_a_private_request_needs_an_invitation_only_when_it_is_published(buyer: Actor) -> None:
    assert valid(buyer, visibility="private").visibility == "private"
    assert "invited_suppliers" in problems(buyer, publishing=True, visibility="private")


def test_a_chinese_title_is_segmented_for_matching(buyer: Actor) -> None:
    rfq = rfq_create(buyer=buyer.company, actor=buyer.user, data=valid(buyer, title="透明书包 50000个"))

    assert "书包" in rfq.search_text.split()


# --- All or nothing ----------------------------------------------------------------------------


def test_a_refused_publication_leaves_no_draft_and_no_file_behind(buyer: Actor, media: Path) -> None:
    data = valid(buyer, visibility="private")  # validated as a draft: publishing is then refused

    with pytest.raises(InvalidInput):
        rfq_create(buyer=buyer.company, actor=buyer.user, data=data, attachments=[pdf()], publish=True)

    assert not SourcingRequest.objects.exists()
    assert not RfqAttachment.objects.exists()
    assert stored_files(media) == []


def test_at_most_ten_attachments(buyer: Actor) -> None:
    rfq = draft_of(buyer)
    rfq_attachments_add(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, uploads=[pdf() for _n in range(8)])

    with pytest.raises(InvalidInput) as refused:
        rfq_attachments_add(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, uploads=[pdf(), png(), pdf()])

    assert f"at most {MAX_ATTACHMENTS} attachments" in refused.value.message
    assert rfq.attachments.count() == 8


def test_an_attachment_file_is_deleted_with_its_row_once_committed(
    buyer: Actor, actors: dict, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    rfq = draft_of(buyer)
    [attachment] = rfq_attachments_add(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, uploads=[pdf()])
    assert len(stored_files(media)) == 1
    other = actors["other_buyer"]

    with pytest.raises(NotFound):
        rfq_attachment_remove(rfq_id=rfq.pk, attachment_id=attachment.pk, buyer=other.company, actor=other.user)
    with django_capture_on_commit_callbacks(execute=True):
        rfq_attachment_remove(rfq_id=rfq.pk, attachment_id=attachment.pk, buyer=buyer.company, actor=buyer.user)

    assert not rfq.attachments.exists()
    assert stored_files(media) == []


# --- Editing -----------------------------------------------------------------------------------


def test_a_request_is_not_changed_once_a_quote_arrived(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer, first_quote_at=timezone.now(), quote_count=1)

    with pytest.raises(Conflict):
        rfq_update(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, data=valid(buyer, title="Changed"))
    with pytest.raises(Conflict):
        rfq_attachments_add(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, uploads=[pdf()])


def test_a_cancelled_request_is_not_changed(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer, status=Status.CANCELLED)

    with pytest.raises(Conflict) as refused:
        rfq_update(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, data=valid(buyer))

    assert "cancelled" in refused.value.message


def test_another_company_cannot_change_the_request(buyer: Actor, actors: dict) -> None:
    rfq = draft_of(buyer)
    other = actors["other_buyer"]

    with pytest.raises(NotFound):
        rfq_update(rfq_id=rfq.pk, buyer=other.company, actor=other.user, data=valid(other, title="Mine"))


def test_a_drafts_invitations_change_freely(buyer: Actor) -> None:
    first, second = SupplierProfileFactory(), SupplierProfileFactory()
    rfq = draft_of(buyer)

    rfq_invitations_set(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, supplier_ids=[first.pk])
    rfq_invitations_set(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, supplier_ids=[second.pk])

    assert list(rfq.matches.values_list("supplier", flat=True)) == [second.pk]


def test_inviting_a_supplier_already_matched_keeps_its_score_and_adds_the_reason(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer)
    supplier = SupplierProfileFactory()
    MatchFactory(rfq=rfq, supplier=supplier, score=7.5, reasons=[{"code": "products", "count": 4}])

    rfq_invitations_set(rfq_id=rfq.pk, buyer=buyer.company, actor=buyer.user, supplier_ids=[supplier.pk])

    match = Match.objects.get(rfq=rfq, supplier=supplier)
    assert (match.source, match.score) == (Match.Source.INVITED, 7.5)
    assert match.reasons == [{"code": "invited"}, {"code": "products", "count": 4}]


def test_a_deadline_a_minute_ago_is_refused(buyer: Actor) -> None:
    late = timezone.now() - timedelta(minutes=1)

    errors = problems(buyer, quote_deadline=late.isoformat())

    assert "The quote deadline has passed" in errors["quote_deadline"][0]
