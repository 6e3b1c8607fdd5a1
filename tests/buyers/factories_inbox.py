"""Factories for the supplier's side of RFQs: attachments, and suppliers that work in a category."""

from __future__ import annotations

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from buyers.models import RfqAttachment
from marketplace.models import Category
from suppliers.models import SupplierProfile
from tests.buyers.factories import SourcingRequestFactory

DRAWING = b"%PDF-1.4\n% a drawing of the backpack\n"


class RfqAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = RfqAttachment

    rfq = factory.SubFactory(SourcingRequestFactory)
    original_name = "backpack-drawing.pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(DRAWING, name=o.original_name))
    size = len(DRAWING)


def works_in(supplier: SupplierProfile, *categories: Category) -> SupplierProfile:
    """Give the supplier these main categories (what puts public RFQs on its board)."""
    supplier.main_categories.add(*categories)
    return supplier
