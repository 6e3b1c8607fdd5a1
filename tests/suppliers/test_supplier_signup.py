"""Signing up as a supplier: account, company in China, owner membership and a profile awaiting verification."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.models import Category, Company, IndustrialBelt, Membership, Notification, User
from suppliers.models import SupplierProfile
from tests.factories import TEST_PASSWORD, CategoryFactory, IndustrialBeltFactory, UserFactory
from tests.mailbox import emails_to, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bags() -> Category:
    luggage = CategoryFactory(name_en="Luggage & Bags", name_zh="箱包")
    return CategoryFactory(parent=luggage, name_en="Backpacks", name_zh="双肩包")


@pytest.fixture
def baigou(bags: Category) -> IndustrialBelt:
    return IndustrialBeltFactory(
        name_en="Baigou bags", name_zh="白沟箱包", province="hebei", city="Baigou", specialties=[bags]
    )


def supplier_form(bags: Category, baigou: IndustrialBelt, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Li Wei",
        "email": "li.wei@baigou-bags.cn",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        "company_name": "Baigou Xinda Bag Co., Ltd.",
        "city": "Baoding",
        "preferred_language": "zh-hans",
        "preferred_currency": "CNY",
        "supplier_name": "Xinda Bags",
        "belt": baigou.pk,
        "province": "hebei",
        "supplier_city": "Baigou",
        "main_categories": [bags.pk],
        "business_type": "manufacturer",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int, int]:
    return (User.objects.count(), Company.objects.count(), Membership.objects.count(), SupplierProfile.objects.count())


def test_the_supplier_form_offers_live_and_onboarding_belts_but_not_drafts(
    client: Client, baigou: IndustrialBelt
) -> None:
    onboarding = IndustrialBeltFactory(status=IndustrialBelt.Status.ONBOARDING)
    draft = IndustrialBeltFactory(status=IndustrialBelt.Status.DRAFT)
    belts = list(client.get(reverse("suppliers:signup")).context["form"].fields["belt"].queryset)
    assert baigou in belts
    assert onboarding in belts
    assert draft not in belts


def test_a_factory_signs_up_and_its_profile_awaits_verification(
    client: Client, bags: Category, baigou: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("suppliers:signup"), supplier_form(bags, baigou))

    assert response["Location"] == reverse("signup_sent")
    (confirmation,) = emails_to("li.wei@baigou-bags.cn")
    assert "确认" in confirmation.subject  # in the language chosen in the form
    confirmed = client.get(link_in(confirmation, "/signup/confirm/"))
    assert confirmed["Location"] == reverse("suppliers:dashboard")
    user = User.objects.get(email="li.wei@baigou-bags.cn")
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    company = membership.company
    assert company.name == "Baigou Xinda Bag Co., Ltd."
    assert company.country.code == "CN"
    profile = company.supplier_profile
    assert profile.name == "Xinda Bags"
    assert profile.belt == baigou
    assert (profile.province, profile.city) == ("hebei", "Baigou")
    assert list(profile.main_categories.all()) == [bags]
    assert profile.verification_status == SupplierProfile.Verification.PENDING
    assert Notification.objects.filter(recipient=user, kind="welcome", event_key=f"welcome:{user.pk}").exists()

    dashboard = client.get(reverse("suppliers:dashboard"))
    page = dashboard.content.decode()
    assert dashboard.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "Xinda Bags" in page
    assert 'data-verification="pending"' in page


def test_a_supplier_need_not_name_a_belt(client: Client, bags: Category, baigou: IndustrialBelt) -> None:
    client.post(reverse("suppliers:signup"), supplier_form(bags, baigou, belt=""))
    assert SupplierProfile.objects.get().belt is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "short1", "password2": "short1"}, "password1"),
        ({"password2": "different-password-9"}, "password2"),
        ({"preferred_language": "fr"}, "preferred_language"),
        ({"preferred_currency": "XYZ"}, "preferred_currency"),
        ({"supplier_name": ""}, "supplier_name"),
        ({"province": "atlantis"}, "province"),
        ({"supplier_city": ""}, "supplier_city"),
        ({"main_categories": []}, "main_categories"),
        ({"main_categories": ["999999"]}, "main_categories"),
        ({"main_categories": ["abc"]}, "main_categories"),
        ({"belt": "999999"}, "belt"),
        ({"business_type": "pirate"}, "business_type"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_half_created(
    client: Client, bags: Category, baigou: IndustrialBelt, overrides: dict[str, Any], field: str
) -> None:
    UserFactory(email="taken@example.com")
    before = counts()

    response = client.post(reverse("suppliers:signup"), supplier_form(bags, baigou, **overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert counts() == before


def test_hardening_a_supplier_sign_up_with_a_taken_address_creates_nothing_and_tells_its_owner(
    client: Client, bags: Category, baigou: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="taken@example.com")
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("suppliers:signup"), supplier_form(bags, baigou, email="taken@example.com"))

    assert response["Location"] == reverse("signup_sent")
    assert counts() == before
    (message,) = emails_to("taken@example.com")
    assert reverse("password_reset") in message.body


def test_a_draft_belt_cannot_be_named_even_by_a_tampered_form(client: Client, bags: Category) -> None:
    draft = IndustrialBeltFactory(status=IndustrialBelt.Status.DRAFT)
    before = counts()
    response = client.post(reverse("suppliers:signup"), supplier_form(bags, draft))
    assert response.status_code == 400
    assert "belt" in response.context["form"].errors
    assert counts() == before


def test_categories_are_offered_as_an_indented_tree(client: Client, bags: Category) -> None:
    field = client.get(reverse("suppliers:signup")).context["form"].fields["main_categories"]
    labels = [label for _value, label in field.choices]
    assert labels == ["Luggage & Bags", "— Backpacks"]
