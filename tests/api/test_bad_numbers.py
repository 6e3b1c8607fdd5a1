"""Numbers and ids that are not plainly numbers (², ١, full-width １, 1e3, -1, 5,000 digits) never
answer 500 nor show Python's words: the API answers 400 in its error shape naming the field, the
pages show the form, and full-width quantities are folded the same way everywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework import serializers

from buyers.models import Quote, SourcingRequest
from marketplace.api.fields import AmountField, RelatedIdField, WholeNumberField
from marketplace.forms.fields import ModelIdChoiceField
from marketplace.forms.kernel import PageForm
from marketplace.models import Category
from tests.buyers.builders_post import posting_world, rfq_body, rfq_form
from tests.buyers.factories import SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.conftest import Actor
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db
RFQS = "/api/v1/rfqs/"
HUGE = "9" * 5000
PYTHON_WORDS = ("invalid literal", "int()", "Exceeds the limit", "ValueError", "Traceback", "decimal.")


def full_width(number: int) -> str:
    return "".join(chr(0xFF10 + int(digit)) for digit in str(number))


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return posting_world()


@pytest.fixture
def buyer(actors: dict[str, Actor], world: dict[str, Any]) -> Actor:
    return actors["buyer"]


def post_rfq(client: Client, **overrides: Any) -> Any:
    return client.post(RFQS, rfq_body(**overrides), content_type="application/json")


def refused_fields(response: Any) -> dict[str, list[str]]:
    """The fields of a 400 in the API's one error shape, after checking no Python text leaked."""
    assert response.status_code == 400, response.content[:500]
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert all(word not in response.content.decode() for word in PYTHON_WORDS)
    return error["fields"]


# --- The page that started it: "Request a quote" with a bad product --------------------------------


@pytest.mark.parametrize("product", ["²", "١", "１", "-1", "1e3", HUGE])
def test_the_new_rfq_page_with_a_bad_product_shows_the_form_and_says_the_product_is_not_offered(
    buyer: Actor, product: str
) -> None:
    response = buyer.client.get(reverse("buyers:rfq_create"), {"product": product})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="title"' in page
    assert "not offered any more" in page


def test_a_full_width_product_id_is_not_taken_for_the_product(buyer: Actor, world: dict[str, Any]) -> None:
    product = ProductFactory(category=world["school"])

    page = buyer.client.get(reverse("buyers:rfq_create"), {"product": full_width(product.pk)}).content.decode()

    assert "not offered any more" in page
    assert product.title not in page


# --- The award form and the award API ------------------------------------------------------------


@pytest.fixture
def closed_rfq_with_a_quote(buyer: Actor) -> tuple[SourcingRequest, Quote]:
    rfq = SourcingRequestFactory(buyer=buyer.company, quantity=50_000, status=SourcingRequest.Status.CLOSED)
    return rfq, QuoteFactory(rfq=rfq)


@pytest.mark.parametrize(
    "form",
    [
        lambda quote: {"mode": "split", f"qty_{quote.pk}": "²"},
        lambda quote: {"mode": "split", f"qty_{quote.pk}": HUGE},
        lambda quote: {"mode": "split", f"qty_{quote.pk}": "1e3"},
        lambda quote: {"mode": "split", "qty_²": "1000"},
        lambda quote: {"mode": "single", "quote": "²"},
        lambda quote: {"mode": "single", "quote": full_width(quote.pk)},
        lambda quote: {"mode": "single", "quote": HUGE},
    ],
)
def test_an_award_with_a_bad_quantity_or_quote_goes_back_with_a_message_and_awards_nothing(
    buyer: Actor, closed_rfq_with_a_quote: tuple[SourcingRequest, Quote], form: Any
) -> None:
    rfq, quote = closed_rfq_with_a_quote

    response = buyer.client.post(reverse("orders:rfq_award", kwargs={"pk": rfq.pk}), form(quote), follow=True)

    assert response.status_code in {200, 404}
    assert all(word not in response.content.decode() for word in PYTHON_WORDS)
    rfq.refresh_from_db()
    assert rfq.status == SourcingRequest.Status.CLOSED


@pytest.mark.parametrize("quote_id", ["²", "１", -1, True, HUGE])
def test_the_award_api_refuses_a_quote_that_is_not_an_id(
    buyer: Actor, closed_rfq_with_a_quote: tuple[SourcingRequest, Quote], quote_id: Any
) -> None:
    rfq, quote = closed_rfq_with_a_quote
    body = {"allocations": [{"quote": quote_id, "version": quote.version, "quantity": 50_000}]}

    response = buyer.client.post(f"/api/v1/rfqs/{rfq.pk}/award/", body, content_type="application/json")

    assert "allocations" in refused_fields(response)


