"""/api/v1/me/: who the client is, its companies, and the preferences it may change."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.models import Membership, User
from marketplace.services.api_tokens import api_token_create
from marketplace.tenancy import ACTIVE_COMPANY_SESSION_KEY
from tests.factories import CompanyFactory, CurrencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def patch(client: Client, data: dict) -> object:
    return client.patch("/api/v1/me/", data, content_type="application/json")


def test_me_shows_the_user_its_memberships_and_acting_company(actors: dict) -> None:
    buyer = actors["buyer"]

    me = buyer.client.get("/api/v1/me/").json()

    assert me["email"] == buyer.user.email
    assert me["name"] == buyer.user.name
    assert me["preferred_language"] == "en"
    assert me["preferred_currency"] == "USD"
    assert me["memberships"] == [{"company": {"id": buyer.company.pk, "name": buyer.company.name}, "role": "owner"}]
    assert me["acting_company"] == {"id": buyer.company.pk, "name": buyer.company.name}


def test_me_follows_the_company_chosen_in_the_session(actors: dict) -> None:
    buyer = actors["buyer"]
    second = CompanyFactory(name="Second Co")
    MembershipFactory(user=buyer.user, company=second, role=Membership.Role.MEMBER)
    session = buyer.client.session
    session[ACTIVE_COMPANY_SESSION_KEY] = second.pk
    session.save()

    me = buyer.client.get("/api/v1/me/").json()

    assert len(me["memberships"]) == 2
    assert me["acting_company"] == {"id": second.pk, "name": "Second Co"}


def test_me_through_a_token_acts_for_the_first_company_joined(actors: dict) -> None:
    buyer = actors["buyer"]
    _token, key = api_token_create(user=buyer.user, name="script")

    me = Client().get("/api/v1/me/", headers={"Authorization": f"Token {key}"}).json()

    assert me["acting_company"]["id"] == buyer.company.pk


def test_staff_without_a_company_acts_for_none(actors: dict) -> None:
    me = actors["staff"].client.get("/api/v1/me/").json()

    assert me["memberships"] == []
    assert me["acting_company"] is None


def test_anonymous_clients_are_told_to_authenticate(client: Client) -> None:
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_user_changes_its_name_language_and_currency(actors: dict) -> None:
    CurrencyFactory(code="CNY")
    buyer = actors["buyer"]

    response = patch(
        buyer.client, {"name": "Nimal Perera", "preferred_language": "zh-hans", "preferred_currency": "CNY"}
    )

    assert response.status_code == 200
    assert response.json()["preferred_currency"] == "CNY"
    user = User.objects.get(pk=buyer.user.pk)
    assert (user.name, user.preferred_language, user.preferred_currency_id) == ("Nimal Perera", "zh-hans", "CNY")


def test_a_partial_change_keeps_the_rest(actors: dict) -> None:
    buyer = actors["buyer"]
    name = buyer.user.name

    response = patch(buyer.client, {"preferred_language": "zh-hans"})

    assert response.status_code == 200
    assert response.json()["name"] == name
    assert response.json()["preferred_language"] == "zh-hans"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"preferred_currency": "ABC"}, "preferred_currency", "Unknown currency code “ABC”"),
        ({"preferred_language": "fr"}, "preferred_language", "Unknown language “fr”"),
        ({"name": ""}, "name", "may not be blank"),
        ({"name": "x" * 151}, "name", "no more than 150"),
    ],
)
def test_bad_preferences_are_refused_with_a_clear_message(actors: dict, data: dict, field: str, message: str) -> None:
    buyer = actors["buyer"]

    response = patch(buyer.client, data)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["fields"][field][0]
    user = User.objects.get(pk=buyer.user.pk)
    assert (user.name, user.preferred_language, user.preferred_currency_id) == (buyer.user.name, "en", "USD")


def test_a_body_that_is_not_json_is_a_400(actors: dict) -> None:
    response = actors["buyer"].client.patch("/api/v1/me/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
