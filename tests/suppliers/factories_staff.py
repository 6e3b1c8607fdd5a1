"""Factories for the staff screens: belt factory invitations and imports, metric snapshots,
verification events. Other areas' tests build these through their own services; the staff
dashboard and the admin only need rows to show."""

from __future__ import annotations

import secrets
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from suppliers.models import FactoryImport, FactoryInvitation, SupplierMetricSnapshot, VerificationEvent
from tests.factories import IndustrialBeltFactory, SupplierProfileFactory
from tests.suppliers.factories_profile import CertificationFactory


class FactoryImportFactory(DjangoModelFactory):
    class Meta:
        model = FactoryImport

    belt = factory.SubFactory(IndustrialBeltFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"company,contact name,e-mail\n", name="factories.csv"))
    original_name = "factories.csv"
    file_format = "csv"
    status = FactoryImport.Status.DONE
    total_rows = 3
    processed_rows = 3
    invited_count = 3


class FactoryInvitationFactory(DjangoModelFactory):
    """An invitation sent a week ago, not claimed yet (pass `claimed_at` and `supplier` for a claimed one)."""

    class Meta:
        model = FactoryInvitation

    belt = factory.SubFactory(IndustrialBeltFactory)
    company_name = factory.Sequence(lambda n: f"Belt factory {n} Co., Ltd.")
    contact_name = "Li Wei"
    email = factory.Sequence(lambda n: f"factory{n}@example.cn")
    phone = "+86 576 8888 0000"
    monthly_capacity = 50_000
    token_nonce = factory.LazyFunction(lambda: secrets.token_hex(16))
    sent_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=23))


class SupplierMetricSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = SupplierMetricSnapshot

    supplier = factory.SubFactory(SupplierProfileFactory)
    taken_on = factory.LazyFunction(timezone.localdate)
    response_rate = 80
    response_median_minutes = 90


class VerificationEventFactory(DjangoModelFactory):
    class Meta:
        model = VerificationEvent

    document = factory.SubFactory(CertificationFactory)
    supplier = factory.LazyAttribute(lambda o: o.document.supplier)
    action = VerificationEvent.Action.SUBMITTED
