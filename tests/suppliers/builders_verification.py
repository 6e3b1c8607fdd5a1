"""Builders for supplier verification: a verified supplier with its approved documents, and a member."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from marketplace.models import User
from suppliers.models import SupplierProfile
from tests.factories import MembershipFactory, SupplierProfileFactory, UserFactory
from tests.suppliers.factories_verification import ApprovedDocumentFactory, ApprovedLicenceFactory


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
