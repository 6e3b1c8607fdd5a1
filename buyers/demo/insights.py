"""Demo demand: eight weeks of RFQ history from buyers in several countries, and a surge in
sorting bins this week (Shanghai's waste-sorting rules) that the Taizhou plastics belt sees.

`seed_demo_demand()` runs after the demo belts, catalogs and RFQs (`seed_demo`). History is
written in bulk, as an import of past data would be: RFQs with their recorded transitions, the
belt suppliers' matches and quotes (past RFQs are closed or expired, this week's are open and go
through matching). Each week's RFQs carry the ISO week in their title, so running the seed again
— the same day or weeks later — never adds a week twice. Then the demand is aggregated (the surge
is detected and the Taizhou sorting-bin factories alerted) and this week's digest written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from buyers.demo.rfqs import BUYERS
from buyers.insights.aggregation import demand_aggregate
from buyers.insights.audience import belt_suppliers
from buyers.insights.digests import demand_digest_send
from buyers.insights.weeks import week_of, week_start
from buyers.models import Match, Quote, QuoteVersion, RfqEvent, SourcingRequest
from buyers.tasks.matching import rfq_enqueue_matching
from marketplace.demo.accounts import BUYER
from marketplace.models import Category, Company, Currency, Membership, User
from suppliers.search.segment import segment

HISTORY_WEEKS = 8
SEED = 20_251_126


@dataclass(frozen=True)
class DemandLine:
    """Steady demand for one category: `per_week` RFQs a week from these buyers."""

    category: str
    title: str
    description: str
    per_week: tuple[int, ...]  # RFQs a week, cycled over the weeks (oldest first)
    buyers: tuple[str, ...]
    quantity: tuple[int, int]
    unit: str = "piece"


# Extra buying companies (no log-in) so the demand comes from many countries.
EXTRA_BUYERS = {
    "rotterdam": ("Rotterdam Home Retail B.V.", "NL", "Rotterdam"),
    "sydney": ("Sydney Office Supply Pty Ltd", "AU", "Sydney"),
    "dubai": ("Dubai General Trading LLC", "AE", "Dubai"),
    "lagos": ("Lagos School Supply Ltd", "NG", "Lagos"),
    "chicago": ("Chicago Party Goods Inc.", "US", "Chicago"),
    "tokyo": ("Tokyo Living Co., Ltd.", "JP", "Tokyo"),
    "jingan": ("上海静安环境卫生服务有限公司", "CN", "Shanghai"),
    "pudong": ("上海浦东物业服务有限公司", "CN", "Shanghai"),
}

LINES = [
    DemandLine(
        "transparent-backpacks",
        "Transparent school backpacks",
        "Clear PVC backpacks, 16 inch, padded straps, logo printing.",
        (3, 2, 3, 4, 3, 2, 3, 3),
        ("lanka", "kenya", "lagos"),
        (5_000, 50_000),
    ),
    DemandLine(
        "school-bags",
        "Primary school bags",
        "Polyester school bags with reflective strips, two compartments.",
        (2, 2, 1, 2, 3, 2, 2, 2),
        ("kenya", "lagos", "dubai"),
        (3_000, 20_000),
    ),
    DemandLine(
        "sorting-bins",
        "Waste sorting bins",
        "Household sorting bins, PP, colours by waste type, printed labels.",
        (1, 1, 0, 2, 1, 1, 1, 1),
        ("germany", "rotterdam", "shanghai"),
        (1_000, 8_000),
    ),
    DemandLine(
        "storage-boxes",
        "Plastic storage boxes with lids",
        "Stackable PP storage boxes, 30 L and 50 L, transparent.",
        (2, 1, 2, 2, 1, 2, 2, 1),
        ("rotterdam", "tokyo", "sydney"),
        (2_000, 12_000),
    ),
    DemandLine(
        "mascot-toys",
        "Mascot plush toys",
        "Plush mascots, 25-30 cm, embroidered logo, EN71 tested.",
        (1, 2, 1, 1, 2, 1, 1, 2),
        ("brazil", "chicago", "tokyo"),
        (10_000, 100_000),
    ),
    DemandLine(
        "kids-t-shirts",
        "Children's cotton T-shirts",
        "100% cotton T-shirts, sizes 2-12, printed designs.",
        (2, 2, 2, 1, 2, 3, 2, 2),
        ("dubai", "sydney", "brazil"),
        (5_000, 30_000),
    ),
    DemandLine(
        "christmas-decorations",
        "Christmas decorations assortment",
        "Baubles, garlands and tree toppers in retail packs.",
        (1, 1, 2, 2, 3, 3, 4, 4),
        ("chicago", "germany", "rotterdam"),
        (2_000, 20_000),
        "set",
    ),
    DemandLine(
        "work-gloves",
        "Knitted work gloves",
        "Polyester knitted gloves with latex coating, sizes 8-10.",
        (1, 1, 1, 0, 1, 1, 1, 1),
        ("dubai", "lagos"),
        (10_000, 60_000),
        "pair",
    ),
]

# This week: the usual demand, and the surge in sorting bins after Shanghai's new rules.
SURGE_CATEGORY = "sorting-bins"
SURGE_RFQS = [
    ("shanghai", "分类垃圾桶 240升 户外 四色", 3_000),
    ("jingan", "小区分类垃圾桶 120升 带轮", 2_000),
    ("pudong", "分类垃圾桶 四分类 室内 办公室", 5_000),
    ("shanghai", "厨房湿垃圾桶 带滤网", 8_000),
    ("jingan", "垃圾分类亭 配套垃圾桶 240升", 1_200),
    ("pudong", "四色分类垃圾桶 50升 脚踏", 6_000),
    ("germany", "Waste sorting bins, 4 compartments, kitchen", 8_000),
    ("rotterdam", "Sorting bins 3 x 15 L for apartments", 4_000),
    ("shanghai", "分类垃圾桶 可回收物 有害垃圾 标识印刷", 10_000),
    ("jingan", "社区分类垃圾桶 660升 挂车桶", 500),
    ("pudong", "写字楼分类垃圾桶 双分类", 3_500),
    ("tokyo", "Sorting bins for office floors, 2 compartments", 1_500),
]


def _companies() -> dict[str, tuple[Company, User | None]]:
    """The demo buyers (with their log-in users) and the extra buying companies."""
    found: dict[str, tuple[Company, User | None]] = {}
    names = {spec.key: spec.company for spec in BUYERS} | {"lanka": BUYER.company}
    countries = {spec.key: (spec.country, spec.city) for spec in BUYERS} | {"lanka": (BUYER.country, BUYER.city)}
    for key, name in names.items():
        country, city = countries[key]
        assert country is not None  # every buying demo account names its country
        company, _ = Company.objects.get_or_create(name=name, defaults={"country": country, "city": city})
        membership = Membership.objects.filter(company=company).select_related("user").order_by("pk").first()
        found[key] = (company, membership.user if membership else None)
    for key, (name, country, city) in EXTRA_BUYERS.items():
        company, _ = Company.objects.get_or_create(name=name, defaults={"country": country, "city": city})
        found[key] = (company, None)
    return found


def _iso(week: datetime | object) -> str:
    year, number, _ = week.isocalendar()  # type: ignore[union-attr]
    return f"{year}-W{number:02d}"


@dataclass
class _Planned:
    rfq: SourcingRequest
    is_open: bool  # this week's: left open, and matched


def _plan(
    now: datetime, buyers: dict[str, tuple[Company, User | None]], categories: dict[str, Category]
) -> list[_Planned]:
    rng = random.Random(SEED)
    current = week_of(now)
    planned: list[_Planned] = []
    # A title carries its ISO week and number: one already there means that RFQ was seeded.
    existing = set(
        SourcingRequest.objects.filter(buyer__in=[company for company, _ in buyers.values()]).values_list(
            "title", flat=True
        )
    )

    def add(
        key: str, category: str, title: str, description: str, quantity: int, unit: str, published: datetime
    ) -> None:
        company, user = buyers[key]
        deadline_days = rng.randint(4, 12)  # drawn first, so every run draws the same numbers
        if title in existing or category not in categories:
            return
        is_open = published >= week_start(current)
        deadline = (now if is_open else published) + timedelta(days=deadline_days)
        rfq = SourcingRequest(
            buyer=company,
            created_by=user,
            title=title,
            description=description,
            category=categories[category],
            quantity=quantity,
            unit=unit,
            currency_id="USD",
            destination_country=company.country,
            destination_city=company.city,
            incoterm="FOB",
            required_by=(deadline + timedelta(days=45)).date(),
            quote_deadline=deadline,
            status=SourcingRequest.Status.OPEN,
            search_text=segment(title, description),
            created_at=published - timedelta(minutes=20),
            published_at=published,
            matching_due_at=published if is_open else None,  # this week's are matched as real ones are
        )
        planned.append(_Planned(rfq, is_open))

    for back in range(HISTORY_WEEKS, -1, -1):
        week = current - timedelta(weeks=back)
        start = week_start(week)
        span = min((now - start).total_seconds(), 7 * 86400) if back == 0 else 7 * 86400
        label = _iso(week)
        for line in LINES:
            count = line.per_week[(HISTORY_WEEKS - back) % len(line.per_week)] if back else line.per_week[-1]
            for n in range(1, count + 1):
                published = start + timedelta(seconds=rng.uniform(0, span * 0.95))
                quantity = rng.randrange(line.quantity[0], line.quantity[1] + 1, 500)
                add(
                    rng.choice(line.buyers),
                    line.category,
                    f"{line.title} ({label}-{n})",
                    line.description,
                    quantity,
                    line.unit,
                    published,
                )
        if back == 0:
            for n, (key, title, quantity) in enumerate(SURGE_RFQS, start=1):
                published = start + timedelta(seconds=span * (0.1 + 0.85 * n / len(SURGE_RFQS)))
                add(key, SURGE_CATEGORY, f"{title} ({label}-{n})", title, quantity, "piece", published)
    return planned


def _terms(rfq: SourcingRequest, price: Decimal, at: datetime) -> dict[str, object]:
    return {
        "unit_price": str(price),
        "tiers": [],
        "currency": "USD",
        "quantity": rfq.quantity,
        "lead_time_days": 25,
        "valid_until": (at + timedelta(days=30)).date().isoformat(),
        "incoterm": "FOB",
        "port": "Ningbo",
        "freight": None,
        "sample_available": True,
        "sample_price": None,
        "sample_days": 7,
        "notes": "",
    }


def _answers(
    planned: list[_Planned], now: datetime
) -> tuple[list[Match], list[tuple[Quote, dict[str, object]]], list[RfqEvent]]:
    """The belt suppliers' matches and quotes on the past RFQs; closes or expires those RFQs."""
    rng = random.Random(SEED + 1)
    suppliers = belt_suppliers()
    paths = dict(Category.objects.filter(pk__in={p.rfq.category_id for p in planned}).values_list("pk", "path"))
    matches: list[Match] = []
    quotes: list[tuple[Quote, dict[str, object]]] = []
    events: list[RfqEvent] = []
    for item in planned:
        rfq = item.rfq
        published_at = rfq.published_at
        assert published_at is not None  # every planned RFQ is published
        events.append(RfqEvent(rfq=rfq, to_status="draft", created_at=rfq.created_at, actor=rfq.created_by))
        events.append(
            RfqEvent(rfq=rfq, from_status="draft", to_status="open", created_at=published_at, actor=rfq.created_by)
        )
        if item.is_open:
            continue
        fitting = [s for s in suppliers if s.works_in(paths[rfq.category_id]) and s.company_id != rfq.buyer_id]
        first: datetime | None = None
        for supplier in fitting:
            notified = published_at + timedelta(minutes=3)
            roll = rng.random()
            match = Match(
                rfq=rfq,
                supplier_id=supplier.pk,
                reasons=[{"code": "category"}],
                notified_at=notified,
                created_at=notified,
            )
            if roll < 0.55:
                at = notified + timedelta(minutes=rng.randint(25, 1800))
                match.status, match.responded_at = Match.Status.QUOTED, at
                price = Decimal(rng.randint(80, 900)) / 100
                valid_until = (at + timedelta(days=30)).date()
                quote = Quote(
                    rfq=rfq,
                    supplier_id=supplier.pk,
                    status=Quote.Status.EXPIRED if valid_until < now.date() else Quote.Status.SUBMITTED,
                    unit_price=price,
                    currency_id="USD",
                    quantity=rfq.quantity,
                    lead_time_days=25,
                    valid_until=valid_until,
                    incoterm="FOB",
                    port="Ningbo",
                    sample_available=True,
                    sample_days=7,
                    submitted_at=at,
                )
                quotes.append((quote, _terms(rfq, price, at)))
                first = at if first is None or at < first else first
                rfq.quote_count += 1
            elif roll < 0.7:
                at = notified + timedelta(minutes=rng.randint(60, 2000))
                match.status, match.responded_at, match.declined_at = Match.Status.DECLINED, at, at
                match.decline_reason = "Beyond our capacity this month."
            matches.append(match)
        rfq.first_quote_at = first
        rfq.matched_count = rfq.notified_count = len(fitting)
        rfq.matched_at = published_at + timedelta(minutes=2) if fitting else published_at
        rfq.status = SourcingRequest.Status.CLOSED if rfq.quote_count else SourcingRequest.Status.EXPIRED
        rfq.closed_at = rfq.quote_deadline
        reason = "The quote deadline passed." if rfq.quote_count else "The quote deadline passed without a quote."
        events.append(
            RfqEvent(rfq=rfq, from_status="open", to_status=rfq.status, reason=reason, created_at=rfq.quote_deadline)
        )
    return matches, quotes, events


