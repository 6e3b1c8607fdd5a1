"""The buyer's sourcing requests through the REST API: list, create, read, change, publish, close,
cancel, invitations and attachments."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from buyers.models import Match, RfqEvent, SourcingRequest
from marketplace.services.api_tokens import api_token_create
from tests.buyers.builders_post import draft_of, in_days, not_a_document, open_rfq_of, pdf, png, posting_world, rfq_body
from tests.buyers.factories import SourcingRequestFactory
from tests.conftest import Actor
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db
Status = SourcingRequest.Status
RFQS = "/api/v1/rfqs/"
JSON = "application/json"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _world(db: None) -> None:
    posting_world()


def token_client(user: Any) -> Client:
    """A program's client: an API token in the Authorization header, no session."""
    _token, key = api_token_create(user=user, name="erp")
    # An integration that reads English (the user may prefer Chinese: an explicit header decides).
    return Client(headers={"Authorization": f"Token {key}", "Accept-Language": "en"})


@pytest.fixture
def buyer(actors: dict[str, Actor]) -> Actor:
    actor = actors["buyer"]
    actor.client = token_client(actor.user)
    return actor


def post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type=JSON)


def fields_of(response: Any) -> dict[str, list[str]]:
    return response.json()["error"]["fields"]


def test_a_program_posts_a_draft_and_publishes_it(buyer: Actor) -> None:
    created = post_json(buyer.client, RFQS, rfq_body(max_quotes=5))

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft"
    assert body["category"]["slug"] == "school-backpacks"
    assert (body["quantity"], body["currency"], body["destination_country"], body["incoterm"]) == (
        50000,
        "USD",
        "LK",
        "CIF",
    )
    assert body["target_unit_price"] == "3.2000"
    assert body["max_quotes"] == 5
    assert body["is_editable"] is True

    published = buyer.client.post(f"{RFQS}{body['id']}/publish/")

    assert published.status_code == 200
    assert published.json()["status"] == "open"
    assert published.json()["time_left_seconds"] > 0
    rfq = SourcingRequest.objects.get(pk=body["id"])
    assert list(rfq.events.values_list("to_status", flat=True)) == [Status.DRAFT, Status.OPEN]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity": 0}, "quantity", "The quantity must be at least 1."),
        ({"quantity": -50}, "quantity", "The quantity must be at least 1."),
        ({"currency": "XYZ"}, "currency", "Unknown currency “XYZ”"),
        ({"incoterm": "XYZ"}, "incoterm", "Unknown Incoterm “XYZ”."),
        ({"category": "no-such-category"}, "category", "There is no category “no-such-category”"),
        ({"destination_country": "ZZ"}, "destination_country", "Unknown country “ZZ”"),
        ({"quote_deadline": "2020-01-01T10:00:00Z"}, "quote_deadline", "The quote deadline has passed"),
        ({"invited_suppliers": [987654321]}, "invited_suppliers", "There is no supplier with the id 987654321."),
    ],
)
def test_bad_input_answers_400_with_the_field_and_a_clear_message(
    buyer: Actor, changes: dict, field: str, message: str
) -> None:
    response = post_json(buyer.client, RFQS, rfq_body(**changes))

    assert response.status_code == 400
    assert any(message in text for text in fields_of(response)[field]), fields_of(response)
    assert not SourcingRequest.objects.exists()


def test_a_deadline_after_the_delivery_date_is_refused(buyer: Actor) -> None:
    body = rfq_body(
        required_by=(timezone.localdate() + timedelta(days=3)).isoformat(), quote_deadline=in_days(10).isoformat()
    )

    response = post_json(buyer.client, RFQS, body)

    assert response.status_code == 400
    assert "Quotes must be due before the required delivery date" in fields_of(response)["quote_deadline"][0]


def test_publishing_a_private_request_without_invitations_is_refused(buyer: Actor) -> None:
    rfq_id = post_json(buyer.client, RFQS, rfq_body(visibility="private")).json()["id"]

    response = buyer.client.post(f"{RFQS}{rfq_id}/publish/")

    assert response.status_code == 400
    assert "invited_suppliers" in fields_of(response)
    assert SourcingRequest.objects.get(pk=rfq_id).status == Status.DRAFT


def test_invited_suppliers_are_set_and_the_private_request_published(buyer: Actor, actors: dict) -> None:
    invited = actors["supplier"].supplier
    rfq_id = post_json(buyer.client, RFQS, rfq_body(visibility="private")).json()["id"]

    set_answer = buyer.client.put(f"{RFQS}{rfq_id}/invited-suppliers/", {"suppliers": [invited.pk]}, content_type=JSON)
    published = buyer.client.post(f"{RFQS}{rfq_id}/publish/")

    assert set_answer.json()["invited_suppliers"] == [invited.pk]
    assert published.json()["status"] == "open"
    assert Match.objects.get(rfq_id=rfq_id).source == Match.Source.INVITED


def test_inviting_ones_own_company_is_refused(actors: dict) -> None:
    seller = actors["supplier"]
    seller.client = token_client(seller.user)

    response = post_json(seller.client, RFQS, rfq_body(invited_suppliers=[seller.supplier.pk]))

    assert response.status_code == 400
    assert "You cannot invite your own company" in fields_of(response)["invited_suppliers"][0]


