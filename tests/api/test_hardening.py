"""Hostile input never reaches a 500 through the API (docs/security.md, "Hostile input").

Control characters, non-ASCII digits, huge numbers, wrong types and missing nested keys answer
400 in the one error shape, naming what is at fault; a body too large is refused unread (413), an
address too long 414, and an exception nothing expected is a JSON 500 with its code.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from marketplace.api import parsers
from suppliers.models import Product
from tests.buyers.builders_post import open_rfq_of, pdf
from tests.conftest import Actor
from tests.factories import CategoryFactory, IndustrialBeltFactory
from tests.orders.builders_messages import rfq_thread
from tests.suppliers.factories_catalog import ProductFactory
from tests.suppliers.test_api_catalog import backpack, token_client
from tests.test_schemathesis import schema

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024
MULTIPART = "multipart/form-data; boundary=b"
PYTHON_WORDS = ("Traceback", "invalid literal", "Exceeds the limit", "ValueError", "KeyError", "NUL (0x00)")
CONTROL_CHARACTERS = ["\x00", "bags\x00", "\x1b[2J"]
# Values that are no number and no slug: other scripts' digits, huge and overflowing numbers,
# a repeated parameter where one is expected, JSON words.
JUNK = ["٣", "²", "9" * 25, "1e400", "-1", "null", ["1", "two"], "🙂"]
# The actor that may read each private list (anyone else reads the public ones as the buyer).
SUPPLIER_PATHS = ("/api/v1/catalog/", "/api/v1/inbox/", "/api/v1/rfq-board/", "/api/v1/verification/")


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the API's one error shape with this status and code, in words."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert not any(word in response.content.decode() for word in PYTHON_WORDS), response.content[:300]
    return error


def _operations_with_query_parameters() -> list[tuple[str, list[str]]]:
    found = []
    for path, operations in schema.raw_schema["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        names = [parameter["name"] for parameter in parameters if parameter["in"] == "query"]
        if names:
            found.append((path, names))
    return found


QUERY_OPERATIONS = _operations_with_query_parameters()


@pytest.fixture(params=QUERY_OPERATIONS, ids=[path for path, _names in QUERY_OPERATIONS])
def reader(actors: dict[str, Actor], request: pytest.FixtureRequest) -> tuple[str, Client, list[str]]:
    """Each API operation with query parameters in turn: its address (path parameters filled with
    objects the reader may see), the client of an actor that may read it, its parameters' names."""
    path, names = request.param
    buyer, supplier = actors["buyer"], actors["supplier"]
    category = CategoryFactory(slug="bags")
    belt = IndustrialBeltFactory(slug="baigou", specialties=[category])
    objects = {
        "/api/v1/products/{id}/": lambda: ProductFactory(supplier=supplier.supplier, category=category).pk,
        "/api/v1/rfqs/{id}/quotes/": lambda: open_rfq_of(buyer, category=category).pk,
        "/api/v1/threads/{id}/messages/": lambda: rfq_thread(buyer, supplier).pk,
        "/api/v1/insights/belts/{slug}/demand/": lambda: belt.slug,
    }
    address = path
    if "{" in path:
        key = path[path.index("{") : path.index("}") + 1]
        address = path.replace(key, str(objects[path]()))  # a new operation needs its object here
    if path.startswith("/api/v1/insights/belts/"):
        client = actors["staff"].client
    elif path.startswith(SUPPLIER_PATHS):
        client = supplier.client
    else:
        client = buyer.client
    assert client.get(address).status_code == 200, f"{address} is not readable as set up here"
    return address, client, names


def junk_answers(address: str, client: Client, names: list[str], junk: list[Any]) -> Iterator[tuple[str, Any, Any]]:
    """Each of the parameters `names` sent alone with each value of `junk`: the name, the value, the answer."""
    for name in names:
        for value in junk:
            yield name, value, client.get(address, {name: value})


def test_hardening_a_control_character_in_any_query_parameter_of_any_api_list_is_a_400_naming_it(
    reader: tuple[str, Client, list[str]],
) -> None:
    address, client, names = reader
    for number, name in enumerate(names):
        value = CONTROL_CHARACTERS[number % len(CONTROL_CHARACTERS)]

        error = assert_error(client.get(address, {name: value}), 400, "invalid")

        assert list(error["fields"]) == [name]
        assert "control character" in error["fields"][name][0]


def test_hardening_foreign_digits_huge_numbers_and_wrong_types_in_api_lists_answer_200_or_a_400_never_500(
    reader: tuple[str, Client, list[str]],
) -> None:
    for name, value, response in junk_answers(*reader, JUNK):
        if name == "cursor" and response.status_code == 404:
            assert_error(response, 404, "not_found")  # as for any cursor we did not write
            continue
        assert response.status_code in {200, 400}, f"{name}={value!r}: {response.status_code}"
        if response.status_code == 400:
            error = assert_error(response, 400, "invalid")
            assert name in error.get("fields", {}), f"{name}={value!r}: {error}"


