"""Signing up as a buyer: the happy path, and every kind of bad input leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from marketplace.errors import InvalidInput
from marketplace.models import Company, Membership, Notification, User
from marketplace.services.accounts import account_signup
from suppliers.models import SupplierProfile
from tests.factories import TEST_PASSWORD, CurrencyFactory, UserFactory

pytestmark = pytest.mark.django_db

CURRENCY_CODES = ("USD", "EUR", "CNY", "LKR", "RUB")


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    """The currencies offered at sign-up. Seeded by a migration, but a transactional test elsewhere may flush them."""
    for code in CURRENCY_CODES:
        CurrencyFactory(code=code)


def buyer_form(**overrides: str) -> dict[str, Any]:
    data = {
        "name": "Nimal Perera",
        "email": "nimal@lanka-distribution.lk",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        "company_name": "Lanka School Supplies",
        "country": "LK",
        "city": "Colombo",
        "preferred_language": "en",
        "preferred_currency": "LKR",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int, int]:
    return (User.objects.count(), Company.objects.count(), Membership.objects.count(), SupplierProfile.objects.count())


def test_the_sign_up_page_asks_whether_one_buys_or_sells(client: Client) -> None:
    page = client.get(reverse("signup")).content.decode()
    assert "I want to buy" in page
    assert "I want to sell" in page
    assert reverse("signup_buyer") in page
    assert reverse("suppliers:signup") in page


def test_the_buyer_form_has_the_documented_fields_and_starts_in_the_visitors_language(client: Client) -> None:
    response = client.get(reverse("signup_buyer"), headers={"accept-language": "zh-hans"})
    form = response.context["form"]
    assert list(form.fields) == [
        "name",
        "email",
        "password1",
        "password2",
        "company_name",
        "country",
        "city",
        "preferred_language",
        "preferred_currency",
    ]
    assert form["preferred_language"].value() == "zh-hans"
    assert form["preferred_currency"].value() == "USD"


def test_a_buyer_signs_up_and_lands_logged_in_as_owner_of_its_company(client: Client) -> None:
    response = client.post(reverse("signup_buyer"), buyer_form(preferred_language="zh-hans"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    user = User.objects.get(email="nimal@lanka-distribution.lk")
    assert response.context["user"] == user
    assert user.name == "Nimal Perera"
    assert user.preferred_language == "zh-hans"
    assert user.preferred_currency_id == "LKR"
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.company.name == "Lanka School Supplies"
    assert membership.company.country.code == "LK"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert response.context["LANGUAGE_CODE"] == "zh-hans"
    assert len(list(response.context["messages"])) == 1


def test_signing_up_records_a_welcome_notification_linking_to_the_company(client: Client) -> None:
    client.post(reverse("signup_buyer"), buyer_form())
    user = User.objects.get(email="nimal@lanka-distribution.lk")
    welcome = Notification.objects.get(recipient=user)
    assert welcome.kind == "welcome"
    assert welcome.event_key == f"welcome:{user.pk}"
    assert welcome.context == {"name": "Nimal Perera", "company": "Lanka School Supplies"}
    assert welcome.url == reverse("company_detail")


def test_the_email_is_stored_lower_case_so_one_can_log_in_with_any_case(client: Client) -> None:
    client.post(reverse("signup_buyer"), buyer_form(email="Nimal@Lanka-Distribution.LK"))
    assert User.objects.filter(email="nimal@lanka-distribution.lk").exists()
    other = Client()
    response = other.post(reverse("login"), {"username": "NIMAL@lanka-distribution.lk", "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "taken@example.com"}, "email", "already exists"),
        ({"email": "TAKEN@Example.com"}, "email", "already exists"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"password1": "short1", "password2": "short1"}, "password1", "at least 10 characters"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password1": "8264917350", "password2": "8264917350"}, "password1", "entirely numeric"),
        ({"password2": "something-else-42"}, "password2", "do not match"),
        ({"name": ""}, "name", "required"),
        ({"company_name": "  "}, "company_name", "required"),
        ({"country": ""}, "country", "required"),
        ({"country": "XX"}, "country", "valid choice"),
        ({"preferred_language": "fr"}, "preferred_language", "valid choice"),
        ({"preferred_currency": "XYZ"}, "preferred_currency", "Unknown currency “XYZ”"),
    ],
)
def test_bad_input_is_explained_on_the_form_and_creates_nothing(
    client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    UserFactory(email="taken@example.com")
    before = counts()

    response = client.post(reverse("signup_buyer"), buyer_form(**overrides))

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert counts() == before
    assert "_auth_user_id" not in client.session


def test_an_inactive_currency_cannot_be_chosen(client: Client) -> None:
    from marketplace.models import Currency

    Currency.objects.filter(code="RUB").update(is_active=False)
    response = client.post(reverse("signup_buyer"), buyer_form(preferred_currency="RUB"))
    assert response.status_code == 400
    assert "preferred_currency" in response.context["form"].errors


def test_the_service_refuses_a_taken_email_even_when_the_form_was_bypassed() -> None:
    UserFactory(email="taken@example.com")
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        account_signup(
            name="Someone",
            email="Taken@Example.com",
            password=TEST_PASSWORD,
            company_name="Another company",
            country="DE",
            preferred_language="en",
            preferred_currency="EUR",
        )
    assert refused.value.field == "email"
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"preferred_language": "klingon"}, "preferred_language"),
        ({"preferred_currency": "ZZZ"}, "preferred_currency"),
        ({"country": "QQ"}, "country"),
        ({"password": "123"}, "password1"),
        ({"company_name": ""}, "company_name"),
    ],
)
def test_the_service_checks_its_input_itself(overrides: dict[str, str], field: str) -> None:
    arguments = {
        "name": "Someone",
        "email": "someone@example.com",
        "password": TEST_PASSWORD,
        "company_name": "A company",
        "country": "DE",
        "preferred_language": "en",
        "preferred_currency": "EUR",
        **overrides,
    }
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        account_signup(**arguments)
    assert refused.value.field == field
    assert counts() == before
