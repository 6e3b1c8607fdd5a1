"""The demo's belt manager: the Taizhou belt office, which runs the onboarding of the Taizhou
plastics belt and nothing else. Safe to run any number of times (after the belts are seeded)."""

from __future__ import annotations

from django.db import transaction

from marketplace.demo.accounts import DEMO_DOMAIN
from marketplace.models import Currency, IndustrialBelt, User

BELT_MANAGER_EMAIL = f"belt-manager@{DEMO_DOMAIN}"
BELT_MANAGER_NAME = "Taizhou belt office"
BELT_MANAGER_BELT = "taizhou-plastics"


def seed_demo_belt_manager(*, password: str) -> str:
    """Create or refresh the demo belt manager (Chinese interface, yuan), manager of the Taizhou
    plastics belt only; return its e-mail. The password is set again each run."""
    with transaction.atomic():
        belt = IndustrialBelt.objects.filter(slug=BELT_MANAGER_BELT).first()
        if belt is None:
            raise LookupError(f"The belt “{BELT_MANAGER_BELT}” is not seeded yet: run the belt seed first.")
        user = User.objects.filter(email__iexact=BELT_MANAGER_EMAIL).first()
        if user is None:
            user = User.objects.create_user(BELT_MANAGER_EMAIL, None, name=BELT_MANAGER_NAME)
        user.name = BELT_MANAGER_NAME
        user.preferred_language = "zh-hans"
        if Currency.objects.filter(code="CNY").exists():
            user.preferred_currency_id = "CNY"
        user.is_staff = False
        user.is_superuser = False
        user.is_active = True
        user.set_password(password)
        user.save()
        belt.managers.add(user)
    return user.email
