"""The demo catalog: every demo belt's factories get 5-15 published, bilingual products.

`seed_demo_catalog()` runs after `marketplace.demo.seed_demo` and `suppliers.demo.factories`
(the `seed_demo` command calls them in order).
Products are upserted by (supplier, SKU), so seeding again leaves the same rows; each product's
input goes through `catalog_rules.product_data_from`, the same validation as the product form,
the API and the import. Each product gets one generated picture (a coloured square with the
initials of its English title) and its thumbnail, once.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from marketplace.demo.belts import BELTS
from marketplace.models import Category, Currency
from suppliers.catalog_rules import ProductData, product_data_from
from suppliers.demo.products import COLOURS, LINES, ProductLine, lines_by_category
from suppliers.models import Product, SupplierProfile
from suppliers.services.catalog import product_create, product_update

MIN_PRODUCTS = 5
MAX_PRODUCTS = 15
IMAGE_SIDE = 240
CENT = Decimal("0.01")
# Discounts of the second and third price tiers, at 5× and 20× the MOQ.
TIER_STEPS = ((5, Decimal("0.93")), (20, Decimal("0.86")))
PALETTE = ((37, 99, 235), (5, 150, 105), (217, 119, 6), (220, 38, 38), (124, 58, 237), (8, 145, 178))


@dataclass
class CatalogSummary:
    suppliers: int = 0
    products: int = 0
    created: int = 0
    images: int = 0


def _stable(*parts: object) -> int:
    """A number that depends only on its inputs (Python's hash() changes between runs)."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def _demo_suppliers() -> list[SupplierProfile]:
    slugs = [belt.slug for belt in BELTS]
    return list(
        SupplierProfile.objects.filter(belt__slug__in=slugs)
        .select_related("belt")
        .prefetch_related("main_categories", "belt__specialties")
        .order_by("belt__slug", "pk")
    )


def _lines_for(supplier: SupplierProfile, categories: list[Category]) -> list[ProductLine]:
    """The product lines under the supplier's main categories, else under its belt's specialties."""
    by_category = lines_by_category()
    for roots in (list(supplier.main_categories.all()), list(supplier.belt.specialties.all()) if supplier.belt else []):
        paths = [root.path for root in roots]
        slugs = [category.slug for category in categories if any(category.path.startswith(p) for p in paths)]
        found = [line for slug in slugs for line in by_category.get(slug, [])]
        if found:
            return found
    return [LINES[0]]


def _titles(line: ProductLine, start: int) -> Iterator[tuple[str, str]]:
    """(Chinese, English) titles of a line: every modifier with every noun, then colour variants."""
    combos = [(m_zh + n_zh, f"{m_en} {n_en}") for m_zh, m_en in line.modifiers for n_zh, n_en in line.nouns]
    combos = combos[start % len(combos) :] + combos[: start % len(combos)]
    yield from combos
    for colour_zh, colour_en in COLOURS:
        for zh, en in combos:
            yield f"{colour_zh}{zh}", f"{en}, {colour_en}"


def _price(line: ProductLine, seed: int) -> Decimal:
    low, high = Decimal(line.price_cny[0]), Decimal(line.price_cny[1])
    return (low + (high - low) * Decimal(seed % 1000) / 1000).quantize(CENT, rounding=ROUND_HALF_UP)


def _raw_product(
    *, supplier: SupplierProfile, line: ProductLine, number: int, title_zh: str, title_en: str
) -> dict[str, Any]:
    seed = _stable(supplier.company_id, line.category, number)
    price = _price(line, seed)
    moq = line.moq
    tiers = [(moq, price)] + [
        (moq * factor, (price * discount).quantize(CENT, rounding=ROUND_HALF_UP)) for factor, discount in TIER_STEPS
    ]
    lead_time = max(3, line.lead_time_days + seed % 7 - 3)
    belt = supplier.belt
    place_zh = belt.name_zh if belt else ""
    place_en = belt.name_en if belt else ""
    description = (
        f"{title_zh}。{place_zh}工厂直供，起订量{moq}，{lead_time}天交货，支持定制logo与包装。\n"
        f"{title_en}, made by a factory of the {place_en} belt. MOQ {moq}, ready in {lead_time} days; "
        "custom logo and packaging available."
    )
    return {
        "sku": f"{line.category.upper()[:14]}-{number:03d}",
        "title": f"{title_zh} {title_en}",
        "description": description,
        "category": line.category,
        "unit": line.unit,
        "moq": moq,
        "currency": "CNY",
        "lead_time_days": lead_time,
        "tiers": tiers,
        "attributes": list(line.attributes),
        "monthly_capacity": moq * (200 + seed % 800),
        "sample_available": seed % 4 != 0,
        "sample_price": (price * 2).quantize(CENT) if seed % 4 != 0 else None,
        "sample_days": 3 + seed % 5 if seed % 4 != 0 else None,
        "status": Product.Status.PUBLISHED,
    }


def demo_products_for(supplier: SupplierProfile, *, categories: list[Category], position: int) -> list[dict[str, Any]]:
    """The raw input of a supplier's demo products: 5-15, spread over its product lines.

    `position` is the supplier's place among the demo suppliers, so neighbours start their titles
    at different combinations.
    """
    lines = _lines_for(supplier, categories)
    count = MIN_PRODUCTS + _stable(supplier.name) % (MAX_PRODUCTS - MIN_PRODUCTS + 1)
    titles = {id(line): _titles(line, position) for line in lines}
    products = []
    for number in range(1, count + 1):
        line = lines[(number - 1) % len(lines)]
        title_zh, title_en = next(titles[id(line)])
        products.append(_raw_product(supplier=supplier, line=line, number=number, title_zh=title_zh, title_en=title_en))
    return products


def _initials(title_en: str) -> str:
    words = [word for word in title_en.replace(",", " ").split() if word[:1].isalpha()]
    return "".join(word[0].upper() for word in words[:3]) or "SB"


def product_picture(*, initials: str, seed: int) -> SimpleUploadedFile:
    """A square PNG in one of a few colours with the product's initials: quick, and clearly a placeholder."""
    colour = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", (IMAGE_SIDE, IMAGE_SIDE), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=72)
    draw.text((IMAGE_SIDE / 2, IMAGE_SIDE / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{initials.lower()}.png", buffer.getvalue(), content_type="image/png")


def _english_part(title: str) -> str:
    """The English half of a demo title ("透明PVC学生书包 Transparent PVC school backpack")."""
    words = title.split()
    return " ".join(word for word in words if word.isascii())


def seed_demo_catalog() -> CatalogSummary:
    """Create or refresh the demo suppliers' catalogs in one transaction; safe to run any number of times.

    Needs the demo belts and categories (`marketplace.demo.seed_demo`) and suppliers
    (`suppliers.demo.factories.seed_demo_suppliers`). Keeps the
    denormalised belt, province and lowest price, and the search text, of every product it writes.
    """
    summary = CatalogSummary()
    with transaction.atomic():
        categories = list(Category.objects.all())
        by_slug = {category.slug: category for category in categories}
        currency_codes = set(Currency.objects.filter(is_active=True).values_list("code", flat=True))
        suppliers = _demo_suppliers()
        existing = {
            (supplier_id, sku): pk
            for pk, supplier_id, sku in Product.objects.filter(supplier__in=suppliers).values_list(
                "pk", "supplier_id", "sku"
            )
        }
        for position, supplier in enumerate(suppliers):
            for raw in demo_products_for(supplier, categories=categories, position=position):
                data = product_data_from(raw, category_lookup=by_slug.get, currency_codes=currency_codes)
                product_id = existing.get((supplier.pk, data.sku))
                if product_id is None:
                    product_create(supplier=supplier, data=data, images=[_picture_for(data)])
                    summary.created += 1
                    summary.images += 1
                else:
                    product_update(supplier=supplier, product_id=product_id, data=data)
                summary.products += 1
            summary.suppliers += 1
    return summary


def _picture_for(data: ProductData) -> SimpleUploadedFile:
    initials = _initials(_english_part(data.title))
    return product_picture(initials=initials, seed=_stable(data.sku, data.title))


__all__ = ["CatalogSummary", "demo_products_for", "product_picture", "seed_demo_catalog"]
