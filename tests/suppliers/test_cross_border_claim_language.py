"""The claim page speaks the language of the invitation that links to it, as its e-mail does."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from suppliers.services.onboarding import factory_invitation_token
from tests.suppliers.factories_onboarding import FactoryInvitationFactory

pytestmark = pytest.mark.django_db


def claim_url(language: str) -> str:
    return reverse("onboarding:claim", args=[factory_invitation_token(FactoryInvitationFactory(language=language))])


def test_cross_border_a_chinese_invitation_opens_a_chinese_claim_page_in_an_english_browser() -> None:
    page = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get(claim_url("zh-hans"))

    assert page.status_code == 200
    assert '<html lang="zh-hans">' in page.content.decode()
    assert page["Content-Language"] == "zh-hans"


def test_cross_border_an_english_invitation_opens_an_english_claim_page() -> None:
    page = Client(headers={"Accept-Language": "zh-CN"}).get(claim_url("en"))

    assert '<html lang="en">' in page.content.decode()


def test_cross_border_the_claim_page_follows_the_switcher_when_the_visitor_chose_a_language() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(claim_url("zh-hans"))

    assert '<html lang="en">' in page.content.decode()
