"""The API keeps its own promises: schemathesis calls every operation of the OpenAPI schema.

The schema is loaded from the application itself (through WSGI, no server), and every operation
is called with generated valid and invalid input, authenticated as a buyer with a fresh API
token. The test fails on any 5xx answer, and on any answer whose status code or body the schema
does not declare.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.models import ApiToken, IndustrialBelt, Notification
from marketplace.services.api_tokens import api_token_create
from marketplace.services.notifications import notify
from sourcebelt.wsgi import application
from tests.factories import (
    CategoryFactory,
    CurrencyFactory,
    ExchangeRateFactory,
    IndustrialBeltFactory,
    MembershipFactory,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def _wsgi_keeps_the_test_transaction() -> Iterator[None]:
    """Django's real WSGI handler closes "old" connections around each request, which inside the
    test's transaction would close it; Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db: None) -> str:
    """A little of everything the API shows, and the key of a buyer's fresh API token.

    The buyer also has a second token and a notification, for the operations on one object.
    """
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    backpacks = CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)
    CategoryFactory(slug="school-backpacks", name_en="School backpacks", name_zh="书包", parent=backpacks)
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    IndustrialBeltFactory(
        slug="baigou", province="hebei", specialties=[bags, backpacks], annual_output_cny=Decimal("1234.50")
    )
    IndustrialBeltFactory(slug="chenghai", province="guangdong", specialties=[toys], employees=None)
    IndustrialBeltFactory(slug="taizhou", status=IndustrialBelt.Status.ONBOARDING, export_share_percent=40)
    IndustrialBeltFactory(slug="draft-belt", status=IndustrialBelt.Status.DRAFT)
    usd, cny, eur = CurrencyFactory(code="USD"), CurrencyFactory(code="CNY"), CurrencyFactory(code="EUR")
    for days in range(3):
        ExchangeRateFactory(base=usd, quote=cny, valid_on=date(2026, 1, 1) + timedelta(days=days))
        ExchangeRateFactory(base=eur, quote=cny, rate=Decimal("7.9"), valid_on=date(2026, 1, 1) + timedelta(days=days))
    buyer = MembershipFactory().user
    notify(recipients=[buyer], kind="test", event_key="schemathesis:1", context={"message": "Hello"}, url="/")
    api_token_create(user=buyer, name="spare")
    _token, key = api_token_create(user=buyer, name="schemathesis")
    return key


# Loaded when the module is imported: the schema is generated from code, without the database.
# (schemathesis.pytest.from_fixture would load it later, but schemathesis 4.32 relies on a pytest
# internal, Node._nodeid, that pytest 9 no longer has.) One test item per operation.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@schema.parametrize()
@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_api_operation_answers_as_its_schema_says(case: schemathesis.Case, api_world: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {api_world}"}, checks=CHECKS)


def _known_objects() -> list[tuple[str, str, dict]]:
    """Requests that name objects which exist, which generated input hardly ever finds."""
    return [
        ("GET", "/api/v1/belts/{slug}/", {"slug": "baigou"}),
        ("GET", "/api/v1/belts/{slug}/", {"slug": "taizhou"}),
        ("GET", "/api/v1/categories/{slug}/", {"slug": "backpacks"}),
        ("GET", "/api/v1/categories/{slug}/", {"slug": "bags"}),
    ]


@pytest.mark.parametrize(("method", "path", "path_parameters"), _known_objects())
@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
def test_operations_on_existing_objects_answer_as_the_schema_says(
    method: str, path: str, path_parameters: dict, api_world: str
) -> None:
    case = schema[path][method].Case(path_parameters=path_parameters)

    response = case.call_and_validate(headers={"Authorization": f"Token {api_world}"}, checks=CHECKS)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "model"),
    [("/api/v1/tokens/{id}/revoke/", ApiToken), ("/api/v1/notifications/{id}/read/", Notification)],
)
@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
def test_actions_on_ones_own_objects_answer_as_the_schema_says(path: str, model: type, api_world: str) -> None:
    if path not in schema:
        pytest.skip(f"{path} is not in the schema")
    own = model.objects.order_by("pk").first()
    case = schema[path]["POST"].Case(path_parameters={"id": own.pk})

    response = case.call_and_validate(headers={"Authorization": f"Token {api_world}"}, checks=CHECKS)

    assert response.status_code == 200
