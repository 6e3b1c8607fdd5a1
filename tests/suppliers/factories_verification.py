"""Factories for supplier verification: documents in each review state."""

from __future__ import annotations

import factory
from django.utils import timezone

from suppliers.models import Certification
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
