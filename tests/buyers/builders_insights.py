"""A small plastics world for the demand-insights tests, and RFQs published in a given week.

`plastics_world()` gives the category tree household plastics › waste bins › sorting bins (and
toys), the Taizhou plastics belt (specialty: household plastics) with a sorting-bin maker whose
owner reads Chinese and a mould maker (moulds only), and a toy belt with its own supplier.
`rfq_weeks_ago(category, weeks)` publishes an RFQ that many weeks before now (0: this week).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from buyers.insights.weeks import week_of, week_start
from buyers.models import Match, Quote, SourcingRequest
from marketplace.models import Category, Company, IndustrialBelt, User
from suppliers.models import SupplierProfile
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CurrencyFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    SupplierProfileFactory,
    UserFactory,
)


@dataclass
class PlasticsWorld:
    household: Category
    waste_bins: Category
    sorting_bins: Category
    toys: Category
    molds: Category
    taizhou: IndustrialBelt
    toy_belt: IndustrialBelt
    bin_maker: SupplierProfile
    bin_maker_owner: User
    mould_maker: SupplierProfile
    mould_maker_owner: User
    toy_maker: SupplierProfile
    toy_maker_owner: User


def _supplier(belt: IndustrialBelt, categories: list[Category], language: str) -> tuple[SupplierProfile, User]:
    supplier = SupplierProfileFactory(belt=belt, main_categories=categories)
    owner = UserFactory(preferred_language=language)
    MembershipFactory(user=owner, company=supplier.company)
    return supplier, owner


def plastics_world() -> PlasticsWorld:
    household = CategoryFactory(slug="plastics-household", name_en="Household plastics", name_zh="日用塑料")
    waste_bins = CategoryFactory(parent=household, slug="waste-bins", name_en="Waste bins", name_zh="垃圾桶")
    sorting_bins = CategoryFactory(
        parent=waste_bins, slug="sorting-bins", name_en="Sorting bins", name_zh="垃圾分类垃圾桶"
    )
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    molds = CategoryFactory(parent=household, slug="plastic-molds", name_en="Plastic moulds", name_zh="塑料模具")
    taizhou = IndustrialBeltFactory(
        slug="taizhou-plastics", name_en="Taizhou plastics", name_zh="台州塑料", specialties=[household]
    )
    toy_belt = IndustrialBeltFactory(
        slug="chenghai-toys", name_en="Chenghai toys", name_zh="澄海玩具", specialties=[toys]
    )
    bin_maker, bin_maker_owner = _supplier(taizhou, [sorting_bins], "zh-hans")
    mould_maker, mould_maker_owner = _supplier(taizhou, [molds], "en")
    toy_maker, toy_maker_owner = _supplier(toy_belt, [toys], "en")
    return PlasticsWorld(
        household,
        waste_bins,
        sorting_bins,
        toys,
        molds,
        taizhou,
        toy_belt,
        bin_maker,
        bin_maker_owner,
        mould_maker,
        mould_maker_owner,
        toy_maker,
        toy_maker_owner,
    )


def published_weeks_ago(weeks: int, *, now: datetime | None = None, minutes: int = 1) -> datetime:
    """A moment `weeks` weeks before now, kept inside that week (0: this week, before now)."""
    now = now or timezone.now()
    moment = now - timedelta(weeks=weeks, minutes=minutes)
    start = week_start(week_of(now - timedelta(weeks=weeks)))
    return max(moment, start)


def rfq_weeks_ago(
    category: Category,
    weeks: int = 0,
    *,
    buyer: Company | None = None,
    country: str = "DE",
    quantity: int = 1000,
    status: str = SourcingRequest.Status.OPEN,
    now: datetime | None = None,
    **fields: object,
) -> SourcingRequest:
    published_at = published_weeks_ago(weeks, now=now)
    if status in {SourcingRequest.Status.OPEN, SourcingRequest.Status.DRAFT}:
        fields.setdefault("quote_deadline", timezone.now() + timedelta(days=7))
    else:
        fields.setdefault("quote_deadline", published_at + timedelta(days=5))
    if status == SourcingRequest.Status.DRAFT:
        published_at = None
    return SourcingRequestFactory(
        category=category,
        buyer=buyer or CompanyFactory(country=country),
        quantity=quantity,
        status=status,
        published_at=published_at,
        created_at=published_at or timezone.now(),
        **fields,
    )


def quote_on(rfq: SourcingRequest, supplier: SupplierProfile, *, minutes_after: int = 60) -> Quote:
    """A submitted quote `minutes_after` publishing, with the supplier's match marked quoted and
    the RFQ's counters as `quote_submit` keeps them."""
    at = rfq.published_at + timedelta(minutes=minutes_after)
    MatchFactory(rfq=rfq, supplier=supplier, status=Match.Status.QUOTED, notified_at=rfq.published_at, responded_at=at)
    quote = Quote.objects.create(
        rfq=rfq,
        supplier=supplier,
        unit_price="2.50",
        currency=CurrencyFactory(code="USD"),
        quantity=rfq.quantity,
        lead_time_days=20,
        valid_until=(at + timedelta(days=30)).date(),
        incoterm="FOB",
        submitted_at=at,
    )
    first = rfq.first_quote_at is None or at < rfq.first_quote_at
    rfq.quote_count += 1
    if first:
        rfq.first_quote_at = at
    rfq.save(update_fields=["quote_count", "first_quote_at", "updated_at"])
    return quote
