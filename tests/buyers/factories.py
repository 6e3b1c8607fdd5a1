"""Factories for sourcing requests, their attachments and matches. Other test modules import these.

`SourcingRequestFactory()` gives an OPEN public RFQ (50,000 pieces, due in three weeks, quotes
due in a week) from a new buyer company in Sri Lanka; pass `status=SourcingRequest.Status.DRAFT`
for a draft (no `published_at`). `RfqAttachmentFactory(rfq=...)` attaches a small PDF drawing.
`MatchFactory(rfq=..., supplier=...)` gives a matched supplier with one reason.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from buyers.models import Match, RfqAttachment, SourcingRequest
from suppliers.search.segment import segment
from tests.factories import CategoryFactory, CompanyFactory, CurrencyFactory, SupplierProfileFactory, UserFactory


class SourcingRequestFactory(DjangoModelFactory):
    class Meta:
        model = SourcingRequest

    buyer = factory.SubFactory(CompanyFactory, country="LK")
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Transparent school backpacks {n}")
    description = "Clear PVC backpacks for schools, 50,000 pieces."
    category = factory.SubFactory(CategoryFactory)
    quantity = 50_000
    unit = "piece"
    currency = factory.SubFactory(CurrencyFactory, code="USD")
    destination_country = "LK"
    destination_city = "Colombo"
    incoterm = "FOB"
    required_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=21))
    quote_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    visibility = SourcingRequest.Visibility.PUBLIC
    status = SourcingRequest.Status.OPEN
    search_text = factory.LazyAttribute(lambda o: segment(o.title, o.description))
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status != SourcingRequest.Status.DRAFT else None)


DRAWING = b"%PDF-1.4\n% a drawing of the backpack\n"


class RfqAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = RfqAttachment

    rfq = factory.SubFactory(SourcingRequestFactory)
    original_name = "backpack-drawing.pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(DRAWING, name=o.original_name))
    size = len(DRAWING)


class MatchFactory(DjangoModelFactory):
    class Meta:
        model = Match

    rfq = factory.SubFactory(SourcingRequestFactory)
    supplier = factory.SubFactory(SupplierProfileFactory)
    source = Match.Source.MATCHED
    score = 5.0
    rank = 1
    reasons = factory.LazyFunction(lambda: [{"code": "products", "count": 3}])
    notified_at = factory.LazyFunction(timezone.now)
