"""The API keeps its own promises: schemathesis calls every operation of the OpenAPI schema.

The schema is loaded from the application itself (through WSGI, no server). Every operation is
called by two tenants, a buying company and a selling company, each with its own fresh API token,
in every phase schemathesis has: the schema's examples, the coverage phase (each boundary of each
field and parameter, valid and invalid), fuzzing, and stateful sequences that follow the links
between operations (an object one answer creates is read, changed and deleted by the next).

The test fails on a 5xx answer; on a status code, content type or body the schema does not
declare; on a request that breaks the schema but is accepted (`negative_data_rejection`); on a
request the schema allows that is refused as invalid (`positive_data_acceptance`), unless every
field the refusal names is refused by a rule no schema states (`NOT_IN_THE_SCHEMA`); on an operation
that answers without its token (`ignored_auth`); and on an object still answering after it was
deleted (`use_after_free`). docs/api.md ("What the schema promises") says what it covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from buyers.models import SourcingRequest
from marketplace.api.parsers import control_character_message
from marketplace.models import ApiToken, IndustrialBelt, Notification
from marketplace.services.api_tokens import api_token_create
from marketplace.services.notifications import notify
from sourcebelt.wsgi import application
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import (
    CategoryFactory,
    CurrencyFactory,
    ExchangeRateFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    SupplierProfileFactory,
    UserFactory,
)
from tests.suppliers.factories_catalog import ProductFactory

# The fields a request that fits the schema may still be refused for (400 naming them), by rules
# no schema states (docs/api.md, "What the schema cannot say"). Found by `positive_data_acceptance`;
# every other refusal of a valid request fails the test.
NOT_IN_THE_SCHEMA = {
    # A reference to something that must exist for the client: a category, a belt, a currency that
    # is offered now, a country, a product, a supplier that quoted, an RFQ or order to write about.
    "category": "reference",
    "parent": "reference",
    "belt": "reference",
    "base": "reference",
    "quote": "reference",
    "currency": "reference",
    "preferred_currency": "reference",
    "destination_country": "reference",
    "source_product": "reference",
    "invited_suppliers": "reference",
    "exclude": "reference",
    "require": "reference",
    "quotes": "reference",
    # A date or time measured from now: a delivery date, quote or round deadline ahead, a quote
    # valid until a date not passed.
    "required_by": "time",
    "quote_deadline": "time",
    "deadline": "time",
    "valid_until": "time",
    # Rules tying fields or the object's state together: "rfq" or "order", not both; an RFQ not
    # split takes the whole quantity; a price or tiers; a product published needs an image.
    "non_field_errors": "together",
    "quantity": "together",
    "unit_price": "together",
    "images": "together",
    "min_order_quantity": "together",  # a quote's minimum order is at most the quantity it offers
    "max_suppliers": "together",  # the most suppliers of a plan are not fewer than the least
    # An Incoterm, read in any case ("fob"; not a pattern every regex engine reads alike).
    "incoterm": "reference",
    # A page cursor is one a previous answer gave.
    "cursor": "reference",
    # A form or multipart body cannot carry JSON's null: schemathesis writes "null" there.
    "expires_in_days": "form null",
    "expires_on": "form null",
    # A file: an empty one is none; a JSON body cannot carry one (the schema's JSON variant of a
    # multipart operation lists it all the same).
    "file": "file",
    "attachment": "file",
    # An amount or a percentage written as text (`input_values.money`): decimal notation, digits
    # grouped or full-width allowed, at most four decimal places, above zero. The schema says
    # `format: decimal` or `number`; it does not say the notation (not 1e-29) or the places.
    "target_unit_price": "amount",
    "tiers": "amount",
    "max_share": "amount",
    "over_delivery": "amount",
    "sample_price": "amount",
    "freight": "amount",
    "max_price": "amount",
}


def positive_data_acceptance_but_for_rules_not_in_the_schema(ctx: Any, response: Any, case: schemathesis.Case) -> Any:
    """`positive_data_acceptance`, but a 400 passes that names only NOT_IN_THE_SCHEMA fields, or only
    control characters: every text the schema names states that it holds none (a pattern), so a
    valid request carries one only in a field the schema does not name (a key or value that the
    schema's objects allow besides their own, at any depth: OpenAPI 3.0 has no `propertyNames`)."""
    if response.status_code == 400 and case.meta is not None and case.meta.generation.mode.is_positive:
        fields = response.json().get("error", {}).get("fields") or {}
        with translation.override("en"):
            control = control_character_message()
        if fields and (
            fields.keys() <= NOT_IN_THE_SCHEMA.keys()
            or all(message == control for messages in fields.values() for message in messages)
        ):
            return None
    return positive_data_acceptance(ctx, response, case)


# What every response is held to (other tests that build their own cases use these too).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# And for generated cases: invalid input is refused, valid input accepted but for the rules above,
# a token is needed where the schema says so.
HARDENING_CHECKS = [
    *CHECKS,
    negative_data_rejection,
    positive_data_acceptance_but_for_rules_not_in_the_schema,
    ignored_auth,
]
STATEFUL_CHECKS = [*HARDENING_CHECKS, use_after_free, ensure_resource_availability]
TENANTS = ("buyer", "supplier")


@dataclass
class World:
    """The two tenants' token keys, and the objects each owns, by name."""

    keys: dict[str, str]
    objects: dict[str, Any]


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
def _no_lockout(settings: Any) -> None:
    """ignored_auth sends wrong tokens on purpose, all from one address: more than the lockout's
    limit in one test. The lockout itself is tested in tests/marketplace/test_hardening_accounts.py."""
    settings.AXES_FAILURE_LIMIT = 1_000_000


@pytest.fixture
def api_world(db: None, _wsgi_keeps_the_test_transaction: None, _no_lockout: None) -> World:
    """A little of everything the API shows, and two tenants: a buyer with an open RFQ, and a
    supplier in the belt of its category, with a product, matched to that RFQ. Each has a fresh
    API token, a spare one and a notification."""
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    backpacks = CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)
    CategoryFactory(slug="school-backpacks", name_en="School backpacks", name_zh="书包", parent=backpacks)
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    baigou = IndustrialBeltFactory(
        slug="baigou", province="hebei", specialties=[bags, backpacks], annual_output_cny=Decimal("1234.50")
    )
    IndustrialBeltFactory(slug="chenghai", province="guangdong", specialties=[toys], employees=None)
    IndustrialBeltFactory(slug="taizhou", status=IndustrialBelt.Status.ONBOARDING, export_share_percent=40)
    IndustrialBeltFactory(slug="draft-belt", status=IndustrialBelt.Status.DRAFT)
    usd, cny, eur = CurrencyFactory(code="USD"), CurrencyFactory(code="CNY"), CurrencyFactory(code="EUR")
    for days in range(3):
        ExchangeRateFactory(base=usd, quote=cny, valid_on=date(2026, 1, 1) + timedelta(days=days))
        ExchangeRateFactory(base=eur, quote=cny, rate=Decimal("7.9"), valid_on=date(2026, 1, 1) + timedelta(days=days))

    buying = MembershipFactory()
    profile = SupplierProfileFactory(belt=baigou, main_categories=[backpacks])
    selling = MembershipFactory(company=profile.company, user=UserFactory())
    product = ProductFactory(supplier=profile, category=backpacks, currency=cny)
    rfq = SourcingRequestFactory(
        buyer=buying.company,
        created_by=buying.user,
        category=backpacks,
        currency=usd,
        status=SourcingRequest.Status.OPEN,
    )
    MatchFactory(rfq=rfq, supplier=profile)
    draft = SourcingRequestFactory(
        buyer=buying.company, created_by=buying.user, category=backpacks, status=SourcingRequest.Status.DRAFT
    )
    # Every company can buy: the supplier's company has a sourcing request of its own.
    own_rfq = SourcingRequestFactory(
        buyer=profile.company, created_by=selling.user, category=backpacks, status=SourcingRequest.Status.DRAFT
    )
    keys, tokens, notifications = {}, {}, {}
    for tenant, membership in (("buyer", buying), ("supplier", selling)):
        notify(
            recipients=[membership.user],
            kind="test",
            event_key=f"schemathesis:{tenant}",
            context={"message": "Hello"},
            url="/",
        )
        tokens[tenant], _key = api_token_create(user=membership.user, name="spare")
        _token, keys[tenant] = api_token_create(user=membership.user, name="schemathesis")
        notifications[tenant] = Notification.objects.get(recipient=membership.user)
    return World(
        keys=keys,
        objects={
            "rfq": rfq,
            "draft": draft,
            "supplier's own rfq": own_rfq,
            "product": product,
            "buyer's token": tokens["buyer"],
            "supplier's token": tokens["supplier"],
            "buyer's notification": notifications["buyer"],
            "supplier's notification": notifications["supplier"],
        },
    )


