"""A company starts selling, keeps its profile, and is shown on its public supplier page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.errors import Conflict
from marketplace.models import Category, IndustrialBelt, Membership
from suppliers.models import SupplierProfile
from suppliers.services import supplier_become
from tests.factories import CategoryFactory, IndustrialBeltFactory, MembershipFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gloves() -> Category:
    return CategoryFactory(name_en="Work gloves", name_zh="劳保手套")


@pytest.fixture
def belt(gloves: Category) -> IndustrialBelt:
    return IndustrialBeltFactory(name_en="Gaomi gloves", province="shandong", city="Gaomi", specialties=[gloves])


def logged_in(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def profile_form(gloves: Category, belt: IndustrialBelt, **overrides: object) -> dict[str, object]:
    return {
        "supplier_name": "Gaomi Green Gloves",
        "belt": belt.pk,
        "province": "shandong",
        "city": "Gaomi",
        "main_categories": [gloves.pk],
        "business_type": "manufacturer",
        **overrides,
    }


def test_a_buying_company_starts_selling_with_the_same_account(gloves: Category, belt: IndustrialBelt) -> None:
    buyer = MembershipFactory()
    client = logged_in(buyer)
    assert client.get(reverse("suppliers:dashboard"))["Location"] == reverse("suppliers:become")

    response = client.post(reverse("suppliers:become"), profile_form(gloves, belt))

    assert response["Location"] == reverse("suppliers:dashboard")
    profile = SupplierProfile.objects.get(company=buyer.company)
    assert profile.verification_status == SupplierProfile.Verification.PENDING
    assert list(profile.main_categories.all()) == [gloves]
    dashboard = client.get(reverse("suppliers:dashboard"))
    assert dashboard.status_code == 200
    assert "Gaomi Green Gloves" in dashboard.content.decode()
    assert reverse("suppliers:product_create") in dashboard.content.decode()
    company_page = client.get(reverse("company_detail")).content.decode()
    assert reverse("suppliers:dashboard") in company_page


def test_a_company_that_already_sells_is_sent_to_its_dashboard(actors: dict) -> None:
    supplier = actors["supplier"]
    assert supplier.client.get(reverse("suppliers:become"))["Location"] == reverse("suppliers:dashboard")


def test_becoming_a_supplier_twice_creates_one_profile(gloves: Category, belt: IndustrialBelt) -> None:
    buyer = MembershipFactory()
    arguments = {
        "membership": buyer,
        "supplier_name": "Once",
        "belt": belt,
        "province": "shandong",
        "city": "Gaomi",
        "main_categories": [gloves],
        "business_type": "manufacturer",
    }
    supplier_become(**arguments)
    with pytest.raises(Conflict):
        supplier_become(**arguments)
    assert SupplierProfile.objects.filter(company=buyer.company).count() == 1


def test_becoming_a_supplier_without_a_category_is_explained(gloves: Category, belt: IndustrialBelt) -> None:
    buyer = MembershipFactory()
    response = logged_in(buyer).post(reverse("suppliers:become"), profile_form(gloves, belt, main_categories=[]))
    assert response.status_code == 400
    assert "at least one category" in response.content.decode()
    assert not SupplierProfile.objects.exists()


def test_a_user_without_a_company_is_sent_to_the_company_page(actors: dict) -> None:
    staff = actors["staff"]
    for name in ("suppliers:become", "suppliers:dashboard", "suppliers:profile_edit"):
        assert staff.client.get(reverse(name))["Location"] == reverse("company_detail")


def test_a_supplier_edits_its_own_profile_but_not_its_verification(gloves: Category, belt: IndustrialBelt) -> None:
    profile = SupplierProfileFactory(verification_status=SupplierProfile.Verification.PENDING)
    member = MembershipFactory(company=profile.company, role=Membership.Role.MEMBER)
    client = logged_in(member)
    assert client.get(reverse("suppliers:profile_edit")).status_code == 200

    response = client.post(
        reverse("suppliers:profile_edit"),
        profile_form(gloves, belt, supplier_name="Renamed", business_type="both", verification_status="verified"),
    )

    assert response["Location"] == reverse("suppliers:dashboard")
    profile.refresh_from_db()
    assert profile.name == "Renamed"
    assert profile.business_type == "both"
    assert profile.belt == belt
    assert profile.verification_status == SupplierProfile.Verification.PENDING


def test_bad_profile_edits_change_nothing(gloves: Category, belt: IndustrialBelt) -> None:
    profile = SupplierProfileFactory(name="Before")
    owner = MembershipFactory(company=profile.company)
    response = logged_in(owner).post(
        reverse("suppliers:profile_edit"), profile_form(gloves, belt, supplier_name="", province="nowhere")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"supplier_name", "province"}
    profile.refresh_from_db()
    assert profile.name == "Before"


def test_the_public_supplier_page_shows_its_facts_to_anyone(gloves: Category, belt: IndustrialBelt) -> None:
    profile = SupplierProfileFactory(
        name="Gaomi Green Gloves",
        belt=belt,
        province="shandong",
        city="Gaomi",
        main_categories=[gloves],
        verification_status=SupplierProfile.Verification.VERIFIED,
        business_type="trading",
    )
    page = Client().get(reverse("suppliers:detail", kwargs={"pk": profile.pk})).content.decode()
    for text in (
        "Gaomi Green Gloves",
        "Gaomi gloves",
        "Shandong",
        "Gaomi",
        "Work gloves",
        "Verified",
        "Trading company",
    ):
        assert text in page
    assert 'data-verification="verified"' in page
    assert reverse("belt_detail", kwargs={"slug": belt.slug}) in page


def test_an_inactive_or_unknown_supplier_page_answers_404() -> None:
    hidden = SupplierProfileFactory(is_active=False)
    assert Client().get(reverse("suppliers:detail", kwargs={"pk": hidden.pk})).status_code == 404
    assert Client().get(reverse("suppliers:detail", kwargs={"pk": 999999})).status_code == 404
