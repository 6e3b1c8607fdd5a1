"""The factory invitation of the belt staff pages' tests (`tests/suppliers/builders_belts.py` walks it
through the funnel)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from suppliers.models import FactoryInvitation


class FactoryInvitationFactory(DjangoModelFactory):
    class Meta:
        model = FactoryInvitation

    company_name = factory.Sequence(lambda n: f"Taizhou Plastics Factory {n}")
    contact_name = "陈明"
    email = factory.Sequence(lambda n: f"factory{n}@taizhou-plastics.cn")
    phone = "+86 576 8888 0000"
    token_nonce = factory.LazyFunction(lambda: secrets.token_hex(16))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
