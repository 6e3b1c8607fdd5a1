"""What the staff dashboard reads: the platform's loose ends, each as a bounded list with a count.

Staff see every company's data, so these selectors take no acting company; the views that call
them are for staff only (`sourcebelt.staff.views`). Each section costs two queries (the count and the
first rows) whatever the size of the platform, so the dashboard's query count is pinned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from buyers.models import SourcingRequest
from marketplace.models import IndustrialBelt
from orders.models import Dispute
from orders.selectors.orders import disputes_open
from suppliers.models import Certification, FactoryInvitation, SupplierMetricSnapshot, SupplierProfile
from suppliers.selectors.funnel import BeltFunnel, belt_funnels

# Each section shows at most this many rows; its count tells how many there are in all.
SECTION_ROWS = 10
# An open RFQ with no quote this long after publishing needs a look (suppliers missing, wrong category).
UNQUOTED_AFTER = timedelta(hours=24)
# A supplier's response rate is falling when it is this many points below its figure of about
# four weeks earlier (the snapshot nearest to COMPARE_AFTER ago, between 3 and 5 weeks back).
FALLING_RATE_POINTS = 15
COMPARE_AFTER = timedelta(weeks=4)
COMPARE_WINDOW = timedelta(weeks=1)


@dataclass(frozen=True)
class Section:
    """A bounded list for one section of the dashboard: its first rows and how many there are."""

    rows: list[Any]
    count: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


def _section(queryset: QuerySet[Any], *, limit: int = SECTION_ROWS) -> Section:
    return Section(rows=list(queryset[:limit]), count=queryset.count())


def rfqs_without_quotes(*, now: datetime) -> QuerySet[SourcingRequest]:
    """Open RFQs published at least 24 hours ago that have no quote yet, oldest first."""
    return (
        SourcingRequest.objects.filter(
            status=SourcingRequest.Status.OPEN,
            published_at__lte=now - UNQUOTED_AFTER,
            first_quote_at__isnull=True,
            quote_count=0,
        )
        .select_related("buyer", "category")
        .order_by("published_at", "id")
    )


def suppliers_with_falling_response(*, now: datetime) -> QuerySet[SupplierProfile]:
    """Active suppliers whose response rate fell by FALLING_RATE_POINTS or more in about four weeks,
    the steepest fall first.

    `rate_before` is the snapshot nearest to four weeks ago (the latest one in the week before that
    day, else the earliest in the week after it); `rate_now` the latest snapshot, or the profile's
    own figure when the supplier has no snapshot yet."""
    today = timezone.localdate(now)
    target = today - COMPARE_AFTER
    snapshots = SupplierMetricSnapshot.objects.filter(supplier=OuterRef("pk"), response_rate__isnull=False)
    before_target = snapshots.filter(taken_on__lte=target, taken_on__gte=target - COMPARE_WINDOW).order_by("-taken_on")
    after_target = snapshots.filter(taken_on__gt=target, taken_on__lte=target + COMPARE_WINDOW).order_by("taken_on")
    latest = SupplierMetricSnapshot.objects.filter(supplier=OuterRef("pk"), taken_on__gt=target + COMPARE_WINDOW)
    return (
        SupplierProfile.objects.filter(is_active=True)
        .filter(Exists(snapshots.filter(taken_on__gte=target - COMPARE_WINDOW, taken_on__lte=target + COMPARE_WINDOW)))
        .annotate(
            rate_before=Coalesce(
                Subquery(before_target.values("response_rate")[:1]),
                Subquery(after_target.values("response_rate")[:1]),
                output_field=IntegerField(),
            ),
            rate_now=Coalesce(
                Subquery(latest.order_by("-taken_on").values("response_rate")[:1]),
                F("response_rate"),
                output_field=IntegerField(),
            ),
        )
        .filter(rate_now__isnull=False, rate_before__gte=F("rate_now") + FALLING_RATE_POINTS)
        .annotate(rate_drop=F("rate_before") - F("rate_now"))
        .select_related("company", "belt")
        .order_by("-rate_drop", "name", "pk")
    )


def verification_queue() -> QuerySet[Certification]:
    """Documents awaiting review, oldest first."""
    return (
        Certification.objects.filter(review_status=Certification.Review.PENDING)
        .select_related("supplier")
        .order_by("created_at", "id")
    )


def belts_in_onboarding() -> QuerySet[IndustrialBelt]:
    """Belts that have an onboarding to follow: any belt that invited factories, and every belt not
    live yet. Belts still onboarding come first."""
    invited = FactoryInvitation.objects.filter(belt=OuterRef("pk"))
    stage = Case(
        When(status=IndustrialBelt.Status.ONBOARDING, then=Value(0)),
        When(status=IndustrialBelt.Status.DRAFT, then=Value(1)),
        default=Value(2),
    )
    return (
        IndustrialBelt.objects.filter(Q(Exists(invited)) | ~Q(status=IndustrialBelt.Status.LIVE))
        .alias(stage=stage)
        .order_by("stage", "name_en", "pk")
    )


@dataclass(frozen=True)
class StaffDashboard:
    unquoted_rfqs: Section
    falling_suppliers: Section
    disputes: Section
    verification: Section
    funnels: Section


def staff_dashboard(*, now: datetime | None = None) -> StaffDashboard:
    """Every section of the staff dashboard; a fixed number of queries whatever the data."""
    now = now or timezone.now()
    belts = belts_in_onboarding()
    belt_rows = belts[:SECTION_ROWS]
    funnels: list[BeltFunnel] = belt_funnels(belt_rows)
    disputes: QuerySet[Dispute] = disputes_open()
    return StaffDashboard(
        unquoted_rfqs=_section(rfqs_without_quotes(now=now)),
        falling_suppliers=_section(suppliers_with_falling_response(now=now)),
        disputes=_section(disputes),
        verification=_section(verification_queue()),
        funnels=Section(rows=funnels, count=belts.count()),
    )
