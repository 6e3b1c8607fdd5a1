"""One language rule everywhere (marketplace/languages.py): a signed-in user's chosen language
decides pages and API answers; the switcher's choice, and an API client's explicit Accept-Language,
outweigh it for that request."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buyers.api.rfqs import NO_COMPANY
from marketplace.models import Notification
from marketplace.notification_texts import notification_render
from marketplace.services.api_tokens import api_token_create
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def in_language(language: str, text: object) -> str:
    with translation.override(language):
        return str(text)


def title_in(language: str) -> str:
    return notification_render(notification=Notification.objects.get(), language=language).subject


@pytest.fixture
def chinese_token_client() -> Client:
    """A script of a Chinese-speaking user, calling the API with a personal token and no cookie."""
    user = UserFactory(preferred_language="zh-hans")
    _token, key = api_token_create(user=user, name="ERP")
    NotificationFactory(
        recipient=user, kind="belt_manager_added", context={"belt_en": "Baigou", "belt_zh": "白沟"}, event_key="t1"
    )
    return Client(headers={"Authorization": f"Token {key}"})


def test_cross_border_a_chinese_users_token_client_without_accept_language_is_answered_in_chinese(
    chinese_token_client: Client,
) -> None:
    refusal = chinese_token_client.get("/api/v1/rfqs/")
    notifications = chinese_token_client.get("/api/v1/notifications/")

    assert refusal.json()["error"]["message"] == in_language("zh-hans", NO_COMPANY)
    assert refusal["Content-Language"] == "zh-hans"
    assert notifications.json()["results"][0]["title"] == title_in("zh-hans")


def test_cross_border_a_token_client_that_asks_for_english_gets_english(chinese_token_client: Client) -> None:
    refusal = chinese_token_client.get("/api/v1/rfqs/", headers={"Accept-Language": "en"})
    notifications = chinese_token_client.get("/api/v1/notifications/", headers={"Accept-Language": "en"})

    assert refusal.json()["error"]["message"] == in_language("en", NO_COMPANY)
    assert notifications.json()["results"][0]["title"] == title_in("en") == "You now manage the belt Baigou"


def test_cross_border_a_page_for_a_signed_in_chinese_user_is_chinese_without_a_cookie() -> None:
    client = Client()
    client.force_login(UserFactory(preferred_language="zh-hans"))

    page = client.get(reverse("home"))

    assert '<html lang="zh-hans">' in page.content.decode()


def test_cross_border_a_browsers_accept_language_does_not_outweigh_the_users_choice_on_pages() -> None:
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    client.force_login(UserFactory(preferred_language="zh-hans"))

    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()


def test_cross_border_the_switchers_choice_outweighs_the_users_language_for_that_browser() -> None:
    client = Client()
    client.force_login(UserFactory(preferred_language="zh-hans"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_cross_border_an_anonymous_visitor_gets_the_language_of_the_browser() -> None:
    page = Client(headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get(reverse("home"))

    assert '<html lang="zh-hans">' in page.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cross_border_the_switcher_names_each_language_in_itself(language: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("home")).content.decode()

    assert '<option value="en" lang="en"' in page
    assert ">English</option>" in page
    assert ">简体中文</option>" in page
    assert "英语" not in page
