"""Factories for the supplier profile's sections: capacity per product line, certifications, factory photos."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from suppliers.models import Certification, FactoryPhoto, ProductLineCapacity
from tests.factories import CategoryFactory, SupplierProfileFactory
from tests.suppliers.factories_catalog import image_bytes

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class ProductLineCapacityFactory(DjangoModelFactory):
    class Meta:
        model = ProductLineCapacity

    supplier = factory.SubFactory(SupplierProfileFactory)
    category = factory.SubFactory(CategoryFactory)
    product_line = factory.Sequence(lambda n: f"Product line {n}")
    monthly_capacity = 100_000
    unit = "piece"


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification

    supplier = factory.SubFactory(SupplierProfileFactory)
    name = factory.Sequence(lambda n: f"ISO 900{n % 10}")
    issuer = "SGS"
    number = factory.Sequence(lambda n: f"CN-{n:06d}")
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="certificate.pdf"))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class FactoryPhotoFactory(DjangoModelFactory):
    class Meta:
        model = FactoryPhoto

    supplier = factory.SubFactory(SupplierProfileFactory)
    image = factory.LazyFunction(lambda: ContentFile(image_bytes(size=(200, 150)), name="workshop.png"))
    thumbnail = factory.LazyFunction(lambda: ContentFile(image_bytes(size=(100, 100)), name="workshop-thumb.jpg"))
    caption = factory.Sequence(lambda n: f"Workshop {n}")
    position = factory.Sequence(lambda n: n)
