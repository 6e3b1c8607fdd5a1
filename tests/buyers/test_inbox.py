"""The supplier's RFQ inbox and one RFQ as the supplier sees it: opening, declining, attachments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.models import Match, SourcingRequest
from buyers.services.responses import match_decline, match_open
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Category
from tests.buyers.builders_inbox import works_in
from tests.buyers.factories import DRAWING, MatchFactory, RfqAttachmentFactory, SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import CategoryFactory, CompanyFactory
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db

INBOX = reverse("buyers:supplier_inbox")


def detail_url(rfq: SourcingRequest) -> str:
    return reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk})


def decline_url(rfq: SourcingRequest) -> str:
    return reverse("buyers:supplier_rfq_decline", kwargs={"pk": rfq.pk})


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")


@pytest.fixture
def backpacks(bags: Category) -> Category:
    return CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)


@pytest.fixture
def supplier(actors: dict[str, Actor]) -> Actor:
    return actors["supplier"]


def matched(supplier: Actor, **rfq: object) -> Match:
    return MatchFactory(rfq=SourcingRequestFactory(**rfq), supplier=supplier.supplier)


# --- The inbox ------------------------------------------------------------------------------------


def test_the_inbox_shows_each_rfq_with_why_the_deadline_and_the_buyers_country_only(supplier: Actor) -> None:
    buyer = CompanyFactory(name="Colombo School Supplies Ltd", country="LK")
    match = matched(supplier, buyer=buyer, title="Transparent school backpacks", quantity=50_000)

    response = supplier.client.get(INBOX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Transparent school backpacks" in page
    assert "50,000" in page
    assert "3 matching products" in page
    assert "Buyer in Sri Lanka" in page
    assert " left" in page  # the time left to quote
    assert "Colombo School Supplies" not in page  # the buyer's identity is revealed later
    assert f'href="{detail_url(match.rfq)}"' in page


def test_the_newest_rfq_comes_first_then_the_best_matched(supplier: Actor) -> None:
    now = timezone.now()
    older = matched(supplier, title="Older request", published_at=now - timedelta(days=2))
    newest_weak = MatchFactory(
        rfq=SourcingRequestFactory(title="Newest weak", published_at=now), supplier=supplier.supplier, score=1
    )
    newest_strong = MatchFactory(
        rfq=SourcingRequestFactory(title="Newest strong", published_at=now), supplier=supplier.supplier, score=9
    )

    page = supplier.client.get(INBOX).content.decode()

    positions = [page.index(m.rfq.title) for m in (newest_strong, newest_weak, older)]
    assert positions == sorted(positions)


def test_the_inbox_never_shows_drafts_other_suppliers_rfqs_or_the_suppliers_own(
    supplier: Actor, actors: dict[str, Actor]
) -> None:
    matched(supplier, title="Draft with an invitation", status=SourcingRequest.Status.DRAFT)
    MatchFactory(rfq=SourcingRequestFactory(title="Someone else's match"), supplier=actors["other_supplier"].supplier)
    matched(supplier, title="Our own company's request", buyer=supplier.company)

    page = supplier.client.get(INBOX).content.decode()

    assert "Draft with an invitation" not in page
    assert "Someone else&#x27;s match" not in page
    assert "Our own company" not in page
    assert "No sourcing requests yet" in page


def test_a_new_rfq_is_marked_until_the_supplier_opens_it(supplier: Actor) -> None:
    match = matched(supplier)
    assert 'data-match-status="new"' in supplier.client.get(INBOX).content.decode()

    supplier.client.get(detail_url(match.rfq))

    page = supplier.client.get(INBOX).content.decode()
    assert 'data-match-status="opened"' in page
    assert "data-new" not in page


def test_the_inbox_filters_by_category_subtree_request_status_and_answer(
    supplier: Actor, bags: Category, backpacks: Category
) -> None:
    toys = CategoryFactory(slug="toys")
    matched(supplier, title="School backpacks", category=backpacks)
    matched(supplier, title="Mascot toys", category=toys)
    matched(supplier, title="Closed backpacks", category=backpacks, status=SourcingRequest.Status.CLOSED)
    declined = matched(supplier, title="Declined bags", category=bags)
    match_decline(supplier=supplier.supplier, rfq_id=declined.rfq_id, reason="No capacity.")

    def titles(**query: str) -> set[str]:
        page = supplier.client.get(INBOX, query).content.decode()
        return {
            title for title in ("School backpacks", "Mascot toys", "Closed backpacks", "Declined bags") if title in page
        }

    assert titles(category="bags") == {"School backpacks", "Closed backpacks", "Declined bags"}
    assert titles(status="closed") == {"Closed backpacks"}
    assert titles(answer="declined") == {"Declined bags"}
    assert titles(category="bags", status="open", answer="new") == {"School backpacks"}


def test_a_bad_filter_value_shows_the_whole_inbox_instead_of_an_error(supplier: Actor) -> None:
    matched(supplier, title="Still listed")

    response = supplier.client.get(INBOX, {"category": "no-such-category", "status": "bogus", "page_size": "x"})

    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


def test_the_inbox_makes_the_same_queries_for_two_page_sizes(supplier: Actor) -> None:
    for number in range(12):
        matched(supplier, title=f"Request {number}")

    assert_same_queries_for_page_sizes(lambda size: supplier.client.get(INBOX, {"page_size": size}), expected=9)


# --- One RFQ ------------------------------------------------------------------------------------


def test_the_rfq_page_shows_every_fact_as_the_buyer_typed_it(supplier: Actor) -> None:
    match = matched(
        supplier,
        title="Transparent <b>school</b> backpacks",
        description="Clear PVC.\nReinforced straps.",
        quantity=50_000,
        target_unit_price=Decimal("1.2500"),
        destination_city="Colombo",
        incoterm="CIF",
    )
    RfqAttachmentFactory(rfq=match.rfq, original_name="spec-sheet.pdf")

    page = supplier.client.get(detail_url(match.rfq)).content.decode()

    assert "Transparent &lt;b&gt;school&lt;/b&gt; backpacks" in page
    assert "Clear PVC.<br>Reinforced straps." in page
    assert "50,000" in page
    assert "USD 1.25" in page
    assert "Colombo, Sri Lanka" in page
    assert "CIF — cost, insurance and freight" in page
    assert match.rfq.required_by.isoformat() in page
    assert "spec-sheet.pdf" in page
    assert "3 matching products" in page
    assert "Decline" in page


def test_opening_an_rfq_records_the_first_opening_only(supplier: Actor) -> None:
    match = matched(supplier)

    supplier.client.get(detail_url(match.rfq))
    match.refresh_from_db()
    first = match.opened_at
    supplier.client.get(detail_url(match.rfq))
    match.refresh_from_db()

    assert match.status == Match.Status.OPENED
    assert first is not None
    assert match.opened_at == first
    assert match.responded_at is None  # opening is not an answer


def test_an_rfq_the_supplier_may_not_see_answers_404(supplier: Actor, actors: dict[str, Actor]) -> None:
    private = MatchFactory(
        rfq=SourcingRequestFactory(visibility=SourcingRequest.Visibility.PRIVATE),
        supplier=actors["other_supplier"].supplier,
        source=Match.Source.INVITED,
    ).rfq
    draft = matched(supplier, status=SourcingRequest.Status.DRAFT).rfq
    elsewhere = SourcingRequestFactory()  # public and open, but not in the supplier's categories
    own = matched(supplier, buyer=supplier.company).rfq

    for rfq in (private, draft, elsewhere, own):
        assert supplier.client.get(detail_url(rfq)).status_code == 404
        assert supplier.client.post(decline_url(rfq), {"reason": "No."}).status_code == 404
    assert not Match.objects.filter(supplier=supplier.supplier).exclude(rfq__in=[draft, own]).exists()


def test_a_draft_cancelled_before_publishing_stays_hidden_from_invited_suppliers(supplier: Actor) -> None:
    match = matched(supplier, status=SourcingRequest.Status.CANCELLED, published_at=None)

    assert supplier.client.get(detail_url(match.rfq)).status_code == 404
    assert "No sourcing requests yet" in supplier.client.get(INBOX).content.decode()


def test_a_buying_company_is_sent_to_start_selling(actors: dict[str, Actor]) -> None:
    rfq = SourcingRequestFactory()

    response = actors["buyer"].client.get(detail_url(rfq))

    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:become")


# --- Declining ------------------------------------------------------------------------------------


def test_declining_with_a_reason_answers_the_rfq(supplier: Actor) -> None:
    match = matched(supplier)

    response = supplier.client.post(decline_url(match.rfq), {"reason": "Beyond our capacity this month."})

    assert response.status_code == 302
    assert response["Location"] == INBOX
    match.refresh_from_db()
    assert match.status == Match.Status.DECLINED
    assert match.decline_reason == "Beyond our capacity this month."
    assert match.declined_at is not None
    assert match.responded_at == match.declined_at
    page = supplier.client.get(detail_url(match.rfq)).content.decode()
    assert "You declined this request" in page
    assert "Beyond our capacity this month." in page


def test_declining_without_a_reason_says_why_and_changes_nothing(supplier: Actor) -> None:
    match = matched(supplier)

    response = supplier.client.post(decline_url(match.rfq), {"reason": "   "})

    assert response.status_code == 400
    assert "Say why you decline" in response.content.decode()
    match.refresh_from_db()
    assert match.status != Match.Status.DECLINED
    assert match.responded_at is None


def test_declining_twice_is_refused_with_a_message(supplier: Actor) -> None:
    match = matched(supplier)
    supplier.client.post(decline_url(match.rfq), {"reason": "No capacity."})

    response = supplier.client.post(decline_url(match.rfq), {"reason": "Still no capacity."}, follow=True)

    assert "You have already declined this request." in response.content.decode()
    match.refresh_from_db()
    assert match.decline_reason == "No capacity."


def test_a_closed_rfq_can_no_longer_be_declined(supplier: Actor) -> None:
    match = matched(supplier, status=SourcingRequest.Status.CLOSED)

    with pytest.raises(Conflict, match="no longer takes answers"):
        match_decline(supplier=supplier.supplier, rfq_id=match.rfq_id, reason="Too late.")
    page = supplier.client.get(detail_url(match.rfq)).content.decode()
    assert "This request no longer takes answers." in page


def test_the_service_refuses_a_reason_that_is_missing_or_too_long(supplier: Actor) -> None:
    match = matched(supplier)

    with pytest.raises(InvalidInput):
        match_decline(supplier=supplier.supplier, rfq_id=match.rfq_id, reason="")
    with pytest.raises(InvalidInput):
        match_decline(supplier=supplier.supplier, rfq_id=match.rfq_id, reason="x" * 501)


def test_the_first_answer_time_is_kept_when_an_answer_was_recorded_before(supplier: Actor) -> None:
    earlier = timezone.now() - timedelta(hours=3)
    match = MatchFactory(rfq=SourcingRequestFactory(), supplier=supplier.supplier, responded_at=earlier)

    declined = match_decline(supplier=supplier.supplier, rfq_id=match.rfq_id, reason="No.")

    assert declined.responded_at == earlier


# --- Opening and declining from the board --------------------------------------------------------


def test_a_board_rfq_opened_joins_the_inbox_as_chosen_from_the_board(supplier: Actor, bags: Category) -> None:
    works_in(supplier.supplier, bags)
    rfq = SourcingRequestFactory(category=bags, title="Tote bags for a fair")

    response = supplier.client.get(detail_url(rfq))

    assert response.status_code == 200
    assert "You found this request on the RFQ board." in response.content.decode()
    match = Match.objects.get(rfq=rfq, supplier=supplier.supplier)
    assert match.source == Match.Source.BOARD
    assert match.notified_at is None
    assert "Tote bags for a fair" in supplier.client.get(INBOX).content.decode()


def test_a_board_rfq_can_be_declined_without_opening_it_first(supplier: Actor, bags: Category) -> None:
    works_in(supplier.supplier, bags)
    rfq = SourcingRequestFactory(category=bags)

    match = match_decline(supplier=supplier.supplier, rfq_id=rfq.pk, reason="Not our kind of bag.")

    assert match.source == Match.Source.BOARD
    assert match.status == Match.Status.DECLINED


def test_opening_twice_makes_one_match(supplier: Actor, bags: Category) -> None:
    works_in(supplier.supplier, bags)
    rfq = SourcingRequestFactory(category=bags)

    first = match_open(supplier=supplier.supplier, rfq_id=rfq.pk)
    second = match_open(supplier=supplier.supplier, rfq_id=rfq.pk)

    assert first.pk == second.pk
    assert Match.objects.filter(rfq=rfq).count() == 1


def test_the_service_answers_not_found_for_an_rfq_outside_the_suppliers_reach(supplier: Actor) -> None:
    with pytest.raises(NotFound):
        match_open(supplier=supplier.supplier, rfq_id=SourcingRequestFactory().pk)


# --- Attachments ----------------------------------------------------------------------------------


def test_a_matched_supplier_downloads_an_attachment_and_another_gets_404(
    supplier: Actor, actors: dict[str, Actor]
) -> None:
    match = matched(supplier, visibility=SourcingRequest.Visibility.PRIVATE)
    attachment = RfqAttachmentFactory(rfq=match.rfq, original_name="drawing.pdf")
    url = reverse("buyers:supplier_attachment", kwargs={"pk": match.rfq_id, "attachment_pk": attachment.pk})

    response = supplier.client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DRAWING
    assert 'attachment; filename="drawing.pdf"' in response["Content-Disposition"]
    assert actors["other_supplier"].client.get(url).status_code == 404


def test_an_attachment_of_another_rfq_answers_404(supplier: Actor) -> None:
    match = matched(supplier)
    foreign = RfqAttachmentFactory()  # on an RFQ the supplier was not matched to
    url = reverse("buyers:supplier_attachment", kwargs={"pk": match.rfq_id, "attachment_pk": foreign.pk})

    assert supplier.client.get(url).status_code == 404
