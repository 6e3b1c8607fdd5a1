"""Logging in and out, resetting and changing a password, and the user's own settings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from marketplace.models import User
from tests.factories import TEST_PASSWORD, CurrencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CURRENCY_CODES = ("USD", "EUR", "CNY", "LKR", "RUB")


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    """The currencies offered at sign-up. Seeded by a migration, but a transactional test elsewhere may flush them."""
    for code in CURRENCY_CODES:
        CurrencyFactory(code=code)


NEW_PASSWORD = "a-brand-new-secret-77"


def test_a_user_logs_in_with_email_and_the_interface_switches_to_its_language(client: Client) -> None:
    UserFactory(email="li.wei@baigou-bags.cn", preferred_language="zh-hans")

    response = client.post(reverse("login"), {"username": "li.wei@baigou-bags.cn", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get(reverse("home"))
    assert page.context["user"].email == "li.wei@baigou-bags.cn"
    assert '<html lang="zh-hans">' in page.content.decode()


def test_the_login_form_asks_for_an_email_address(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "E-mail address" in page
    assert 'type="email"' in page
    assert reverse("password_reset") in page


def test_a_wrong_password_is_refused_with_a_message(client: Client) -> None:
    UserFactory(email="li.wei@baigou-bags.cn")
    response = client.post(reverse("login"), {"username": "li.wei@baigou-bags.cn", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_asked_for(client: Client) -> None:
    UserFactory(email="li.wei@baigou-bags.cn")
    response = client.post(
        reverse("login") + "?next=/company/",
        {"username": "li.wei@baigou-bags.cn", "password": TEST_PASSWORD, "next": "/company/"},
    )
    assert response["Location"] == "/company/"


def test_logging_out_takes_a_post_and_ends_the_session(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="li.wei@baigou-bags.cn", name="Li Wei")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "Li.Wei@Baigou-Bags.cn"})
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li.wei@baigou-bags.cn"]
    assert "SourceBelt" in message.subject
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_tampered_reset_link_explains_itself(client: Client) -> None:
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))
    assert response.status_code == 200
    assert "not valid" in response.content.decode()


def test_a_signed_in_user_changes_its_password(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_account_settings_change_name_language_and_currency_and_switch_the_interface(client: Client) -> None:
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    response = client.post(
        reverse("account_settings"), {"name": "Li Wei", "preferred_language": "zh-hans", "preferred_currency": "CNY"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.preferred_language, user.preferred_currency_id) == ("Li Wei", "zh-hans", "CNY")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="zh-hans">' in client.get(reverse("account_settings")).content.decode()


def test_account_settings_link_to_the_password_change_and_the_api_tokens(client: Client) -> None:
    client.force_login(MembershipFactory().user)
    page = client.get(reverse("account_settings")).content.decode()
    assert reverse("password_change") in page
    assert reverse("api_tokens") in page


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "preferred_language": "en", "preferred_currency": "USD"},
        {"name": "X", "preferred_language": "de", "preferred_currency": "USD"},
        {"name": "X", "preferred_language": "en", "preferred_currency": "???"},
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(client: Client, data: dict[str, str]) -> None:
    user = UserFactory(name="Before", preferred_language="en")
    client.force_login(user)
    response = client.post(reverse("account_settings"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert User.objects.get(pk=user.pk).name == "Before"
