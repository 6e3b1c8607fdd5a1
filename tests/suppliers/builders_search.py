"""A small bilingual catalog to search: Baigou bags and Taizhou plastics, plus what must never be found;
and products added through the catalog service, as a supplier adds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.models import Category, IndustrialBelt
from suppliers.catalog_rules import ProductData, product_data_from
from suppliers.models import Product, SupplierProfile
from suppliers.search.index import suppliers_reindex
from suppliers.selectors.catalog import category_by_key
from suppliers.services.catalog import product_create
from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.suppliers.factories_catalog import ProductFactory, image_bytes


@dataclass
class SearchCatalog:
    bags: Category
    backpacks: Category
    plastics: Category
    bins: Category
    baigou: IndustrialBelt
    taizhou: IndustrialBelt
    baigou_factory: SupplierProfile
    baigou_trader: SupplierProfile
    taizhou_factory: SupplierProfile
    school_bag: Product
    canvas_backpack: Product
    handbag: Product
    sorting_bin: Product
    hidden: list[Product]

    @property
    def visible(self) -> list[Product]:
        return [self.school_bag, self.canvas_backpack, self.handbag, self.sorting_bin]


def search_catalog() -> SearchCatalog:
    bags = CategoryFactory(name_en="Bags", name_zh="箱包", slug="search-bags")
    backpacks = CategoryFactory(parent=bags, name_en="Backpacks", name_zh="双肩包", slug="search-backpacks")
    plastics = CategoryFactory(name_en="Plastic products", name_zh="塑料制品", slug="search-plastics")
    bins = CategoryFactory(parent=plastics, name_en="Bins", name_zh="垃圾桶", slug="search-bins")
    baigou = IndustrialBeltFactory(name_en="Baigou bags", name_zh="白沟箱包", province="hebei", slug="search-baigou")
    taizhou = IndustrialBeltFactory(
        name_en="Taizhou plastics", name_zh="台州塑料", province="zhejiang", slug="search-taizhou"
    )
    baigou_factory = SupplierProfileFactory(
        name="Baoding Clearbag Factory",
        name_zh="保定透明箱包厂",
        belt=baigou,
        province="hebei",
        verification_status=SupplierProfile.Verification.VERIFIED,
        business_type=SupplierProfile.BusinessType.MANUFACTURER,
        main_categories=[backpacks],
    )
    baigou_trader = SupplierProfileFactory(
        name="Hebei Outdoor Trading",
        name_zh="河北户外贸易",
        belt=baigou,
        province="hebei",
        business_type=SupplierProfile.BusinessType.TRADING,
        main_categories=[bags],
    )
    taizhou_factory = SupplierProfileFactory(
        name="Taizhou Greenbin Plastics",
        name_zh="台州绿桶塑料",
        belt=taizhou,
        province="zhejiang",
        city="Taizhou",
        verification_status=SupplierProfile.Verification.VERIFIED,
        business_type=SupplierProfile.BusinessType.BOTH,
        main_categories=[bins],
    )
    suppliers_reindex(supplier_ids=[baigou_factory.pk, baigou_trader.pk, taizhou_factory.pk])
    now = timezone.now()
    school_bag = ProductFactory(
        supplier=baigou_factory,
        sku="BG-PVC-001",
        title="透明PVC学生书包",
        description="Transparent PVC school bag, waterproof.",
        category=backpacks,
        moq=100,
        tiers=[(100, "12.50"), (500, "11.80"), (2000, "10.90")],
        lead_time_days=15,
        sample_available=True,
        created_at=now - timedelta(days=3),
    )
    canvas_backpack = ProductFactory(
        supplier=baigou_trader,
        sku="CV-77",
        title="Canvas hiking backpack",
        description="Sturdy canvas, two straps.",
        attributes=[{"name": "material", "value": "canvas"}],
        category=backpacks,
        moq=50,
        tiers=[(50, "30"), (1000, "20")],
        lead_time_days=30,
        sample_available=False,
        created_at=now - timedelta(days=1),
    )
    handbag = ProductFactory(
        supplier=baigou_factory,
        sku="HB-1",
        title="女士手提包 Ladies handbag",
        description="",
        attributes=[],
        category=bags,
        moq=200,
        tiers=[(200, "25")],
        lead_time_days=20,
        sample_available=False,
        created_at=now - timedelta(days=2),
    )
    sorting_bin = ProductFactory(
        supplier=taizhou_factory,
        sku="TZ-BIN-4",
        title="分类垃圾桶 Waste sorting bin, 4 compartments",
        description="For Shanghai's waste-sorting rules.",
        attributes=[{"name": "material", "value": "PP"}],
        category=bins,
        moq=300,
        tiers=[(300, "45"), (1000, "40")],
        lead_time_days=10,
        sample_available=True,
        created_at=now - timedelta(days=4),
    )
    inactive = SupplierProfileFactory(belt=baigou, is_active=False)
    hidden = [
        ProductFactory(
            supplier=baigou_factory, sku="D-1", title="透明书包 draft", category=backpacks, status=Product.Status.DRAFT
        ),
        ProductFactory(
            supplier=baigou_factory,
            sku="A-1",
            title="Transparent backpack 透明书包 archived",
            category=backpacks,
            status=Product.Status.ARCHIVED,
        ),
        ProductFactory(supplier=inactive, sku="I-1", title="透明书包 of an inactive supplier", category=backpacks),
    ]
    return SearchCatalog(
        bags=bags,
        backpacks=backpacks,
        plastics=plastics,
        bins=bins,
        baigou=baigou,
        taizhou=taizhou,
        baigou_factory=baigou_factory,
        baigou_trader=baigou_trader,
        taizhou_factory=taizhou_factory,
        school_bag=school_bag,
        canvas_backpack=canvas_backpack,
        handbag=handbag,
        sorting_bin=sorting_bin,
        hidden=hidden,
    )


def product_data(
    category: Category, *, sku: str, title: str, description: str, moq: int = 500, monthly_capacity: str = ""
) -> ProductData:
    """A published product's input, as the product form sends it, priced at one tier."""
    raw = {
        "sku": sku,
        "title": title,
        "description": description,
        "category": str(category.pk),
        "unit": "piece",
        "moq": str(moq),
        "monthly_capacity": monthly_capacity,
        "currency": "CNY",
        "lead_time_days": "15",
        "tiers": f"{moq}:12.50",
        "status": "published",
    }
    return product_data_from(raw, category_lookup=category_by_key, currency_codes={"CNY"})


def product_written(supplier: SupplierProfile, data: ProductData) -> Product:
    """A product added through the catalog service (as the form and the API add one), with a picture."""
    image = SimpleUploadedFile("bag.png", image_bytes(), content_type="image/png")
    return product_create(supplier=supplier, data=data, images=[image])
