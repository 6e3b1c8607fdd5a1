"""Demo sourcing requests: open RFQs from buyers in several countries, published (so matched and
notified through the same services as real ones). Safe to run again: a request with the same
buyer and title is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from buyers.models import SourcingRequest
from buyers.services.posting import rfq_publish
from buyers.services.rfqs import rfq_record_created
from marketplace.demo.accounts import BUYER, DEFAULT_PASSWORD, DEMO_DOMAIN
from marketplace.models import Category, Company, Currency, Membership, User
from suppliers.search.segment import segment


@dataclass(frozen=True)
class DemoBuyer:
    key: str
    name: str
    company: str
    country: str
    city: str
    language: str
    currency: str


@dataclass(frozen=True)
class DemoRfq:
    buyer: str
    title: str
    description: str
    category: str
    quantity: int
    unit: str
    destination_city: str
    incoterm: str
    due_in_days: int
    deadline_in_days: int
    currency: str
    target_price: str | None = None
    allow_split: bool = False


# Story 3: 300,000 mascot toys in a month; 32 plush factories quote on it (orders.demo_mascots).
MASCOT_TOYS = "Mascot plush toys for a football club"

BUYERS = [
    DemoBuyer("kenya", "Achieng Otieno", "Nairobi School Supplies Ltd", "KE", "Nairobi", "en", "KES"),
    DemoBuyer("germany", "Jonas Weber", "Weber Haushaltswaren GmbH", "DE", "Hamburg", "en", "EUR"),
    DemoBuyer("brazil", "Mariana Souza", "Brinquedos Alegria Ltda", "BR", "São Paulo", "en", "BRL"),
    DemoBuyer("shanghai", "李静", "上海绿色社区物业管理有限公司", "CN", "Shanghai", "zh-hans", "CNY"),
]

RFQS = [
    DemoRfq(
        "lanka",
        "Transparent school backpacks, 50,000 pcs",
        "Clear PVC backpacks for the new school rules: transparent body, padded straps, 16 inch. "
        "Logo printing on the front pocket. Delivery to Colombo within three weeks.",
        "transparent-backpacks",
        50_000,
        "piece",
        "Colombo",
        "CIF",
        21,
        5,
        "USD",
        "2.80",
        True,
    ),
    DemoRfq(
        "kenya",
        "School bags for primary pupils",
        "Polyester school bags with reflective strips, two compartments, our logo embroidered.",
        "school-bags",
        12_000,
        "piece",
        "Mombasa",
        "FOB",
        45,
        10,
        "USD",
        "3.50",
    ),
    DemoRfq(
        "germany",
        "Waste sorting bins, 4 compartments",
        "Kitchen waste sorting bins, PP, 4 x 10 L, colours by waste type, retail box with German text.",
        "sorting-bins",
        8_000,
        "piece",
        "Hamburg",
        "FOB",
        60,
        14,
        "EUR",
    ),
    DemoRfq(
        "shanghai",
        "分类垃圾桶 240升 户外",
        "小区垃圾分类用240升户外分类垃圾桶，四色（可回收物、有害垃圾、湿垃圾、干垃圾），带轮带盖，印刷标识。",
        "outdoor-bins",
        3_000,
        "piece",
        "上海",
        "DAP",
        30,
        7,
        "CNY",
    ),
    DemoRfq(
        "brazil",
        MASCOT_TOYS,
        "Plush mascot toys, 30 cm, embroidered club badge, CE/EN71 tested. Can be split across factories.",
        "mascot-toys",
        300_000,
        "piece",
        "Santos",
        "FOB",
        30,
        6,
        "USD",
        "1.90",
        True,
    ),
]


def _buyer_company(spec: DemoBuyer, password_hash: str) -> tuple[Company, User]:
    user, _ = User.objects.get_or_create(
        email=f"buyer-{spec.key}@{DEMO_DOMAIN}",
        defaults={
            "name": spec.name,
            "preferred_language": spec.language,
            "preferred_currency_id": spec.currency if Currency.objects.filter(pk=spec.currency).exists() else "USD",
            "password": password_hash,
        },
    )
    company, _ = Company.objects.get_or_create(name=spec.company, defaults={"country": spec.country, "city": spec.city})
    Membership.objects.get_or_create(user=user, company=company, defaults={"role": Membership.Role.OWNER})
    return company, user


def _lanka_buyer() -> tuple[Company, User]:
    user = User.objects.get(email=BUYER.email)
    return Company.objects.get(name=BUYER.company), user


def seed_demo_rfqs(*, password: str = DEFAULT_PASSWORD) -> int:
    """Create and publish the demo RFQs; returns how many were new."""
    password_hash = make_password(password)
    buyers = {spec.key: _buyer_company(spec, password_hash) for spec in BUYERS}
    buyers["lanka"] = _lanka_buyer()
    categories = {category.slug: category for category in Category.objects.filter(slug__in={r.category for r in RFQS})}
    created = 0
    today = timezone.localdate()
    for spec in RFQS:
        company, user = buyers[spec.buyer]
        if SourcingRequest.objects.filter(buyer=company, title=spec.title).exists():
            continue
        with transaction.atomic():
            rfq = SourcingRequest.objects.create(
                buyer=company,
                created_by=user,
                title=spec.title,
                description=spec.description,
                category=categories[spec.category],
                quantity=spec.quantity,
                unit=spec.unit,
                target_unit_price=Decimal(spec.target_price) if spec.target_price else None,
                currency_id=spec.currency,
                destination_country=company.country,
                destination_city=spec.destination_city,
                incoterm=spec.incoterm,
                required_by=today + timedelta(days=spec.due_in_days),
                quote_deadline=timezone.now() + timedelta(days=spec.deadline_in_days),
                allow_split=spec.allow_split,
                search_text=segment(spec.title, spec.description),
            )
            rfq_record_created(rfq, actor=user)
        rfq_publish(rfq_id=rfq.pk, buyer=company, actor=user)
        created += 1
    return created
