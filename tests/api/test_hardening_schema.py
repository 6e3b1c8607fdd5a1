"""The OpenAPI schema states the rules the API applies to query parameters and form bodies, and the
API applies no looser ones (docs/api.md, "What the schema promises")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client
from rest_framework import exceptions

from buyers.plan_rules import SUPPLIER_IDS_PATTERN
from buyers.rfq_rules import MAX_INVITED
from marketplace.api.errors import ERROR_CODES, api_exception_handler
from marketplace.input_values import TEXT_PATTERN, has_control_characters, id_value
from marketplace.services.api_tokens import api_token_create
from orders.services.messages import MAX_BODY_LENGTH
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


# --- Every rule the API applies is in the schema --------------------------------------------------


def _request_strings(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every string schema below `node` (a request's body or parameter), by where it is."""
    components = schema.raw_schema["components"]["schemas"]
    if isinstance(node, list):
        return [found for item in node for found in _request_strings(item, where)]
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _request_strings(components[name], f"{where}/{name}")
    found = [(where, node)] if node.get("type") == "string" else []
    for name, field in node.get("properties", {}).items():
        found += _request_strings(field, f"{where}.{name}")
    for key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf"):
        found += _request_strings(node.get(key), where)
    return found


def _every_request_string() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found += _request_strings(parameter["schema"], f"{method} {path}?{parameter['name']}")
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                found += _request_strings(content["schema"], f"{method} {path} {media}")
    return found


def test_hardening_every_text_a_request_carries_states_that_it_holds_no_control_character() -> None:
    strings = _every_request_string()
    # A string with a rule of its own: one of a list, a format (a date, a file), or a pattern of its
    # own (which admits no control character either: see the next test).
    free = [(where, string) for where, string in strings if not {"enum", "format", "pattern"} & string.keys()]
    stated = [where for where, string in strings if string.get("pattern") == TEXT_PATTERN]
    empty_only = [where for where, string in strings if string.get("maxLength") == 0]

    assert free == []
    assert len(stated) > 50
    assert any(".title" in where for where in stated)
    assert any("?q" in where for where in stated)
    # And none of its own patterns lets a control character through.
    for where, string in strings:
        if "pattern" in string and where not in empty_only:
            assert not re.search(string["pattern"], "\x00"), where
            assert not re.search(string["pattern"], "a\x1fb"), where


def test_hardening_the_text_pattern_refuses_exactly_the_characters_the_api_refuses() -> None:
    """Every character, as Python's re and jsonschema-rs (the ECMA-262 reading schemathesis and
    other clients use) read the schema's pattern, against the rule the parsers apply. A lone
    surrogate, which only a JSON escape can make, is refused apart (docs/api.md)."""
    ecma = jsonschema_rs.validator_for({"type": "string", "pattern": TEXT_PATTERN})
    characters = [chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF]

    python_disagrees = [c for c in characters if bool(re.fullmatch(TEXT_PATTERN, c)) == has_control_characters(c)]
    some = [c for c in characters if ord(c) < 0x10000 or c in "😀\U0010ffff"]
    ecma_disagrees = [c for c in some if ecma.is_valid(c) == has_control_characters(c)]

    assert python_disagrees == ecma_disagrees == []
    assert not ecma.is_valid("Canvas\x00bag")
    assert ecma.is_valid("Tab\tline\nreturn\r, \x7f and 书包 😀")


def test_hardening_a_text_with_a_control_character_is_refused_as_the_schema_says(api: Client) -> None:
    response = api.patch("/api/v1/me/", {"name": "Li\x07"}, content_type="application/json")
    stated = schema.raw_schema["components"]["schemas"]["PatchedMeUpdateRequest"]["properties"]["name"]

    assert stated["pattern"] == TEXT_PATTERN
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["name"]


def test_hardening_a_message_body_states_its_length_as_sent(api: Client) -> None:
    components = schema.raw_schema["components"]["schemas"]
    too_long = {"body": " " + "x" * MAX_BODY_LENGTH, "order": 1}

    response = api.post("/api/v1/threads/", too_long, content_type="application/json")

    for name in ("MessageWriteRequest", "ThreadStartRequest"):
        assert components[name]["properties"]["body"]["maxLength"] == MAX_BODY_LENGTH == 10_000
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"body": ["A message can be at most 10000 characters."]}


def test_hardening_the_invited_suppliers_state_how_many_there_may_be(actors: dict[str, Actor]) -> None:
    components = schema.raw_schema["components"]["schemas"]
    buyer = actors["buyer"]
    rfq = open_rfq_of(buyer)

    # 51 ids, even of one supplier: refused as sent (the schema's maxItems), before duplicates go.
    invited = buyer.client.put(
        f"/api/v1/rfqs/{rfq.pk}/invited-suppliers/", {"suppliers": [1] * 51}, content_type="application/json"
    )

    for name in ("RfqWriteRequest", "PatchedRfqWriteRequest"):
        assert components[name]["properties"]["invited_suppliers"]["maxItems"] == MAX_INVITED == 50
        # None is fine: a public request needs no invitation (a private one needs one to publish).
        assert "minItems" not in components[name]["properties"]["invited_suppliers"]
    assert components["RfqInvitationsRequest"]["properties"]["suppliers"]["maxItems"] == MAX_INVITED
    assert invited.status_code == 400
    assert invited.json()["error"]["fields"] == {"suppliers": ["Invite at most 50 suppliers to one request."]}


SUPPLIER_IDS = [
    ("12", True),
    (" 12 , 34", True),
    ("12,,34,", True),
    (",", True),
    ("\u3000７", False),  # a full-width digit is no id
    ("0012", True),
    ("0", False),
    ("12 34", False),
    ("-12", False),
    ("12.0", False),
    ("1e3", False),
    (str(2**63 - 1), True),
    (str(2**63), False),
    ("9" * 19, False),
    ("12,x", False),
]


@pytest.mark.parametrize(("value", "accepted"), SUPPLIER_IDS)
def test_hardening_the_supplier_ids_of_a_plan_state_their_pattern(value: str, accepted: bool) -> None:
    """The pattern of `exclude` and `require` reads a value as buyers.plan_rules does: in Python's
    re and in jsonschema-rs alike; what it refuses, plan_rules refuses as not an id."""
    path = "/api/v1/rfqs/{id}/quotes/"
    for name in ("exclude", "require"):
        stated = next(p for p in schema.raw_schema["paths"][path]["get"]["parameters"] if p["name"] == name)
        patterns = [branch["pattern"] for branch in stated["schema"]["oneOf"] if "maxLength" not in branch]
        assert patterns == [SUPPLIER_IDS_PATTERN]
    ecma = jsonschema_rs.validator_for({"type": "string", "pattern": SUPPLIER_IDS_PATTERN})
    parsed = True
    for part in value.split(","):
        if part.strip():
            try:
                id_value(part, label="id")
            except ValueError:
                parsed = False

    assert bool(re.fullmatch(SUPPLIER_IDS_PATTERN, value)) == ecma.is_valid(value) == parsed == accepted


def test_hardening_a_plan_naming_what_is_no_supplier_id_is_refused(actors: dict[str, Actor]) -> None:
    buyer = actors["buyer"]
    rfq = open_rfq_of(buyer)

    response = buyer.client.get(f"/api/v1/rfqs/{rfq.pk}/quotes/", {"exclude": "12 34", "require": "  "})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["exclude"]
