"""Catalog objects for the import and export tests (products with tiers, images, imports)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from marketplace.models import Category
from suppliers.models import PriceTier, Product, ProductImage, SupplierProfile


def product_with_tiers(
    *,
    supplier: SupplierProfile,
    category: Category,
    sku: str,
    tiers: tuple[tuple[int, str], ...] = ((100, "12.50"), (500, "11.80")),
    **fields: Any,
) -> Product:
    values: dict[str, Any] = {
        "title": f"Product {sku}",
        "moq": tiers[0][0],
        "lead_time_days": 15,
        "currency_id": "CNY",
        "belt": supplier.belt,
        "province": supplier.province,
        "min_unit_price": min(Decimal(price) for _quantity, price in tiers),
    }
    values.update(fields)
    product = Product.objects.create(supplier=supplier, category=category, sku=sku, **values)
    PriceTier.objects.bulk_create(
        PriceTier(product=product, min_quantity=quantity, unit_price=Decimal(price)) for quantity, price in tiers
    )
    return product


def png_bytes(size: tuple[int, int] = (120, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def give_image(product: Product) -> ProductImage:
    return ProductImage.objects.create(product=product, image=ContentFile(png_bytes(), name="photo.png"))