def test_hardening_a_nul_byte_in_an_api_path_is_a_404_in_the_error_shape(client: Client) -> None:
    for address in ("/api/v1/belts/%00/", "/api/v1/categories/bags%00/", "/api/v1/products/%00/"):
        assert_error(client.get(address), 404, "not_found")


# --- JSON bodies ------------------------------------------------------------------------------

PRODUCTS = "/api/v1/catalog/products/"


@pytest.fixture
def seller(actors: dict[str, Actor]) -> Actor:
    """A supplier's program (an API token, no session) with the category of `backpack`."""
    actor = actors["supplier"]
    actor.client = token_client(actor.user)
    CategoryFactory(slug="school-backpacks")
    return actor


def send(client: Client, body: Any, *, method: str = "post", url: str = PRODUCTS) -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, text, content_type="application/json")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Backpack\x00"}, "title"),
        ({"description": "Straps \x07 and \x1b[31m colours"}, "description"),
        ({"title": "\ud800"}, "title"),  # half of a surrogate pair: UTF-8 cannot encode it
        ({"tiers": [{"min_quantity": 500, "unit_price": "12.50\x00"}]}, "tiers"),
        ({"attributes": [{"name": "material\x00", "value": "PVC"}]}, "attributes"),
        ({"colour\x00": "red"}, "colour\ufffd"),
    ],
    ids=["nul", "bell-and-escape", "lone-surrogate", "nested-nul", "nested-name", "nul-in-a-key"],
)
def test_hardening_a_control_character_anywhere_in_a_json_body_is_a_400_naming_the_field(
    seller: Actor, changes: dict[str, Any], field: str
) -> None:
    error = assert_error(send(seller.client, backpack(**changes)), 400, "invalid")

    assert list(error["fields"]) == [field]
    assert not Product.objects.exists()


def test_hardening_tabs_and_line_breaks_are_text_like_any_other(seller: Actor) -> None:
    response = send(seller.client, backpack(description="Straps:\n\tpadded\r\n\treinforced"))

    assert response.status_code == 201, response.content
    assert response.json()["description"] == "Straps:\n\tpadded\r\n\treinforced"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"moq": "٥٠٠"}, "moq"),
        ({"moq": 99999999999999999999999}, "moq"),
        ({"moq": {"value": 500}}, "moq"),
        ({"moq": None}, "moq"),
        ({"title": ["Backpack"]}, "title"),
        ({"title": {"en": "Backpack"}}, "title"),
        ({"category": 5}, "category"),
        ({"currency": ["CNY"]}, "currency"),
        ({"sample_price": {"amount": "3"}}, "sample_price"),
        ({"tiers": "cheap"}, "tiers"),
        ({"tiers": [500]}, "tiers"),
        ({"tiers": [{"min_quantity": "１e3", "unit_price": "12.50"}]}, "tiers"),
        ({"tiers": [{"min_quantity": 500, "unit_price": 1e300}]}, "tiers"),
        ({"attributes": {"name": "material"}}, "attributes"),
        ({"attributes": [["material", "PVC"]]}, "attributes"),
    ],
    ids=str,
)
def test_hardening_wrong_types_and_numbers_no_field_takes_are_a_400_naming_the_field(
    seller: Actor, changes: dict[str, Any], field: str
) -> None:
    error = assert_error(send(seller.client, backpack(**changes)), 400, "invalid")

    assert field in error["fields"]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "number", ["9" * 5000, "1e400", "-1e400"], ids=["five-thousand-digits", "overflow", "negative-overflow"]
)
def test_hardening_a_json_number_too_long_or_too_large_for_any_field_is_refused_in_words(
    seller: Actor, number: str
) -> None:
    body = json.dumps(backpack(moq=0)).replace('"moq": 0', f'"moq": {number}')

    error = assert_error(send(seller.client, body), 400, "parse_error")

    assert "number" in error["message"]


def test_hardening_a_patch_of_tiers_without_a_price_is_a_400_and_changes_nothing(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier, moq=5, tiers=[(5, "12.50")])
    url = f"{PRODUCTS}{product.pk}/"

    tier_without_price = send(seller.client, {"tiers": [{"min_quantity": 5}]}, method="patch", url=url)
    attribute_without_value = send(seller.client, {"attributes": [{"name": "colour"}]}, method="patch", url=url)

    required = ["This field is required."]
    assert assert_error(tier_without_price, 400, "invalid")["fields"] == {"tiers": required}
    assert assert_error(attribute_without_value, 400, "invalid")["fields"] == {"attributes": required}
    assert [(tier.min_quantity, tier.unit_price) for tier in product.tiers.all()] == [(5, Decimal("12.50"))]


