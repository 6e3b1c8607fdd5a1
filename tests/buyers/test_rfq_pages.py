"""The buyer's RFQ pages, as a buyer uses them: post, save a draft, edit, publish, close, cancel,
see the list and one request with its history and matched suppliers; "Request a quote"."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.models import Match, RfqAttachment, RfqEvent, SourcingRequest
from marketplace.models import Category
from tests.buyers.builders_post import draft_of, not_a_document, open_rfq_of, pdf, png, posting_world, rfq_form
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import SupplierProfileFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db
Status = SourcingRequest.Status
NEW = reverse("buyers:rfq_create")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def categories() -> dict[str, Category]:
    return posting_world()


@pytest.fixture
def buyer(actors: dict[str, Actor]) -> Actor:
    return actors["buyer"]


def text_of(response: Any) -> str:
    return response.content.decode()


def only_rfq_of(actor: Actor) -> SourcingRequest:
    return SourcingRequest.objects.get(buyer=actor.company)


# --- Posting -------------------------------------------------------------------------------------


def test_a_buyer_posts_a_request_with_every_field_and_it_opens_at_once(buyer: Actor, categories: dict) -> None:
    page = buyer.client.get(NEW)
    assert page.status_code == 200
    assert "School backpacks" in text_of(page)

    response = buyer.client.post(
        NEW,
        {**rfq_form(categories["school"], action="publish", max_quotes="8"), "attachments": [pdf(), png()]},
    )

    rfq = only_rfq_of(buyer)
    assert response.status_code == 302
    assert response["Location"] == reverse("buyers:rfq_detail", kwargs={"pk": rfq.pk})
    assert rfq.status == Status.OPEN
    assert (rfq.title, rfq.quantity, rfq.unit) == ("Transparent school backpacks", 50000, "piece")
    assert rfq.currency_id == "USD"
    assert (rfq.destination_country.code, rfq.destination_city, rfq.incoterm) == ("LK", "Colombo", "CIF")
    assert rfq.allow_split is True
    assert rfq.max_quotes == 8
    assert str(rfq.target_unit_price) == "3.2000"
    assert "backpacks" in rfq.search_text
    assert sorted(a.original_name for a in rfq.attachments.all()) == ["drawing.pdf", "photo.png"]
    history = list(RfqEvent.objects.filter(rfq=rfq).values_list("from_status", "to_status", "actor"))
    assert history == [("", Status.DRAFT, buyer.user.pk), (Status.DRAFT, Status.OPEN, buyer.user.pk)]


def test_saving_as_draft_keeps_the_request_unpublished(buyer: Actor, categories: dict) -> None:
    buyer.client.post(NEW, rfq_form(categories["school"], action="save"))

    rfq = only_rfq_of(buyer)
    assert rfq.status == Status.DRAFT
    assert rfq.published_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "0", "The quantity must be at least 1."),
        ("quantity", "-5", "The quantity must be at least 1."),
        ("quantity", "many", "The quantity must be a whole number."),
        ("category", "999999", "Choose a category from the list."),
        ("currency", "XYZ", "Unknown currency “XYZ”; use an active ISO 4217 code such as USD."),
        ("incoterm", "ABC", "Choose an Incoterm from the list."),
        ("target_unit_price", "-1", "The target unit price must be a positive amount."),
        ("required_by", "2020-01-01", "The required delivery date has passed"),
        ("required_by", "someday", "The required delivery date must be a date"),
        ("quote_deadline", "2020-01-01T10:00", "The quote deadline has passed"),
        ("invited_suppliers", "99999999", "There is no supplier with the id 99999999."),
        ("invited_suppliers", "twelve", "is not a supplier id"),
        ("title", "", "Say what you need in the title"),
        ("destination_country", "", "Choose the country the goods go to."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_the_typed_values_are_kept(
    buyer: Actor, categories: dict, field: str, value: str, message: str
) -> None:
    response = buyer.client.post(NEW, rfq_form(categories["school"], **{field: value}))

    assert response.status_code == 400
    assert message in text_of(response)
    assert "Clear PVC backpacks for schools, reinforced straps." in text_of(response)
    assert not SourcingRequest.objects.filter(buyer=buyer.company).exists()


def test_a_quote_deadline_after_the_delivery_date_is_refused(buyer: Actor, categories: dict) -> None:
    form = rfq_form(
        categories["school"],
        required_by=(timezone.localdate() + timedelta(days=5)).isoformat(),
        quote_deadline=(timezone.localtime() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
    )

    response = buyer.client.post(NEW, form)

    assert response.status_code == 400
    assert "Quotes must be due before the required delivery date" in text_of(response)


def test_an_attachment_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_saved(
    buyer: Actor, categories: dict
) -> None:
    response = buyer.client.post(NEW, {**rfq_form(categories["school"]), "attachments": [not_a_document()]})

    assert response.status_code == 400
    assert "specs.pdf: Upload a PDF, or a JPEG, PNG or WebP image." in text_of(response)
    assert not SourcingRequest.objects.exists()
    assert not RfqAttachment.objects.exists()


def test_publishing_a_private_request_without_invited_suppliers_is_refused(buyer: Actor, categories: dict) -> None:
    response = buyer.client.post(NEW, rfq_form(categories["school"], visibility="private", action="publish"))

    assert response.status_code == 400
    assert "A private request goes only to the suppliers you invite" in text_of(response)
    assert not SourcingRequest.objects.exists()


def test_a_private_request_to_invited_suppliers_is_published(buyer: Actor, actors: dict, categories: dict) -> None:
    invited = actors["supplier"].supplier

    buyer.client.post(
        NEW, rfq_form(categories["school"], visibility="private", invited_suppliers=str(invited.pk), action="publish")
    )

    rfq = only_rfq_of(buyer)
    assert rfq.status == Status.OPEN
    assert list(rfq.matches.values_list("supplier", "source")) == [(invited.pk, Match.Source.INVITED)]


def test_a_buyer_cannot_invite_its_own_company(actors: dict, categories: dict) -> None:
    seller = actors["supplier"]

    response = seller.client.post(NEW, rfq_form(categories["school"], invited_suppliers=str(seller.supplier.pk)))

    assert response.status_code == 400
    assert "You cannot invite your own company to quote" in text_of(response)


# --- Editing -------------------------------------------------------------------------------------


def test_a_draft_is_edited_and_an_attachment_removed(buyer: Actor, categories: dict) -> None:
    buyer.client.post(NEW, {**rfq_form(categories["school"]), "attachments": [pdf()]})
    rfq = only_rfq_of(buyer)
    attachment = rfq.attachments.get()
    edit = reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk})
    assert 'value="Transparent school backpacks"' in text_of(buyer.client.get(edit))

    response = buyer.client.post(
        edit, rfq_form(categories["school"], title="Clear backpacks", remove_attachments=[attachment.pk])
    )

    assert response.status_code == 302
    rfq.refresh_from_db()
    assert rfq.title == "Clear backpacks"
    assert "clear" in rfq.search_text
    assert not rfq.attachments.exists()


def test_a_request_with_a_quote_can_no_longer_be_edited(buyer: Actor, categories: dict) -> None:
    rfq = open_rfq_of(buyer, first_quote_at=timezone.now(), quote_count=1)
    edit = reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk})

    response = buyer.client.post(edit, rfq_form(categories["school"], title="Changed after a quote"))

    assert response.status_code == 302
    rfq.refresh_from_db()
    assert rfq.title != "Changed after a quote"
    assert "can no longer be changed" in text_of(buyer.client.get(response["Location"]))


def test_an_attachment_is_downloaded_by_its_buyer_only(buyer: Actor, actors: dict, categories: dict) -> None:
    buyer.client.post(NEW, {**rfq_form(categories["school"]), "attachments": [pdf()]})
    rfq = only_rfq_of(buyer)
    url = reverse("buyers:rfq_attachment", kwargs={"pk": rfq.pk, "attachment_pk": rfq.attachments.get().pk})

    response = buyer.client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="drawing.pdf"' in response["Content-Disposition"]
    assert actors["other_buyer"].client.get(url).status_code == 404


# --- Lifecycle buttons ---------------------------------------------------------------------------


def test_the_buyer_publishes_a_draft_from_its_page(buyer: Actor) -> None:
    rfq = draft_of(buyer)

    response = buyer.client.post(reverse("buyers:rfq_publish", kwargs={"pk": rfq.pk}), follow=True)

    rfq.refresh_from_db()
    assert rfq.status == Status.OPEN
    assert "is published" in text_of(response)


def test_publishing_a_draft_whose_deadline_passed_sends_the_buyer_to_change_it(buyer: Actor) -> None:
    rfq = draft_of(buyer, quote_deadline=timezone.now() - timedelta(hours=1))

    response = buyer.client.post(reverse("buyers:rfq_publish", kwargs={"pk": rfq.pk}))

    assert response["Location"] == reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk})
    rfq.refresh_from_db()
    assert rfq.status == Status.DRAFT


def test_the_buyer_closes_an_open_request_and_the_history_says_why(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer)

    buyer.client.post(reverse("buyers:rfq_close", kwargs={"pk": rfq.pk}), {"reason": "Enough quotes."})

    rfq.refresh_from_db()
    assert rfq.status == Status.CLOSED
    page = text_of(buyer.client.get(reverse("buyers:rfq_detail", kwargs={"pk": rfq.pk})))
    assert "Enough quotes." in page


def test_cancelling_an_open_request_needs_a_reason(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer)
    cancel = reverse("buyers:rfq_cancel", kwargs={"pk": rfq.pk})

    refused = buyer.client.post(cancel, {"reason": ""}, follow=True)
    rfq.refresh_from_db()
    assert rfq.status == Status.OPEN
    assert "Say why you cancel the request" in text_of(refused)

    buyer.client.post(cancel, {"reason": "The tender was withdrawn."})
    rfq.refresh_from_db()
    assert rfq.status == Status.CANCELLED


# --- The list and one request --------------------------------------------------------------------


def test_the_list_shows_status_notified_suppliers_quotes_and_time_left(buyer: Actor) -> None:
    open_rfq_of(buyer, title="Backpacks for Colombo", notified_count=14, quote_count=3)
    draft_of(buyer, title="Lunch boxes")
    SourcingRequestFactory(title="Someone else's request")

    page = text_of(buyer.client.get(reverse("buyers:rfq_list")))

    assert "Backpacks for Colombo" in page
    assert "Lunch boxes" in page
    assert "Someone else&#x27;s request" not in page
    assert "<td data-notified>14</td>" in page
    assert "<td data-quotes>3</td>" in page
    assert " left</span>" in page


def test_the_list_filters_by_status(buyer: Actor) -> None:
    open_rfq_of(buyer, title="Backpacks for Colombo")
    draft_of(buyer, title="Lunch boxes")

    page = text_of(buyer.client.get(reverse("buyers:rfq_list"), {"status": "draft"}))

    assert "Lunch boxes" in page
    assert "Backpacks for Colombo" not in page


def test_the_list_makes_the_same_queries_for_any_page_size(buyer: Actor) -> None:
    for _n in range(10):
        open_rfq_of(buyer)

    assert_same_queries_for_page_sizes(
        # One of them is the header's belts managed by the user (a belt manager may buy for a company too).
        lambda size: buyer.client.get(reverse("buyers:rfq_list"), {"page_size": size}),
        expected=7,
    )


def test_the_detail_page_shows_the_matched_suppliers_with_rank_and_reasons(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer)
    supplier = SupplierProfileFactory(name="Baigou Bag Factory")
    MatchFactory(rfq=rfq, supplier=supplier, rank=1, reasons=[{"code": "products", "count": 14}])

    page = text_of(buyer.client.get(reverse("buyers:rfq_detail", kwargs={"pk": rfq.pk})))

    assert "Baigou Bag Factory" in page
    assert "14 matching products" in page
    assert "Close to quotes" in page


# --- Request a quote -----------------------------------------------------------------------------


def test_request_a_quote_from_a_product_starts_a_private_request_prefilled(buyer: Actor, categories: dict) -> None:
    product = ProductFactory(title="PVC backpack 透明书包", category=categories["school"], moq=500)

    product_page = text_of(buyer.client.get(reverse("suppliers:product_detail", kwargs={"pk": product.pk})))
    assert f"{NEW}?product={product.pk}" in product_page

    page = text_of(buyer.client.get(NEW, {"product": product.pk}))
    assert 'value="PVC backpack 透明书包"' in page
    assert 'value="500"' in page
    assert f'value="{product.supplier.pk}"' in page
    assert 'value="private" required id="id_visibility_1" checked' in page

    buyer.client.post(
        NEW,
        rfq_form(
            categories["school"],
            title="PVC backpack 透明书包",
            quantity="500",
            visibility="private",
            invited_suppliers=str(product.supplier.pk),
            source_product=str(product.pk),
            action="publish",
        ),
    )
    rfq = only_rfq_of(buyer)
    assert rfq.source_product == product
    assert rfq.visibility == SourcingRequest.Visibility.PRIVATE
    assert list(rfq.matches.values_list("supplier", flat=True)) == [product.supplier.pk]


def test_a_supplier_cannot_request_a_quote_from_itself(actors: dict, categories: dict) -> None:
    seller = actors["supplier"]
    product = ProductFactory(supplier=seller.supplier, category=categories["school"])

    product_page = text_of(seller.client.get(reverse("suppliers:product_detail", kwargs={"pk": product.pk})))
    assert "you cannot request a quote from yourself" in product_page

    page = text_of(seller.client.get(NEW, {"product": product.pk}))
    assert "you cannot request a quote from yourself" in page
    invited = re.search(r'<input[^>]*name="invited_suppliers"[^>]*>', page)
    assert invited is not None
    assert f'value="{seller.supplier.pk}"' not in invited.group(0)