def test_patch_changes_only_the_fields_given_until_a_quote_arrives(buyer: Actor) -> None:
    rfq = open_rfq_of(buyer, title="Backpacks", quantity=1000)

    changed = buyer.client.patch(f"{RFQS}{rfq.pk}/", {"quantity": 2000}, content_type=JSON)

    assert changed.status_code == 200
    assert (changed.json()["title"], changed.json()["quantity"]) == ("Backpacks", 2000)

    SourcingRequest.objects.filter(pk=rfq.pk).update(first_quote_at=timezone.now(), quote_count=1)
    refused = buyer.client.patch(f"{RFQS}{rfq.pk}/", {"quantity": 3000}, content_type=JSON)

    assert refused.status_code == 409
    assert "can no longer be changed" in refused.json()["error"]["message"]
    rfq.refresh_from_db()
    assert rfq.quantity == 2000


def test_invited_suppliers_of_an_open_request_cannot_be_removed(buyer: Actor, actors: dict) -> None:
    rfq = open_rfq_of(buyer)
    Match.objects.create(rfq=rfq, supplier=actors["supplier"].supplier, source=Match.Source.INVITED)

    response = buyer.client.patch(f"{RFQS}{rfq.pk}/", {"invited_suppliers": []}, content_type=JSON)

    assert response.status_code == 400
    assert "stay invited" in fields_of(response)["invited_suppliers"][0]


def test_close_and_cancel_are_actions_with_reasons(buyer: Actor) -> None:
    open_one, other = open_rfq_of(buyer), open_rfq_of(buyer)

    closed = post_json(buyer.client, f"{RFQS}{open_one.pk}/close/", {"reason": "Enough quotes."})
    no_reason = post_json(buyer.client, f"{RFQS}{other.pk}/cancel/", {})
    cancelled = post_json(buyer.client, f"{RFQS}{other.pk}/cancel/", {"reason": "Tender withdrawn."})
    again = post_json(buyer.client, f"{RFQS}{other.pk}/cancel/", {"reason": "Twice."})

    assert closed.json()["status"] == "closed"
    assert no_reason.status_code == 400
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409
    assert RfqEvent.objects.filter(rfq=open_one, reason="Enough quotes.").exists()


def test_attachments_are_checked_by_content_added_downloaded_and_removed(buyer: Actor) -> None:
    rfq = draft_of(buyer)
    url = f"{RFQS}{rfq.pk}/attachments/"

    refused = buyer.client.post(url, {"files": [not_a_document()]})
    added = buyer.client.post(url, {"files": [pdf(), png()]})

    assert refused.status_code == 400
    assert "Upload a PDF, or a JPEG, PNG or WebP image." in refused.json()["error"]["message"]
    assert added.status_code == 201
    files = added.json()["attachments"]
    assert [item["original_name"] for item in files] == ["drawing.pdf", "photo.png"]
    download = buyer.client.get(files[0]["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert buyer.client.delete(files[0]["url"]).status_code == 204
    assert [item["original_name"] for item in buyer.client.get(f"{RFQS}{rfq.pk}/").json()["attachments"]] == [
        "photo.png"
    ]


def test_another_companys_request_answers_404(buyer: Actor, actors: dict) -> None:
    theirs = SourcingRequestFactory()

    assert buyer.client.get(f"{RFQS}{theirs.pk}/").status_code == 404
    assert buyer.client.patch(f"{RFQS}{theirs.pk}/", {"title": "Mine now"}, content_type=JSON).status_code == 404
    assert buyer.client.post(f"{RFQS}{theirs.pk}/close/").status_code == 404


def test_the_list_filters_by_status_and_refuses_an_unknown_one(buyer: Actor) -> None:
    open_rfq_of(buyer, title="Open one")
    draft_of(buyer, title="Draft one")
    SourcingRequestFactory(title="Not ours")

    everything = [item["title"] for item in buyer.client.get(RFQS).json()["results"]]
    drafts = [item["title"] for item in buyer.client.get(RFQS, {"status": "draft"}).json()["results"]]

    assert sorted(everything) == ["Draft one", "Open one"]
    assert drafts == ["Draft one"]
    assert buyer.client.get(RFQS, {"status": "sunny"}).status_code == 400


def test_the_list_makes_the_same_queries_for_any_page_size(buyer: Actor, actors: dict) -> None:
    for _n in range(10):
        rfq = open_rfq_of(buyer)
        Match.objects.create(rfq=rfq, supplier=actors["supplier"].supplier, source=Match.Source.INVITED)

    buyer.client.get(RFQS)  # the token's first use of the minute is recorded once

    assert_same_queries_for_page_sizes(lambda size: buyer.client.get(RFQS, {"page_size": size}), expected=6)


def test_staff_acting_for_no_company_is_told_why(actors: dict) -> None:
    staff = actors["staff"]

    response = staff.client.get(RFQS)

    assert response.status_code == 403
    assert "acts for no company" in response.json()["error"]["message"]