def test_hardening_a_patch_of_whole_tiers_still_replaces_them(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT, moq=5, tiers=[(5, "12.50")])

    response = send(
        seller.client,
        {"tiers": [{"min_quantity": 5, "unit_price": "12.00"}, {"min_quantity": 50, "unit_price": "11.00"}]},
        method="patch",
        url=f"{PRODUCTS}{product.pk}/",
    )

    assert response.status_code == 200, response.content
    assert [tier["min_quantity"] for tier in response.json()["tiers"]] == [5, 50]


def test_hardening_form_and_multipart_api_bodies_are_held_to_the_same_rule(actors: dict[str, Actor]) -> None:
    buyer = actors["buyer"]
    rfq = open_rfq_of(buyer)

    form = buyer.client.post("/api/v1/tokens/", {"name": "ERP\x00"})
    multipart = buyer.client.post(f"/api/v1/rfqs/{rfq.pk}/attachments/", {"files": [pdf()], "note": "see\x00"})

    assert assert_error(form, 400, "invalid")["fields"] == {"name": [parsers.control_character_message()]}
    assert list(assert_error(multipart, 400, "invalid")["fields"]) == ["note"]
    assert not rfq.attachments.exists()


def _api_views() -> list[tuple[str, type]]:
    def walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append((prefix + str(pattern.pattern), pattern.callback))
        return found

    return [
        (route, view.cls)
        for route, view in walk(get_resolver().url_patterns)
        if route.startswith("api/") and hasattr(view, "cls")
    ]


def test_hardening_every_api_view_reads_its_body_with_the_checking_parsers() -> None:
    views = _api_views()
    unchecked = [
        f"{route}: {parser.__module__}.{parser.__name__}"
        for route, view in views
        for parser in view.parser_classes
        if parser.__module__ != parsers.__name__
    ]

    assert len(views) > 50
    assert unchecked == []


# --- Sizes --------------------------------------------------------------------------------------


class UnreadBody(io.RawIOBase):
    """A request body that says how much of it was read."""

    def __init__(self) -> None:
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = b"x" * (64 * 1024 if size is None or size < 0 else min(size, 64 * 1024))
        self.bytes_read += len(chunk)
        return chunk


def post_unread(client: Client, url: str, *, megabytes: int = 50) -> tuple[Any, UnreadBody]:
    """POST a multipart body of `megabytes` that counts how much of it the server reads."""
    body = UnreadBody()
    response = client.generic(
        "POST",
        url,
        **{"wsgi.input": body, "CONTENT_LENGTH": str(megabytes * MEGABYTE), "CONTENT_TYPE": MULTIPART},
    )
    return response, body


def test_hardening_a_50_mb_upload_to_the_api_is_refused_with_413_before_it_is_read(actors: dict[str, Actor]) -> None:
    buyer = actors["buyer"]
    rfq = open_rfq_of(buyer)

    response, body = post_unread(buyer.client, f"/api/v1/rfqs/{rfq.pk}/attachments/")

    error = assert_error(response, 413, "too_large")
    assert "(50 MB)" in error["message"]
    assert "at most 32 MB" in error["message"]
    assert body.bytes_read == 0


def test_hardening_the_body_limit_is_configurable(actors: dict[str, Actor], settings: Any) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 60 * MEGABYTE
    buyer = actors["buyer"]
    rfq = open_rfq_of(buyer)

    response, _body = post_unread(buyer.client, f"/api/v1/rfqs/{rfq.pk}/attachments/")

    assert response.status_code == 400  # read, and found to be no multipart body at all


def test_hardening_json_text_over_the_form_text_limit_is_a_413_in_the_error_shape(seller: Actor) -> None:
    response = send(seller.client, backpack(description="x" * (3 * MEGABYTE)))

    error = assert_error(response, 413, "too_large")
    assert "2.5 MB" in error["message"]


def test_hardening_an_address_too_long_is_a_414_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/products/", {"q": "bag " * 2100})

    error = assert_error(response, 414, "uri_too_long")
    assert "8,000" in error["message"]


# --- 500 ----------------------------------------------------------------------------------------


def test_hardening_an_unhandled_exception_under_the_api_is_a_json_500_with_its_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug nobody expected")

    monkeypatch.setattr("marketplace.api.views.belt_directory", broken)

    response = Client(raise_request_exception=False).get("/api/v1/belts/")

    error = assert_error(response, 500, "server_error")
    assert "a bug nobody expected" not in response.content.decode()
    assert "logged" in error["message"]