def _headers(world: World, tenant: str) -> dict[str, str]:
    return {"Authorization": f"Token {world.keys[tenant]}"}


# Loaded when the module is imported: the schema is generated from code, without the database.
# (schemathesis.pytest.from_fixture would load it later, but schemathesis 4.32 relies on a pytest
# internal, Node._nodeid, that pytest 9 no longer has.) One test item per operation and tenant.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all"},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)


@schema.parametrize()
@pytest.mark.parametrize("tenant", TENANTS)
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_hardening_every_operation_keeps_its_schema_for_each_tenant(
    case: schemathesis.Case, tenant: str, api_world: World
) -> None:
    case.call_and_validate(headers=_headers(api_world, tenant), checks=HARDENING_CHECKS)


@pytest.mark.parametrize("tenant", TENANTS)
def test_hardening_sequences_of_operations_keep_the_schema_for_each_tenant(tenant: str, api_world: World) -> None:
    headers = _headers(api_world, tenant)

    class Sequences(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            case.validate_response(response, checks=STATEFUL_CHECKS, headers=headers)

    Sequences.run(
        settings=settings(
            # Most sequences end at a refusal (an id that is not the tenant's); 40 of them reach a few
            # that follow links through created and changed objects, in about 15 seconds.
            max_examples=40,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )


# What one tenant asks about the other's objects: (tenant, method, path, its path parameter, the object).
OTHERS_OBJECTS = [
    ("supplier", "GET", "/api/v1/rfqs/{id}/", "id", "rfq"),
    ("supplier", "PATCH", "/api/v1/rfqs/{id}/", "id", "draft"),
    ("supplier", "POST", "/api/v1/rfqs/{id}/publish/", "id", "draft"),
    ("supplier", "GET", "/api/v1/rfqs/{id}/quotes/", "id", "rfq"),
    ("supplier", "GET", "/api/v1/inbox/{rfq_id}/", "rfq_id", "draft"),
    ("supplier", "POST", "/api/v1/tokens/{id}/revoke/", "id", "buyer's token"),
    ("supplier", "POST", "/api/v1/notifications/{id}/read/", "id", "buyer's notification"),
    # (The buyer does not sell: the selling side answers it 403 whatever the id, as docs/api.md says.)
    ("buyer", "GET", "/api/v1/rfqs/{id}/", "id", "supplier's own rfq"),
    ("buyer", "POST", "/api/v1/rfqs/{id}/publish/", "id", "supplier's own rfq"),
    ("buyer", "POST", "/api/v1/tokens/{id}/revoke/", "id", "supplier's token"),
    ("buyer", "POST", "/api/v1/notifications/{id}/read/", "id", "supplier's notification"),
]


@pytest.mark.parametrize(("tenant", "method", "path", "parameter", "name"), OTHERS_OBJECTS)
def test_hardening_neither_tenant_reaches_the_others_objects(
    tenant: str, method: str, path: str, parameter: str, name: str, api_world: World
) -> None:
    """Another company's object answers 404, as one that does not exist (no existence leak), in the
    shape the schema declares; and nothing about it changed."""
    target = api_world.objects[name]
    before = type(target).objects.filter(pk=target.pk).values().get()
    body = {"body": {"title": "Taken over"}} if method == "PATCH" else {}
    case = schema[path][method].Case(path_parameters={parameter: target.pk}, **body)

    response = case.call_and_validate(headers=_headers(api_world, tenant), checks=CHECKS)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert type(target).objects.filter(pk=target.pk).values().get() == before


# Operations on an object the tenant owns or was sent, which generated ids hardly ever find:
# (tenant, method, path, its path parameter, the object).
OWN_OBJECTS = [
    ("buyer", "GET", "/api/v1/rfqs/{id}/quotes/", "id", "rfq"),
    ("buyer", "PATCH", "/api/v1/rfqs/{id}/", "id", "draft"),
    ("supplier", "PATCH", "/api/v1/catalog/products/{id}/", "id", "product"),
    ("supplier", "POST", "/api/v1/inbox/{rfq_id}/quote/", "rfq_id", "rfq"),
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("tenant", "method", "path", "parameter", "name"), OWN_OBJECTS)
def test_hardening_generated_input_on_ones_own_objects_keeps_the_schema(
    tenant: str, method: str, path: str, parameter: str, name: str, mode: GenerationMode, api_world: World
) -> None:
    """Generated queries and bodies, valid and invalid, sent about an object that exists and is the
    tenant's: an invalid one is refused (not only "not found"), none answers a 5xx."""
    operation = schema[path][method]
    strategy = operation.as_strategy(mode, path_parameters={parameter: api_world.objects[name].pk})

    @given(case=strategy)
    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=_headers(api_world, tenant), checks=HARDENING_CHECKS)

    call()


def _known_objects() -> list[tuple[str, str, dict]]:
    """Requests that name objects which exist, which generated input hardly ever finds."""
    return [
        ("GET", "/api/v1/belts/{slug}/", {"slug": "baigou"}),
        ("GET", "/api/v1/belts/{slug}/", {"slug": "taizhou"}),
        ("GET", "/api/v1/categories/{slug}/", {"slug": "backpacks"}),
        ("GET", "/api/v1/categories/{slug}/", {"slug": "bags"}),
    ]


@pytest.mark.parametrize(("method", "path", "path_parameters"), _known_objects())
def test_operations_on_existing_objects_answer_as_the_schema_says(
    method: str, path: str, path_parameters: dict, api_world: World
) -> None:
    case = schema[path][method].Case(path_parameters=path_parameters)

    response = case.call_and_validate(headers=_headers(api_world, "buyer"), checks=CHECKS)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "model"),
    [("/api/v1/tokens/{id}/revoke/", ApiToken), ("/api/v1/notifications/{id}/read/", Notification)],
)
def test_actions_on_ones_own_objects_answer_as_the_schema_says(path: str, model: type, api_world: World) -> None:
    own = model.objects.order_by("pk").first()
    case = schema[path]["POST"].Case(path_parameters={"id": own.pk})

    response = case.call_and_validate(headers=_headers(api_world, "buyer"), checks=CHECKS)

    assert response.status_code == 200
