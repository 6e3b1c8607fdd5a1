"""The demo's belt mid-onboarding: Pinghu luggage, whose funnel shows every step; seeding twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.demo import seed_demo
from marketplace.demo.accounts import DEFAULT_PASSWORD, STAFF
from marketplace.models import BeltEvent, IndustrialBelt, User
from suppliers.demo.factories import seed_demo_suppliers
from suppliers.demo.onboarding import seed_demo_onboarding
from suppliers.models import FactoryImport, FactoryInvitation, Product, SupplierProfile
from suppliers.selectors.funnel import belt_funnel

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings: object, tmp_path: Path, django_capture_on_commit_callbacks: object) -> int:
    settings.MEDIA_ROOT = tmp_path
    seed_demo(password=DEFAULT_PASSWORD)
    seed_demo_suppliers(password=DEFAULT_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        return seed_demo_onboarding()


def test_pinghu_luggage_is_mid_onboarding_with_every_funnel_step(seeded: int) -> None:
    belt = IndustrialBelt.objects.get(slug="pinghu-luggage")
    funnel = belt_funnel(belt)

    assert seeded == 8
    assert belt.status == IndustrialBelt.Status.ONBOARDING
    assert belt.name_zh == "平湖箱包"
    assert belt.specialties.filter(slug="trolley-cases").exists()
    assert BeltEvent.objects.filter(belt=belt, from_status="draft", to_status="onboarding").count() == 1
    assert (funnel.invited, funnel.claimed, funnel.published, funnel.verified) == (8, 4, 2, 1)
    assert FactoryInvitation.objects.filter(belt=belt, reminder_count__gt=0, claimed_at__isnull=True).exists()
    factory_import = FactoryImport.objects.get(belt=belt)
    assert (factory_import.status, factory_import.invited_count, len(factory_import.errors)) == ("done", 8, 1)
    assert "雨伞" in factory_import.errors[0]["problems"][0]["message"]


def test_a_claimed_demo_factory_logs_in_with_the_demo_password(seeded: int) -> None:
    client = Client()
    login = client.post(
        reverse("login"), {"username": "hengda@pinghu.demo.sourcebelt.local", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 302
    profile = SupplierProfile.objects.get(company__memberships__user__email="hengda@pinghu.demo.sourcebelt.local")
    assert profile.verification_status == SupplierProfile.Verification.VERIFIED
    assert profile.belt.slug == "pinghu-luggage"


def test_staff_see_the_demo_belts_imports_and_invitations(seeded: int) -> None:
    client = Client()
    client.force_login(User.objects.get(email=STAFF.email))
    page = client.get(reverse("onboarding:invitation_list", args=["pinghu-luggage"])).content.decode()
    assert "平湖恒达箱包有限公司" in page
    assert client.get(reverse("onboarding:import_list", args=["pinghu-luggage"])).status_code == 200


def test_seeding_again_creates_nothing_new(seeded: int, django_capture_on_commit_callbacks: object) -> None:
    counts = (
        FactoryInvitation.objects.count(),
        User.objects.count(),
        Product.objects.count(),
        BeltEvent.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        again = seed_demo_onboarding()
    assert again == 8
    assert counts == (
        FactoryInvitation.objects.count(),
        User.objects.count(),
        Product.objects.count(),
        BeltEvent.objects.count(),
    )
    assert belt_funnel(IndustrialBelt.objects.get(slug="pinghu-luggage")).claimed == 4
