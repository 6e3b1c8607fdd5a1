"""`seed_demo` gives every demo belt's factories a bilingual, published catalog worth searching."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Count, Min

from marketplace.demo.belts import BELTS
from suppliers.demo.catalog import seed_demo_catalog
from suppliers.models import PriceTier, Product, ProductImage, SupplierProfile
from suppliers.pricing import product_unit_price_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo: str) -> None:
    """The demo data, seeded once for all the tests that use it (pictures under the test run's MEDIA_ROOT)."""


def catalog_rows() -> dict[str, int]:
    """The rows of the demo catalog's own suppliers (the onboarding demo adds a claimed factory's catalog)."""
    belts = [belt.slug for belt in BELTS]
    return {
        "Product": Product.objects.filter(supplier__belt__slug__in=belts).count(),
        "PriceTier": PriceTier.objects.filter(product__supplier__belt__slug__in=belts).count(),
        "ProductImage": ProductImage.objects.filter(product__supplier__belt__slug__in=belts).count(),
    }


def test_every_demo_supplier_sells_5_to_15_published_products(seeded: None) -> None:
    suppliers = SupplierProfile.objects.filter(belt__slug__in=[belt.slug for belt in BELTS]).annotate(
        n=Count("products")
    )
    assert suppliers.count() >= 20
    assert all(5 <= supplier.n <= 15 for supplier in suppliers), {s.name: s.n for s in suppliers}
    assert not Product.objects.exclude(status=Product.Status.PUBLISHED).exists()
    assert Product.objects.published().count() == Product.objects.count()


def test_a_baigou_factory_sells_transparent_pvc_school_backpacks_in_both_languages(seeded: None) -> None:
    product = Product.objects.get(title="透明PVC学生书包 Transparent PVC school backpack")
    assert product.belt.slug == "baigou-bags"
    assert product.province == "hebei"
    assert product.category.slug == "transparent-backpacks"
    assert "白沟" in product.description
    assert "Baigou" in product.description
    assert {"name": "material", "value": "PVC 聚氯乙烯"} in product.attributes


def test_each_belt_sells_what_it_is_known_for(seeded: None) -> None:
    def titles(belt: str) -> str:
        return " ".join(Product.objects.filter(belt__slug=belt).values_list("title", flat=True))

    assert "垃圾分类垃圾桶" in titles("taizhou-plastics")
    assert "bucket" in titles("taizhou-plastics")
    assert "儿童T恤" in titles("zhili-childrens-clothing")
    assert "毛绒" in titles("chenghai-toys")
    assert "玩具车" in titles("chenghai-toys")
    assert "笔" in titles("yiwu-small-commodities")
    assert "丁腈手套" in titles("zibo-gloves")


def test_prices_fall_with_quantity_and_the_lowest_price_is_kept_on_the_product(seeded: None) -> None:
    product = Product.objects.prefetch_related("tiers").get(title="透明PVC学生书包 Transparent PVC school backpack")
    tiers = list(product.tiers.all())
    assert len(tiers) == 3
    assert tiers[0].min_quantity == product.moq
    assert product_unit_price_at(product, product.moq) > product_unit_price_at(product, product.moq * 20)
    assert product_unit_price_at(product, product.moq - 1) is None
    lowest = Product.objects.annotate(lowest=Min("tiers__unit_price"))
    assert all(row.lowest == row.min_unit_price for row in lowest)


def test_every_product_has_one_picture_with_a_thumbnail(seeded: None) -> None:
    assert ProductImage.objects.count() == Product.objects.count()
    image = ProductImage.objects.first()
    assert image.width == image.height == 240
    assert image.thumbnail.name.endswith(".jpg")
    assert Path(image.image.path).exists()
    assert Path(image.thumbnail.path).exists()


def test_the_search_text_is_kept_for_every_product(seeded: None) -> None:
    assert not Product.objects.filter(search_text="").exists()
    product = Product.objects.get(title="透明PVC学生书包 Transparent PVC school backpack")
    assert "backpack" in product.search_text


def test_seeding_the_catalog_again_leaves_the_same_rows(seeded: None) -> None:
    first = catalog_rows()
    summary = seed_demo_catalog()
    assert catalog_rows() == first
    assert summary.created == 0
    assert summary.images == 0
    assert summary.products == first["Product"]