# --- POST /api/v1/rfqs/ ---------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["²", "١", "１", "1e3", "-1", "+1", HUGE])
def test_an_rfq_with_a_category_that_is_not_an_id_or_slug_is_refused_naming_the_category(
    buyer: Actor, category: str
) -> None:
    fields = refused_fields(post_rfq(buyer.client, category=category))

    assert set(fields) == {"category"}
    assert fields["category"][0].startswith("There is no category")
    assert not SourcingRequest.objects.exists()


def test_a_full_width_category_id_is_not_read_as_the_category(buyer: Actor, world: dict[str, Any]) -> None:
    school = world["school"]
    assert post_rfq(buyer.client, category=str(school.pk)).status_code == 201

    fields = refused_fields(post_rfq(buyer.client, category=full_width(school.pk)))

    assert fields["category"] == [f"There is no category “{full_width(school.pk)}”: choose one from the list."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "²", "The quantity must be a whole number."),
        ("quantity", "1e3", "The quantity must be a whole number."),
        ("quantity", "1_000", "The quantity must be a whole number."),
        ("quantity", True, "The quantity must be a whole number."),
        ("quantity", 12.5, "The quantity must be a whole number."),
        ("quantity", HUGE, "The quantity can be at most 100,000,000."),
        ("quantity", "-5", "The quantity must be at least 1."),
        ("target_unit_price", "NaN", "The target unit price must be a number such as 12.50."),
        ("target_unit_price", "٣.٢", "The target unit price must be a number such as 12.50."),
        ("target_unit_price", HUGE, "The target unit price can be at most 9,999,999,999."),
        ("max_quotes", "Infinity", "The most quotes wanted must be a whole number."),
        ("source_product", "１", "The product must be given by its id, a whole number such as 42."),
        ("source_product", HUGE, "The product must be given by its id, a whole number such as 42."),
    ],
)
def test_bad_numbers_in_an_rfq_are_refused_in_words(buyer: Actor, field: str, value: Any, message: str) -> None:
    fields = refused_fields(post_rfq(buyer.client, **{field: value}))

    assert fields[field] == [message]


@pytest.mark.parametrize("invited", [["１"], ["²"], [-1], [True], [12.0], [HUGE]])
def test_invited_suppliers_that_are_not_ids_are_refused(buyer: Actor, invited: list[Any]) -> None:
    fields = refused_fields(post_rfq(buyer.client, invited_suppliers=invited))

    assert fields["invited_suppliers"] == ["Each invited supplier must be given by its id, a whole number such as 42."]


def test_a_full_width_quantity_and_price_are_folded_as_the_form_folds_them(buyer: Actor) -> None:
    created = post_rfq(buyer.client, quantity="５０，０００", target_unit_price="３．２０")

    assert created.status_code == 201, created.content
    assert (created.json()["quantity"], created.json()["target_unit_price"]) == (50000, "3.2000")


def test_the_rfq_form_refuses_the_same_numbers_with_the_same_messages(buyer: Actor, world: dict[str, Any]) -> None:
    response = buyer.client.post(
        reverse("buyers:rfq_create"), rfq_form(world["school"], quantity="²", target_unit_price="1e3")
    )

    page = response.content.decode()
    assert response.status_code in {200, 400}
    assert "The quantity must be a whole number." in page
    assert "The target unit price must be a number such as 12.50." in page
    assert not SourcingRequest.objects.exists()


# --- Filters and pages of the public API ----------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "１", "1e3", "-1", HUGE])
def test_a_product_search_by_a_category_that_is_no_slug_is_refused_naming_it(client: Client, value: str) -> None:
    fields = refused_fields(client.get("/api/v1/products/", {"category": value}))

    assert set(fields) == {"category"}


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("quantity", "²", "The quantity must be a whole number."),
        ("quantity", HUGE, "The quantity can be at most 100,000,000."),
        ("max_price", "NaN", "The highest unit price must be a number such as 12.50."),
        ("max_price", "1e3", "The highest unit price must be a number such as 12.50."),
        ("max_moq", "٣", "The highest minimum order quantity must be a whole number."),
        ("max_lead_time", "0x10", "The longest lead time must be a whole number."),
        ("limit", "1_0", "The number of results per page must be a whole number."),
    ],
)
def test_bad_numbers_in_the_product_search_are_refused_in_words(
    client: Client, world: dict[str, Any], parameter: str, value: str, message: str
) -> None:
    fields = refused_fields(client.get("/api/v1/products/", {parameter: value}))

    assert fields == {parameter: [message]}


def test_a_full_width_quantity_in_the_search_is_read_as_the_same_quantity(
    client: Client, world: dict[str, Any]
) -> None:
    ProductFactory(category=world["school"], moq=500, tiers=[(500, "12.50")])

    ascii_digits = client.get("/api/v1/products/", {"quantity": "1000"})
    full_width_digits = client.get("/api/v1/products/", {"quantity": "１０００"})

    assert full_width_digits.status_code == ascii_digits.status_code == 200
    assert full_width_digits.json()["quantity"] == ascii_digits.json()["quantity"] == 1000
    assert full_width_digits.json()["results"] == ascii_digits.json()["results"]


