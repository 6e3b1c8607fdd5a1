"""An RFQ's fields have one source, `buyers.rfq_rules.RfqData`: the form, the API and the posting
service take exactly its fields, and a request posted through the page and the same request posted
through the API are stored and read back alike, field by field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buyers.api.serializers.rfqs import RfqSerializer, RfqWriteSerializer
from buyers.forms.rfqs import RfqForm, datetime_local
from buyers.models import SourcingRequest
from buyers.rfq_rules import RFQ_FIELDS, rfq_input_of
from marketplace.services.api_tokens import api_token_create
from tests.buyers.builders_post import in_days, posting_world
from tests.factories import CompanyFactory, MembershipFactory
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db
PAGE_ONLY = {"attachments", "remove_attachments"}  # files are uploaded besides the RFQ's fields


def test_the_form_the_api_and_the_model_take_exactly_the_fields_of_rfq_data() -> None:
    columns = {field.name for field in SourcingRequest._meta.concrete_fields}

    assert set(RfqForm.base_fields) - PAGE_ONLY == set(RFQ_FIELDS)
    assert set(RfqWriteSerializer().fields) == set(RFQ_FIELDS)
    assert set(RFQ_FIELDS) <= set(RfqSerializer.Meta.fields)
    assert set(RFQ_FIELDS) - columns == {"invited_suppliers"}, "every other field is a column of the same name"


@pytest.fixture
def world() -> dict[str, Any]:
    """A buyer with a browser and a program, and a product of another company to ask a quote for."""
    categories = posting_world()
    membership = MembershipFactory(company=CompanyFactory(country="LK"))
    page = Client()
    page.force_login(membership.user)
    _token, key = api_token_create(user=membership.user, name="erp")
    product = ProductFactory(category=categories["school"], moq=500)
    return {
        "company": membership.company,
        "page": page,
        "program": Client(headers={"Authorization": f"Token {key}"}),
        "school": categories["school"],
        "product": product,
    }


def every_field(world: dict[str, Any]) -> dict[str, Any]:
    """A value for every RFQ field, none of them a default, as a stored RFQ gives it back."""
    product = world["product"]
    values = {
        "title": "Transparent school backpacks",
        "description": "Clear PVC, reinforced straps. 透明书包",
        "category": world["school"].pk,
        "quantity": 50_000,
        "unit": "set",
        "target_unit_price": "3.2500",
        "currency": "EUR",
        "destination_country": "LK",
        "destination_city": "Colombo",
        "incoterm": "CIF",
        "required_by": timezone.localdate() + timedelta(days=21),
        "quote_deadline": in_days(7),
        "visibility": "private",
        "allow_split": True,
        "max_quotes": 8,
        "invited_suppliers": [product.supplier.pk],
        "source_product": product.pk,
    }
    assert list(values) == list(RFQ_FIELDS), "this test gives every field"
    return values


def as_form(values: dict[str, Any]) -> dict[str, Any]:
    return {
        **values,
        "category": str(values["category"]),
        "quantity": "50,000",  # as a person types it
        "required_by": values["required_by"].isoformat(),
        "quote_deadline": datetime_local(values["quote_deadline"]),
        "allow_split": "on",
        "invited_suppliers": ", ".join(str(pk) for pk in values["invited_suppliers"]),
        "action": "save",
    }


def as_json(values: dict[str, Any], *, category_slug: str) -> dict[str, Any]:
    return {
        **values,
        "category": category_slug,
        "required_by": values["required_by"].isoformat(),
        "quote_deadline": values["quote_deadline"].isoformat(),
    }


def stored(rfq: SourcingRequest) -> dict[str, Any]:
    values = rfq_input_of(SourcingRequest.objects.get(pk=rfq.pk))
    return {**values, "target_unit_price": f"{values['target_unit_price']:f}"}


def read_back(world: dict[str, Any], rfq: SourcingRequest) -> dict[str, Any]:
    answer = world["program"].get(f"/api/v1/rfqs/{rfq.pk}/").json()
    return {name: answer[name] for name in RFQ_FIELDS}


def test_every_field_posted_through_the_page_or_the_api_is_stored_and_read_back_alike(world: dict[str, Any]) -> None:
    values = every_field(world)

    page = world["page"].post(reverse("buyers:rfq_create"), as_form(values))
    program = world["program"].post(
        "/api/v1/rfqs/", as_json(values, category_slug=world["school"].slug), content_type="application/json"
    )

    assert page.status_code == 302, page.content.decode()[:2000]
    assert program.status_code == 201, program.json()
    from_page, from_program = SourcingRequest.objects.filter(buyer=world["company"]).order_by("id")
    assert stored(from_page) == values
    assert stored(from_program) == values
    assert read_back(world, from_page) == read_back(world, from_program)


def test_an_edit_that_changes_nothing_stores_the_same_rfq_through_the_page_and_the_api(world: dict[str, Any]) -> None:
    values = every_field(world)
    world["page"].post(reverse("buyers:rfq_create"), as_form(values))
    rfq = SourcingRequest.objects.get(buyer=world["company"])

    form = RfqForm.initial_from(rfq)
    response = world["page"].post(reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk}), {**form, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(rfq) == values

    response = world["program"].patch(f"/api/v1/rfqs/{rfq.pk}/", {}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert stored(rfq) == values
