"""The OpenAPI schema states the rules the API applies to query parameters and form bodies, and the
API applies no looser ones (docs/api.md, "What the schema promises")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework import exceptions

from marketplace.api.errors import ERROR_CODES, api_exception_handler
from marketplace.services.api_tokens import api_token_create
from tests.buyers.builders_post import open_rfq_of
from tests.conftest import Actor
from tests.factories import MembershipFactory
from tests.test_schemathesis import schema

pytestmark = pytest.mark.django_db

LISTS_WITH_PAGES = ["/api/v1/belts/", "/api/v1/tokens/", "/api/v1/notifications/", "/api/v1/rfqs/"]


@pytest.fixture
def api() -> Client:
    membership = MembershipFactory()
    _token, key = api_token_create(user=membership.user, name="schema")
    return Client(headers={"Authorization": f"Token {key}", "Accept-Language": "en"})


def _parameter(path: str, name: str) -> dict[str, Any]:
    return next(p for p in schema.raw_schema["paths"][path]["get"]["parameters"] if p["name"] == name)


@pytest.mark.parametrize("path", LISTS_WITH_PAGES)
def test_hardening_the_schema_bounds_every_page_size(path: str) -> None:
    page_size = _parameter(path, "page_size")

    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}
    assert page_size["allowEmptyValue"] is True


@pytest.mark.parametrize("path", LISTS_WITH_PAGES)
@pytest.mark.parametrize("size", ["null", "0", "101", "2.5", "±"])
def test_hardening_a_page_size_outside_the_schema_is_refused(api: Client, path: str, size: str) -> None:
    response = api.get(path, {"page_size": size})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["page_size"]


def test_hardening_a_yes_no_filter_refuses_what_is_neither(api: Client) -> None:
    refused = api.get("/api/v1/notifications/", {"unread": "null"})
    empty = api.get("/api/v1/notifications/", {"unread": ""})

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"unread": ["Give true or false."]}
    assert empty.status_code == 200


def test_hardening_an_empty_form_field_is_refused_as_empty_json_text_is(api: Client) -> None:
    as_form = api.patch("/api/v1/me/", "preferred_currency=", content_type="application/x-www-form-urlencoded")
    as_json = api.patch("/api/v1/me/", {"preferred_currency": ""}, content_type="application/json")

    assert as_form.status_code == as_json.status_code == 400
    assert list(as_form.json()["error"]["fields"]) == list(as_json.json()["error"]["fields"]) == ["preferred_currency"]


def test_hardening_an_operation_without_files_takes_no_multipart_body(api: Client) -> None:
    media_types = schema.raw_schema["paths"]["/api/v1/me/"]["patch"]["requestBody"]["content"]

    response = api.patch("/api/v1/me/", {"name": "Li"}, content_type="multipart/form-data; boundary=b")

    assert set(media_types) == {"application/json", "application/x-www-form-urlencoded"}
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_hardening_the_schema_lists_every_error_code_and_the_docs_say_when_each_comes() -> None:
    documented: set[str] = set()
    for line in (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text().splitlines():
        cells = line.split("|")
        if len(cells) > 3 and cells[1].strip().isdigit():
            documented |= set(re.findall(r"`([a-z_]+)`", cells[2]))

    listed = schema.raw_schema["components"]["schemas"]["ErrorCodeEnum"]["enum"]

    assert set(listed) == set(ERROR_CODES) == documented


def test_hardening_a_file_upload_states_how_many_files_it_takes() -> None:
    uploads = schema.raw_schema["components"]["schemas"]

    for name, field in [
        ("RfqAttachmentsUploadRequest", "files"),
        ("ProductImagesUploadRequest", "images"),
        ("QuoteAttachmentsUploadRequest", "attachments"),
    ]:
        assert uploads[name]["required"] == [field]
        assert (uploads[name]["properties"][field]["minItems"], uploads[name]["properties"][field]["maxItems"]) == (
            1,
            10,
        )


@pytest.mark.parametrize(
    ("path", "name", "bounds", "outside"),
    [
        ("/api/v1/categories/", "depth", (0, 100), "101"),
        ("/api/v1/insights/trending/", "weeks", (4, 52), "53"),
    ],
)
def test_hardening_a_number_filter_states_the_bounds_it_refuses_beyond(
    api: Client, path: str, name: str, bounds: tuple[int, int], outside: str
) -> None:
    stated = _parameter(path, name)["schema"]

    response = api.get(path, {name: outside})

    assert (stated["minimum"], stated["maximum"]) == bounds
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [name]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (exceptions.APIException("Odd.", code="odd"), "server_error"),
        (exceptions.NotFound("Gone.", code="gone"), "not_found"),
        (exceptions.PermissionDenied("No.", code="read_only_token"), "read_only_token"),
    ],
)
def test_hardening_an_error_with_a_code_of_its_own_answers_a_listed_code(
    error: exceptions.APIException, code: str
) -> None:
    response = api_exception_handler(error, {})

    assert response is not None
    assert response.data["error"]["code"] == code


@pytest.mark.parametrize(("name", "outside"), [("max_suppliers", "1001"), ("max_share", "0"), ("over_delivery", "21")])
def test_hardening_the_plans_constraints_state_the_bounds_they_refuse_beyond(
    actors: dict[str, Actor], name: str, outside: str
) -> None:
    buyer = actors["buyer"]
    rfq = open_rfq_of(buyer)
    stated = next(
        p for p in schema.raw_schema["paths"]["/api/v1/rfqs/{id}/quotes/"]["get"]["parameters"] if p["name"] == name
    )["schema"]

    response = buyer.client.get(f"/api/v1/rfqs/{rfq.pk}/quotes/", {name: outside})

    assert stated["type"] in ("integer", "number")
    assert response.status_code == 400, response.content
    assert name in response.json()["error"]["fields"]


def test_hardening_the_catalog_schema_states_its_limits() -> None:
    product = schema.raw_schema["components"]["schemas"]["ProductWriteRequest"]["properties"]
    attribute = schema.raw_schema["components"]["schemas"]["AttributeRequest"]["properties"]

    assert product["sku"]["maxLength"] == 64
    assert product["sku"]["pattern"].startswith("^[A-Za-z0-9]")
    assert product["attributes"]["maxItems"] == 30
    assert product["tiers"]["maxItems"] == 10
    assert attribute["name"]["maxLength"] == 50
    assert attribute["value"]["maxLength"] == 200


def test_hardening_every_limited_text_states_its_length() -> None:
    product = schema.raw_schema["components"]["schemas"]["ProductWriteRequest"]["properties"]

    assert product["title"]["maxLength"] == 200
    assert product["description"]["maxLength"] == 20_000
