"""Hostile input never reaches a 500 on a page (docs/security.md, "Hostile input").

A control character in an address or a form is refused with a 400 page that says where it is;
other scripts' digits, huge numbers and repeated parameters are read or ignored by the pages'
forms; a body too large is refused unread (413), an address too long 414.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.models import User
from tests.api.test_hardening import MEGABYTE, junk_answers, post_unread
from tests.buyers.builders_post import open_rfq_of, posting_world, rfq_form
from tests.conftest import Actor
from tests.factories import CategoryFactory
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db

PYTHON_WORDS = ("Traceback", "invalid literal", "Exceeds the limit", "ValueError", "NUL (0x00)")
# Digits int() reads (٣ is 3) or chokes on (² is a digit to str.isdigit()), huge and overflowing
# numbers, a parameter given twice.
JUNK = ["٣", "²", "9" * 25, "1e400", ["1", "two"]]
SEARCH = ["q", "category", "belt", "province", "verified", "cursor", "limit"]
# The main pages, who reads them, and the query parameters each reads.
PAGES = [
    ("anonymous", "/belts/", ["province", "category", "page", "page_size"]),
    ("anonymous", "/suppliers/search/", [*SEARCH, "quantity", "max_price", "max_moq", "max_lead_time", "sort"]),
    ("anonymous", "/suppliers/directory/", SEARCH),
    ("anonymous", "/insights/", ["weeks"]),
    ("anonymous", "product", ["quantity"]),
    ("supplier", "/suppliers/catalog/", ["q", "status", "category", "page", "page_size"]),
    ("supplier", "/rfqs/inbox/", ["status", "answer", "category", "page", "page_size"]),
    ("supplier", "/rfqs/board/", ["category", "page", "page_size"]),
    ("supplier", "/orders/sales/", ["status", "counterparty", "placed_from", "placed_to", "page", "page_size"]),
    ("buyer", "/rfqs/", ["status", "page", "page_size"]),
    ("buyer", "/rfqs/new/", ["product", "supplier"]),
    ("buyer", "/rfqs/suppliers/", ["q"]),
    ("buyer", "rfq comparison", ["currency", "sort", "exclude", "require", "max_share", "min_suppliers"]),
    ("buyer", "/orders/", ["status", "counterparty", "placed_from", "placed_to", "page", "page_size"]),
    ("buyer", "/orders/messages/", ["page", "page_size"]),
    ("buyer", "/notifications/", ["page", "page_size"]),
    ("staff", "/verification/queue/", ["kind", "belt", "page", "page_size"]),
    ("staff", "/staff/belts/", ["status", "page", "page_size"]),
]


@pytest.fixture(params=PAGES, ids=[address for _who, address, _names in PAGES])
def page(actors: dict[str, Actor], request: pytest.FixtureRequest) -> tuple[str, Client, list[str]]:
    """Each main page in turn: its address (a product or an RFQ of the reader's where it needs one),
    the client of the actor that reads it, the query parameters it reads."""
    who, address, names = request.param
    actor = actors[who]
    if address == "product":
        address = reverse("suppliers:product_detail", args=[ProductFactory(category=CategoryFactory()).pk])
    elif address == "rfq comparison":
        address = reverse("buyers:rfq_quotes", args=[open_rfq_of(actor).pk])
    assert actor.client.get(address).status_code == 200, f"{address} is not readable as set up here"
    return address, actor.client, names


def assert_refused_page(response: Any, status: int, *words: str) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Request not accepted" in page
    for word in words:
        assert word in page, word
    assert not any(word in page for word in PYTHON_WORDS)
    return page


def test_hardening_a_control_character_in_the_query_of_a_page_is_a_400_page_naming_the_parameter(
    page: tuple[str, Client, list[str]],
) -> None:
    address, client, names = page
    for name in names:
        response = client.get(address, {name: "bags\x00"})

        assert_refused_page(response, 400, "control character", f"“{name}”")


def test_hardening_foreign_digits_huge_numbers_and_repeated_parameters_never_break_a_page(
    page: tuple[str, Client, list[str]],
) -> None:
    for name, value, response in junk_answers(*page, JUNK):
        assert response.status_code in {200, 400}, f"{name}={value!r}: {response.status_code}"
        assert not any(word in response.content.decode() for word in PYTHON_WORDS), f"{name}={value!r}"


def test_hardening_arabic_indic_digits_in_a_quantity_are_not_read_as_a_number(actors: dict[str, Actor]) -> None:
    product = ProductFactory(moq=3, tiers=[(3, "10.00")])

    response = actors["buyer"].client.get(reverse("suppliers:product_price", args=[product.pk]), {"quantity": "٣"})

    assert response.status_code in {200, 400}
    assert "whole number" in response.content.decode()


def test_hardening_a_control_character_in_a_form_is_a_400_page_naming_the_field(client: Client) -> None:
    response = client.post(
        reverse("signup_buyer"),
        {"name": "Acme\x00", "email": "acme@example.com", "password1": "a-long-passphrase-1"},
    )

    assert_refused_page(response, 400, "The form holds a control character", "“name”")
    assert not User.objects.filter(email="acme@example.com").exists()


def test_hardening_an_htmx_request_gets_the_refusal_as_its_event(client: Client) -> None:
    response = client.get("/suppliers/search/", {"q": "\x00"}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert "domain-error" in response["HX-Trigger"]
    assert "control character" in response.content.decode()


def test_hardening_a_nul_byte_in_a_page_address_is_the_404_page(client: Client) -> None:
    response = client.get("/belts/baigou%00/")

    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()


def test_hardening_a_50_mb_form_is_refused_with_a_413_page_before_it_is_read(actors: dict[str, Actor]) -> None:
    response, body = post_unread(actors["buyer"].client, reverse("buyers:rfq_create"))

    assert_refused_page(response, 413, "(50 MB)", "at most 32 MB")
    assert body.bytes_read == 0


def test_hardening_more_form_text_than_django_reads_is_a_413_page(actors: dict[str, Actor]) -> None:
    categories = posting_world()
    form = rfq_form(categories["school"], description="x" * (3 * MEGABYTE))

    response = actors["buyer"].client.post(reverse("buyers:rfq_create"), form)

    assert_refused_page(response, 413, "2.5 MB")


def test_hardening_an_address_too_long_is_a_414_page(client: Client) -> None:
    response = client.get("/suppliers/search/", {"q": "bag " * 2100})

    assert_refused_page(response, 414, "8,000")


def test_hardening_an_unhandled_exception_on_a_page_is_the_500_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug nobody expected")

    monkeypatch.setattr("marketplace.views.kernel.belt_directory", broken)

    response = Client(raise_request_exception=False).get("/belts/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in response.content.decode()
