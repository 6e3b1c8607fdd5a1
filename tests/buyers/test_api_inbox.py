"""The supplier's side of RFQs through the API: /api/v1/inbox/..., /api/v1/rfq-board/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from buyers.models import Match, SourcingRequest
from marketplace.models import Category
from marketplace.services.api_tokens import api_token_create
from tests.buyers.builders_inbox import works_in
from tests.buyers.factories import MatchFactory, RfqAttachmentFactory, SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import CategoryFactory, CompanyFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.test_schemathesis import CHECKS as SCHEMA_CHECKS
from tests.test_schemathesis import _wsgi_keeps_the_test_transaction  # noqa: F401 (a fixture)
from tests.test_schemathesis import schema as schema_under_test

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/inbox/"
BOARD = "/api/v1/rfq-board/"


def token_client(user: Any) -> Client:
    _token, key = api_token_create(user=user, name="inbox")
    # An integration that reads English (the user may prefer Chinese: an explicit header decides).
    return Client(headers={"Authorization": f"Token {key}", "Accept-Language": "en"})


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")


@pytest.fixture
def backpacks(bags: Category) -> Category:
    return CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)


@pytest.fixture
def seller(actors: dict[str, Actor]) -> Actor:
    supplier = actors["supplier"]
    supplier.client = token_client(supplier.user)
    return supplier


def matched(seller: Actor, **rfq: Any) -> Match:
    return MatchFactory(rfq=SourcingRequestFactory(**rfq), supplier=seller.supplier)


# --- The inbox ------------------------------------------------------------------------------------


def test_the_inbox_lists_the_suppliers_rfqs_with_reasons_and_the_buyers_country_only(seller: Actor) -> None:
    buyer = CompanyFactory(name="Colombo School Supplies Ltd", country="LK")
    match = matched(seller, buyer=buyer, title="Transparent school backpacks")

    response = seller.client.get(INBOX)

    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry["rfq"]["id"] == match.rfq_id
    assert entry["rfq"]["title"] == "Transparent school backpacks"
    assert entry["rfq"]["buyer_country"] == "LK"
    assert entry["rfq"]["quantity"] == 50_000
    assert entry["reasons"] == ["3 matching products"]
    assert entry["is_new"] is True
    assert entry["status"] == "new"
    assert "Colombo School Supplies" not in response.content.decode()


def test_the_inbox_filters_by_category_status_and_answer(seller: Actor, bags: Category, backpacks: Category) -> None:
    matched(seller, title="School backpacks", category=backpacks)
    matched(seller, title="Mascot toys", category=CategoryFactory(slug="toys"))
    matched(seller, title="Closed bags", category=bags, status=SourcingRequest.Status.CLOSED)

    def titles(query: str) -> set[str]:
        return {entry["rfq"]["title"] for entry in seller.client.get(f"{INBOX}?{query}").json()["results"]}

    assert titles("category=bags") == {"School backpacks", "Closed bags"}
    assert titles("status=closed") == {"Closed bags"}
    assert titles("answer=new&category=backpacks&status=open") == {"School backpacks"}
    assert titles("answer=declined") == set()


def test_a_bad_filter_answers_400_naming_the_parameter(seller: Actor) -> None:
    response = seller.client.get(f"{INBOX}?category=nope&status=draft&answer=maybe")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"category", "status", "answer"}


def test_the_inbox_pages_with_cursors(seller: Actor) -> None:
    for number in range(5):
        matched(seller, title=f"Request {number}")

    first = seller.client.get(f"{INBOX}?page_size=3").json()
    second = seller.client.get(first["next"]).json()

    seen = [entry["rfq"]["id"] for entry in first["results"] + second["results"]]
    assert len(seen) == 5
    assert len(set(seen)) == 5
    assert second["next"] is None


def test_the_inbox_makes_the_same_queries_for_two_page_sizes(seller: Actor) -> None:
    for number in range(12):
        matched(seller, title=f"Request {number}")
    seller.client.get(INBOX)  # the token's first use is recorded once

    assert_same_queries_for_page_sizes(lambda size: seller.client.get(f"{INBOX}?page_size={size}"), expected=5)


# --- One RFQ ------------------------------------------------------------------------------------


def test_reading_an_rfq_gives_every_fact_and_records_the_opening(seller: Actor) -> None:
    match = matched(seller, target_unit_price=Decimal("1.2500"), incoterm="CIF", destination_city="Colombo")
    attachment = RfqAttachmentFactory(rfq=match.rfq, original_name="spec.pdf")

    response = seller.client.get(f"{INBOX}{match.rfq_id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "opened"
    assert body["opened_at"] is not None
    assert body["rfq"]["target_unit_price"] == "1.25"
    assert body["rfq"]["currency"] == "USD"
    assert body["rfq"]["incoterm"] == "CIF"
    assert body["rfq"]["destination_city"] == "Colombo"
    assert [attachment["name"] for attachment in body["rfq"]["attachments"]] == ["spec.pdf"]
    assert body["rfq"]["attachments"][0]["url"].endswith(f"/rfqs/inbox/{match.rfq_id}/attachments/{attachment.pk}/")
    match.refresh_from_db()
    assert match.status == Match.Status.OPENED


def test_reading_a_board_rfq_puts_it_in_the_inbox(seller: Actor, bags: Category) -> None:
    works_in(seller.supplier, bags)
    rfq = SourcingRequestFactory(category=bags)

    body = seller.client.get(f"{INBOX}{rfq.pk}/").json()

    assert body["source"] == "board"
    assert [entry["rfq"]["id"] for entry in seller.client.get(INBOX).json()["results"]] == [rfq.pk]


def test_another_suppliers_rfq_answers_404(seller: Actor, actors: dict[str, Actor]) -> None:
    private = MatchFactory(
        rfq=SourcingRequestFactory(visibility=SourcingRequest.Visibility.PRIVATE),
        supplier=actors["other_supplier"].supplier,
    ).rfq
    draft = matched(seller, status=SourcingRequest.Status.DRAFT).rfq

    for rfq in (private, draft):
        assert seller.client.get(f"{INBOX}{rfq.pk}/").status_code == 404
        response = seller.client.post(f"{INBOX}{rfq.pk}/decline/", {"reason": "No."}, content_type="application/json")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_a_buyer_is_told_its_company_does_not_sell(actors: dict[str, Actor]) -> None:
    response = token_client(actors["buyer"].user).get(INBOX)

    assert response.status_code == 403
    assert "does not sell" in response.json()["error"]["message"]


# --- Declining ------------------------------------------------------------------------------------


def test_declining_through_the_api(seller: Actor) -> None:
    match = matched(seller)

    response = seller.client.post(
        f"{INBOX}{match.rfq_id}/decline/", {"reason": "Beyond our capacity."}, content_type="application/json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "declined"
    assert body["decline_reason"] == "Beyond our capacity."
    assert body["responded_at"] is not None


def test_declining_without_a_reason_or_twice_is_refused(seller: Actor) -> None:
    match = matched(seller)
    url = f"{INBOX}{match.rfq_id}/decline/"

    missing = seller.client.post(url, {"reason": ""}, content_type="application/json")
    seller.client.post(url, {"reason": "No."}, content_type="application/json")
    twice = seller.client.post(url, {"reason": "Still no."}, content_type="application/json")

    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["reason"] == ["Say why you decline."]
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == "You have already declined this request."


# --- The board ------------------------------------------------------------------------------------


def test_the_board_lists_open_public_rfqs_in_the_suppliers_categories(seller: Actor, bags: Category) -> None:
    works_in(seller.supplier, bags)
    seen = SourcingRequestFactory(title="Matched bags", category=bags)
    MatchFactory(rfq=seen, supplier=seller.supplier)
    SourcingRequestFactory(title="New bags", category=bags)
    SourcingRequestFactory(title="Toys", category=CategoryFactory(slug="toys"))

    results = seller.client.get(BOARD).json()["results"]

    assert {entry["title"]: entry["already_in_inbox"] for entry in results} == {"Matched bags": True, "New bags": False}
    assert seller.client.get(f"{BOARD}?category=nope").status_code == 400


def test_the_board_makes_the_same_queries_for_two_page_sizes(seller: Actor, bags: Category) -> None:
    works_in(seller.supplier, bags)
    for number in range(12):
        SourcingRequestFactory(title=f"Bags {number}", category=bags)
    seller.client.get(BOARD)

    assert_same_queries_for_page_sizes(lambda size: seller.client.get(f"{BOARD}?page_size={size}"), expected=9)


# --- The schema's promises, as a seller with real data ---------------------------------------------


def test_the_inbox_is_in_the_schema() -> None:
    paths = set(schema_under_test.raw_schema["paths"])

    assert {
        "/api/v1/inbox/",
        "/api/v1/inbox/{rfq_id}/",
        "/api/v1/inbox/{rfq_id}/decline/",
        "/api/v1/rfq-board/",
    } <= paths


@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
def test_the_inbox_answers_a_seller_as_its_schema_says(actors: dict[str, Actor], bags: Category) -> None:
    supplier = actors["supplier"]
    works_in(supplier.supplier, bags)
    match = MatchFactory(
        rfq=SourcingRequestFactory(category=bags, target_unit_price=Decimal(2)), supplier=supplier.supplier
    )
    RfqAttachmentFactory(rfq=match.rfq)
    board = SourcingRequestFactory(category=bags)
    closed = MatchFactory(
        rfq=SourcingRequestFactory(status=SourcingRequest.Status.CLOSED), supplier=supplier.supplier
    ).rfq
    _token, key = api_token_create(user=supplier.user, name="schema")
    calls = [
        ("/api/v1/inbox/", "GET", {}, None, 200),
        ("/api/v1/inbox/{rfq_id}/", "GET", {"rfq_id": match.rfq_id}, None, 200),
        ("/api/v1/inbox/{rfq_id}/", "GET", {"rfq_id": board.pk}, None, 200),
        ("/api/v1/inbox/{rfq_id}/decline/", "POST", {"rfq_id": match.rfq_id}, {"reason": "No."}, 200),
        ("/api/v1/inbox/{rfq_id}/decline/", "POST", {"rfq_id": match.rfq_id}, {"reason": "No."}, 409),
        ("/api/v1/inbox/{rfq_id}/decline/", "POST", {"rfq_id": closed.pk}, {"reason": "No."}, 409),
        ("/api/v1/inbox/{rfq_id}/decline/", "POST", {"rfq_id": board.pk}, {}, 400),
        ("/api/v1/rfq-board/", "GET", {}, None, 200),
    ]
    for path, method, path_parameters, body, status in calls:
        case = schema_under_test[path][method].Case(
            path_parameters=path_parameters, **({"body": body} if body is not None else {})
        )

        response = case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=SCHEMA_CHECKS)

        assert response.status_code == status, (method, path, response.text)


inbox_schema = schema_under_test.include(path_regex="^/api/v1/(inbox|rfq-board)/")


@pytest.fixture
def seller_key(actors: dict[str, Actor], bags: Category) -> str:
    supplier = actors["supplier"]
    works_in(supplier.supplier, bags)
    MatchFactory(rfq=SourcingRequestFactory(category=bags), supplier=supplier.supplier)
    SourcingRequestFactory(category=bags)
    _token, key = api_token_create(user=supplier.user, name="schema")
    return key


@inbox_schema.parametrize()
@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_inbox_operation_answers_a_seller_as_its_schema_says(case: Any, seller_key: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {seller_key}"}, checks=SCHEMA_CHECKS)
