"""Factories for the catalog: products, their price tiers and images. Other test modules import these.

`ProductFactory()` gives a published product with one tier at its MOQ (price 10.00), its
denormalised fields (belt, province, lowest price) and its search text filled as the services
would; pass `tiers=[(100, "12.50"), (500, "11.80")]` for other tiers, `tiers=[]` for none, and
`status=Product.Status.DRAFT` for a draft. `ProductImageFactory(product=...)` adds a real small PNG.
"""

from __future__ import annotations

import io
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from suppliers.models import PriceTier, Product, ProductImage
from suppliers.search.index import products_reindex
from tests.factories import CategoryFactory, CurrencyFactory, SupplierProfileFactory


def image_bytes(*, size: tuple[int, int] = (120, 120), image_format: str = "PNG", colour: str = "teal") -> bytes:
    """A real, small image file's content."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    supplier = factory.SubFactory(SupplierProfileFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    title = factory.Sequence(lambda n: f"Transparent PVC school backpack {n}")
    description = "Clear PVC backpack for schools. 透明书包"
    category = factory.SubFactory(CategoryFactory)
    attributes = factory.LazyFunction(lambda: [{"name": "material", "value": "PVC"}])
    unit = "piece"
    moq = 100
    currency = factory.SubFactory(CurrencyFactory, code="CNY")
    lead_time_days = 15
    monthly_capacity = 50_000
    status = Product.Status.PUBLISHED
    belt = factory.LazyAttribute(lambda o: o.supplier.belt)
    province = factory.LazyAttribute(lambda o: o.supplier.province)
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Product.Status.PUBLISHED else None)

    @factory.post_generation
    def tiers(self, create: bool, extracted: list[tuple[int, object]] | None, **kwargs: object) -> None:
        if not create:
            return
        pairs = [(self.moq, Decimal("10.00"))] if extracted is None else extracted
        PriceTier.objects.bulk_create(
            PriceTier(product=self, min_quantity=quantity, unit_price=Decimal(str(price))) for quantity, price in pairs
        )
        self.min_unit_price = min((Decimal(str(price)) for _quantity, price in pairs), default=None)
        Product.objects.filter(pk=self.pk).update(min_unit_price=self.min_unit_price)
        products_reindex(product_ids=[self.pk])
        self.search_text = Product.objects.values_list("search_text", flat=True).get(pk=self.pk)


class PriceTierFactory(DjangoModelFactory):
    class Meta:
        model = PriceTier

    product = factory.SubFactory(ProductFactory, tiers=[])
    min_quantity = 100
    unit_price = Decimal("10.00")


class ProductImageFactory(DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="product.png"))
    thumbnail = factory.LazyFunction(
        lambda: ContentFile(image_bytes(size=(100, 100), image_format="JPEG"), name="product-thumb.jpg")
    )
    position = factory.Sequence(lambda n: n)
