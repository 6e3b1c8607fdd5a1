"""Hand-built matching cases: story 1's transparent-backpack RFQ and the suppliers it could go to.

`backpack_world()` gives the category tree (Bags › Backpacks, Plastic products), the Baigou bag
belt and the Taizhou plastics belt, and four suppliers of the backpack category, each with a member
(the Baigou ones read Chinese):

- `baigou_big`: Baigou bag factory, verified, exports to Sri Lanka, 14 transparent backpacks ready
  in 15 days, a product line of 200,000 backpacks a month, answers 95 % of requests in about 2 h;
- `baigou_small`: Baigou bag factory, 2 backpacks ready in 12 days, 100,000 a month per product;
- `baigou_late`: Baigou bag factory with 10 backpacks and the capacity, but 30 days' lead time;
- `taizhou`: a verified Taizhou plastics maker with one clear plastic backpack (30,000 a month).

`backpack_rfq(world)` is the Sri Lankan distributor's RFQ: 50,000 transparent school backpacks
needed in three weeks, open and public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from buyers.models import SourcingRequest
from buyers.services.matching import supplier_category_facts_rebuild
from marketplace.models import Category, IndustrialBelt, User
from suppliers.models import SupplierProfile
from tests.buyers.factories import SourcingRequestFactory
from tests.factories import (
    CategoryFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    SupplierProfileFactory,
    UserFactory,
)
from tests.suppliers.factories_catalog import ProductFactory
from tests.suppliers.factories_profile import ProductLineCapacityFactory


@dataclass
class BackpackWorld:
    bags: Category
    backpacks: Category
    plastics: Category
    baigou: IndustrialBelt
    taizhou: IndustrialBelt
    baigou_big: SupplierProfile
    baigou_small: SupplierProfile
    baigou_late: SupplierProfile
    taizhou_maker: SupplierProfile

    def member(self, supplier: SupplierProfile) -> User:
        return supplier.company.memberships.select_related("user").first().user


def supplier_with_member(*, language: str = "zh-hans", **fields: object) -> SupplierProfile:
    supplier = SupplierProfileFactory(**fields)
    MembershipFactory(user=UserFactory(preferred_language=language), company=supplier.company)
    return supplier


def backpacks_of(supplier: SupplierProfile, count: int, *, category: Category, **fields: object) -> None:
    for number in range(count):
        ProductFactory(
            supplier=supplier,
            category=category,
            title=f"Transparent PVC school backpack model {number}",
            description="Clear PVC backpack for schools. 透明书包",
            **fields,
        )


def backpack_world() -> BackpackWorld:
    bags = CategoryFactory(name_en="Bags", name_zh="箱包", slug="match-bags")
    backpacks = CategoryFactory(parent=bags, name_en="Backpacks", name_zh="双肩包", slug="match-backpacks")
    plastics = CategoryFactory(name_en="Plastic products", name_zh="塑料制品", slug="match-plastics")
    baigou = IndustrialBeltFactory(
        name_en="Baigou bags", name_zh="白沟箱包", province="hebei", city="Baigou", specialties=[bags]
    )
    taizhou = IndustrialBeltFactory(
        name_en="Taizhou plastics", name_zh="台州塑料", province="zhejiang", city="Taizhou", specialties=[plastics]
    )
    baigou_big = supplier_with_member(
        name="Baoding Clearbag Factory",
        name_zh="保定透明箱包厂",
        belt=baigou,
        verification_status=SupplierProfile.Verification.VERIFIED,
        export_markets=["LK", "IN"],
        response_rate=95,
        response_median_minutes=120,
        main_categories=[backpacks],
    )
    backpacks_of(baigou_big, 14, category=backpacks, lead_time_days=15, moq=500, monthly_capacity=20_000)
    ProductLineCapacityFactory(
        supplier=baigou_big, category=backpacks, product_line="PVC backpacks", monthly_capacity=200_000
    )
    baigou_small = supplier_with_member(name="Baigou Little Bags", belt=baigou, main_categories=[backpacks])
    backpacks_of(baigou_small, 2, category=backpacks, lead_time_days=12, moq=1000, monthly_capacity=100_000)
    baigou_late = supplier_with_member(name="Baigou Slow Bags", belt=baigou, main_categories=[backpacks])
    backpacks_of(baigou_late, 10, category=backpacks, lead_time_days=30, moq=1000, monthly_capacity=200_000)
    taizhou_maker = supplier_with_member(
        name="Taizhou Clear Plastics",
        belt=taizhou,
        province="zhejiang",
        city="Taizhou",
        verification_status=SupplierProfile.Verification.VERIFIED,
        export_markets=["LK"],
        main_categories=[plastics],
    )
    ProductFactory(
        supplier=taizhou_maker,
        category=backpacks,
        title="Clear plastic PVC backpack",
        description="Injection-moulded clear plastic backpack.",
        lead_time_days=10,
        moq=2000,
        monthly_capacity=30_000,
    )
    # The factories write products directly, without the catalog services that announce a change.
    supplier_category_facts_rebuild()
    return BackpackWorld(
        bags=bags,
        backpacks=backpacks,
        plastics=plastics,
        baigou=baigou,
        taizhou=taizhou,
        baigou_big=baigou_big,
        baigou_small=baigou_small,
        baigou_late=baigou_late,
        taizhou_maker=taizhou_maker,
    )


def backpack_rfq(world: BackpackWorld, **fields: object) -> SourcingRequest:
    values: dict[str, object] = {
        "title": "Transparent school backpacks",
        "description": "Clear PVC backpacks for schools, 50,000 pieces.",
        "category": world.backpacks,
        "quantity": 50_000,
        "unit": "piece",
        "destination_country": "LK",
        "destination_city": "Colombo",
        "required_by": timezone.localdate() + timedelta(days=21),
    }
    values.update(fields)
    return SourcingRequestFactory(**values)