@pytest.mark.parametrize("size", ["²", "1e3", "-1", "0", "null", "501", HUGE])
def test_hardening_a_bad_page_size_is_refused_as_the_schema_says(
    client: Client, world: dict[str, Any], size: str
) -> None:
    response = client.get("/api/v1/categories/", {"page_size": size})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["page_size"]


def test_hardening_an_empty_page_size_gives_the_usual_page(client: Client, world: dict[str, Any]) -> None:
    response = client.get("/api/v1/categories/", {"page_size": ""})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_a_full_width_page_size_is_read_as_every_whole_number_is(client: Client, world: dict[str, Any]) -> None:
    response = client.get("/api/v1/categories/", {"page_size": "２"})

    assert len(response.json()["results"]) == 2


@pytest.mark.parametrize("depth", ["²", "1e0", "1_0", HUGE])
def test_a_bad_category_depth_is_refused_naming_it(client: Client, world: dict[str, Any], depth: str) -> None:
    fields = refused_fields(client.get("/api/v1/categories/", {"depth": depth}))

    assert set(fields) == {"depth"}


def test_a_product_price_at_a_bad_quantity_is_refused_in_words(client: Client, world: dict[str, Any]) -> None:
    product = ProductFactory(category=world["school"], tiers=[(100, "12.50")])

    fields = refused_fields(client.get(f"/api/v1/products/{product.pk}/", {"quantity": "²"}))

    assert fields == {"quantity": ["The quantity must be a whole number."]}


def test_the_product_search_page_ignores_bad_numbers_and_says_which(client: Client, world: dict[str, Any]) -> None:
    response = client.get(
        reverse("suppliers:search"), {"quantity": "²", "category": "１", "belt": HUGE, "max_price": "NaN"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The quantity must be a whole number." in page
    assert all(word not in page for word in PYTHON_WORDS)


# --- The fields themselves ------------------------------------------------------------------------


class _Body(serializers.Serializer):
    category = RelatedIdField(subject="The category", queryset=Category.objects.all())
    quantity = WholeNumberField(subject="The quantity", min_value=1, max_value=1000, required=False)
    freight = AmountField(subject="The freight", min_value=Decimal("0"), decimal_places=2, required=False)
    pages = WholeNumberField(required=False, min_value=1, error_messages={"invalid": "Give pages as {input}?"})


def errors_of(data: dict[str, Any]) -> dict[str, list[str]]:
    body = _Body(data=data)
    assert not body.is_valid()
    return {name: [str(message) for message in messages] for name, messages in body.errors.items()}


def test_a_related_id_field_reads_the_id_before_the_lookup(world: dict[str, Any]) -> None:
    school = world["school"]

    assert _Body(data={"category": str(school.pk)}).is_valid()
    assert _Body(data={"category": school.pk}).is_valid()
    assert errors_of({"category": full_width(school.pk)}) == {
        "category": ["The category must be given by its id, a whole number such as 42."]
    }
    assert errors_of({"category": HUGE})["category"] == [
        "The category must be given by its id, a whole number such as 42."
    ]
    assert errors_of({"category": 10**12}) == {"category": [f"The category with the id {10**12} does not exist."]}


def test_number_fields_keep_json_numbers_bounds_zero_and_their_own_messages(world: dict[str, Any]) -> None:
    body = _Body(data={"category": world["bags"].pk, "quantity": 12.0, "freight": "0", "pages": "２"})
    assert body.is_valid(), body.errors
    assert (body.validated_data["quantity"], body.validated_data["freight"], body.validated_data["pages"]) == (
        12,
        Decimal("0.00"),
        2,
    )

    errors = errors_of({"category": world["bags"].pk, "quantity": True, "freight": "1.005", "pages": "x"})
    assert errors == {
        "quantity": ["The quantity must be a whole number."],
        "freight": ["Ensure that there are no more than 2 decimal places."],
        "pages": ["Give pages as x?"],
    }
    assert errors_of({"category": world["bags"].pk, "quantity": "1001"}) == {
        "quantity": ["The quantity can be at most 1,000."]
    }


def test_a_model_choice_by_id_refuses_a_full_width_id_as_an_unknown_choice(world: dict[str, Any]) -> None:
    field = ModelIdChoiceField(queryset=Category.objects.all())

    assert field.clean(str(world["toys"].pk)) == world["toys"]
    for given in (full_width(world["toys"].pk), "²", "+1", HUGE):
        with pytest.raises(ValidationError) as refused:
            field.clean(given)
        assert refused.value.code == "invalid_choice"


def test_the_page_form_folds_full_width_pages_and_refuses_others_with_its_own_messages() -> None:
    assert PageForm({"page": "３", "page_size": "２０"}).is_valid()
    refused = PageForm({"page": "³", "page_size": HUGE})

    assert not refused.is_valid()
    assert refused.errors["page"] == ["The page must be a whole number; showing the first page."]
    assert refused.errors["page_size"] == ["The page size can be at most 100; showing the usual page size."]