def seed_demo_demand(*, now: datetime | None = None) -> int:
    """Write the demo demand history and this week's sorting-bin surge, aggregate, alert and send
    this week's digest. Returns how many RFQs were new (0 when run again in the same week)."""
    now = now or timezone.now()
    if not Currency.objects.filter(pk="USD").exists():
        return 0
    buyers = _companies()
    categories = Category.objects.in_bulk({line.category for line in LINES} | {SURGE_CATEGORY}, field_name="slug")
    planned = _plan(now, buyers, categories)
    with transaction.atomic():
        matches, quotes, events = _answers(planned, now)
        # The RFQs get their ids here; the rows built around them pick them up when saved.
        SourcingRequest.objects.bulk_create([item.rfq for item in planned], batch_size=500)
        RfqEvent.objects.bulk_create(events, batch_size=1000)
        Match.objects.bulk_create(matches, batch_size=1000)
        saved = Quote.objects.bulk_create([quote for quote, _terms in quotes], batch_size=1000)
        QuoteVersion.objects.bulk_create(
            [
                QuoteVersion(quote=quote, number=1, terms=terms, created_at=quote.submitted_at)
                for quote, (_quote, terms) in zip(saved, quotes, strict=True)
            ]
        )
    for item in planned:
        if item.is_open:
            rfq_enqueue_matching(item.rfq.pk)  # this week's requests reach the factories as real ones do
    demand_aggregate()
    demand_digest_send(now=now)
    return len(planned)
