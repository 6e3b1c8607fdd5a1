"""Factories for belt onboarding: a belt mid-onboarding and its factory invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from marketplace.models import IndustrialBelt
from suppliers.models import FactoryInvitation
from tests.factories import IndustrialBeltFactory


class OnboardingBeltFactory(IndustrialBeltFactory):
    status = IndustrialBelt.Status.ONBOARDING
    province = "zhejiang"
    city = "Pinghu"


class FactoryInvitationFactory(DjangoModelFactory):
    class Meta:
        model = FactoryInvitation
        skip_postgeneration_save = True

    belt = factory.SubFactory(OnboardingBeltFactory)
    company_name = factory.Sequence(lambda n: f"Pinghu Factory {n} Co., Ltd.")
    contact_name = "Li Wei"
    email = factory.Sequence(lambda n: f"factory{n}@example.cn")
    phone = "+86 573 555 0100"
    monthly_capacity = 50_000
    language = "zh-hans"
    token_nonce = factory.LazyFunction(lambda: secrets.token_hex(16))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def categories(self, create: bool, extracted: list[Any] | None, **kwargs: object) -> None:
        if create and extracted:
            self.categories.set(extracted)
