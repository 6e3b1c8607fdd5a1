"""Factories for supplier verification: documents in each review state, and a verified supplier."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from marketplace.models import User
from suppliers.models import Certification, SupplierProfile
from tests.factories import MembershipFactory, SupplierProfileFactory, UserFactory
from tests.suppliers.factories_profile import CertificationFactory


class DocumentFactory(CertificationFactory):
    """A certification waiting for review (the default), submitted some days ago."""

    kind = Certification.Kind.CERTIFICATION
    review_status = Certification.Review.PENDING


class LicenceFactory(DocumentFactory):
    kind = Certification.Kind.BUSINESS_LICENCE
    name = "Business licence"
    issuer = "Administration for Market Regulation"
    expires_on = None


class ApprovedDocumentFactory(DocumentFactory):
    review_status = Certification.Review.APPROVED
    reviewed_at = factory.LazyFunction(timezone.now)


class ApprovedLicenceFactory(LicenceFactory):
    review_status = Certification.Review.APPROVED
    reviewed_at = factory.LazyFunction(timezone.now)


def verified_supplier(*, expires_in_days: int = 365, **kwargs: object) -> SupplierProfile:
    """A verified supplier with an approved licence and one approved certificate expiring in `expires_in_days`."""
    supplier = SupplierProfileFactory(verification_status=SupplierProfile.Verification.VERIFIED, **kwargs)
    ApprovedLicenceFactory(supplier=supplier)
    ApprovedDocumentFactory(
        supplier=supplier, name="ISO 9001", expires_on=timezone.localdate() + timedelta(days=expires_in_days)
    )
    return supplier


def member_of(supplier: SupplierProfile, *, language: str = "zh-hans") -> User:
    user = UserFactory(preferred_language=language)
    MembershipFactory(user=user, company=supplier.company)
    return user
