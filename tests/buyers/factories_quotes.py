"""Factories for quotes. `QuoteFactory(rfq=..., supplier=...)` gives an active quote for the RFQ's
whole quantity at 2.50 USD, 15 days' lead time, valid for a month, with its first version."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.db.models import F
from django.utils import timezone
from factory.django import DjangoModelFactory

from buyers.models import Quote, QuoteVersion
from buyers.quote_rules import QuoteTerms
from tests.buyers.factories import SourcingRequestFactory
from tests.factories import CurrencyFactory, SupplierProfileFactory


class QuoteFactory(DjangoModelFactory):
    class Meta:
        model = Quote
        skip_postgeneration_save = True

    rfq = factory.SubFactory(SourcingRequestFactory)
    supplier = factory.SubFactory(SupplierProfileFactory)
    unit_price = Decimal("2.50")
    currency = factory.SubFactory(CurrencyFactory, code="USD")
    quantity = factory.LazyAttribute(lambda o: o.rfq.quantity)
    lead_time_days = 15
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    incoterm = "FOB"
    port = "Tianjin"

    @factory.post_generation
    def first_version(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            QuoteVersion.objects.create(quote=self, number=1, terms=QuoteTerms.of_quote(self).as_json())
            type(self.rfq).objects.filter(pk=self.rfq_id).update(quote_count=F("quote_count") + 1)
