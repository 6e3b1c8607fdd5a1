"""What the trending page and a belt's dashboard show, read from the aggregate tables only.

Nothing here reads an RFQ, a quote or a buyer: DemandWeek and DemandSurge rows (a few hundred per
belt and half year), the belt and category names. So the pages cost the same handful of queries
whether the platform holds a thousand RFQs or a million. The public trending page reads only the
market rows (belt NULL), which carry counts and countries, never a buyer's identity; a belt's
rows, with its suppliers' response figures, are shown only to `belt_dashboard_access`'s audience.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import ngettext
from django_countries import countries

from buyers.insights.weeks import week_of
from buyers.models import DemandSurge, DemandWeek
from marketplace.input_values import InputValueError, whole_number
from marketplace.models import Category, Company, IndustrialBelt, User
from marketplace.selectors.belts import belts_managed_by
from marketplace.tenancy import company_sells

DEFAULT_WEEKS = 12
MIN_WEEKS, MAX_WEEKS = 4, 52
RISING_LIMIT = 8
RISING_MIN_RFQS = 3
COUNTRY_WEEKS = 12
COUNTRY_LIMIT = 10
RESPONSE_WEEKS = 8


# --- Who may see a belt's dashboard ----------------------------------------------------------------


def belt_dashboard_access(*, user: User, company: Company | None, slug: str) -> IndustrialBelt | None:
    """The belt if `user` may see its private figures: staff, the belt's managers, and members of
    the belt's suppliers acting for that supplier; None for anybody else (the views answer 404)."""
    if not user.is_authenticated:
        return None
    belt = belts_managed_by(user).filter(slug=slug).first()
    if belt is not None:
        return belt
    if company_sells(company) and company.supplier_profile.belt_id is not None:
        return IndustrialBelt.objects.filter(slug=slug, pk=company.supplier_profile.belt_id).first()
    return None


def weeks_ending(week: date, count: int) -> list[date]:
    """The Mondays of the `count` weeks ending with `week`, oldest first."""
    return [week - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def clamp_weeks(value: object) -> int:
    """The weeks a page asks for (?weeks=), brought within bounds; not a whole number: the default."""
    try:
        return whole_number(value, label="weeks", minimum=MIN_WEEKS, maximum=MAX_WEEKS)  # (message never shown)
    except InputValueError as error:
        return {"min_value": MIN_WEEKS, "max_value": MAX_WEEKS}.get(error.code, DEFAULT_WEEKS)


# --- The figures -----------------------------------------------------------------------------------


@dataclass
class WeekFigures:
    """One week of one scope (the market or a belt), all categories together."""

    week: date
    rfqs: int = 0
    buyers: int = 0
    quotes: int = 0
    quoted_rfqs: int = 0
    first_quote_median_minutes: int | None = None
    matches: int = 0
    answered: int = 0
    countries: dict[str, int] = field(default_factory=dict)
    surge: bool = False

    @property
    def quotes_per_rfq(self) -> Decimal | None:
        return (Decimal(self.quotes) / self.rfqs).quantize(Decimal("0.1")) if self.rfqs else None

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answered / self.matches) if self.matches else None

    @property
    def first_quote_wait(self) -> str:
        """The median time to the first quote, in words ("3 hours"); empty when none came."""
        return duration_in_words(self.first_quote_median_minutes)


def duration_in_words(minutes: int | None) -> str:
    if minutes is None:
        return ""
    if minutes < 60:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    if minutes < 48 * 60:
        hours = round(minutes / 60)
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    days = round(minutes / 1440)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


@dataclass
class Rising:
    category: Category
    current: int
    average: Decimal
    percent: int | None  # None: no demand in the weeks before


@dataclass
class CountryShare:
    code: str
    name: str
    rfqs: int
    percent: int


@dataclass
class SpecialtyDemand:
    category: Category
    weeks: list[WeekFigures]
    current: int
    average: Decimal
    surge: DemandSurge | None = None


@dataclass
class Demand:
    """Everything a demand page shows, for the market (belt None) or one belt."""

    week: date
    belt: IndustrialBelt | None
    baseline_weeks: int
    weeks: list[WeekFigures]
    rising: list[Rising]
    surges: list[DemandSurge]
    countries: list[CountryShare]
    specialties: list[SpecialtyDemand] = field(default_factory=list)

    @property
    def current(self) -> WeekFigures:
        return self.weeks[-1]

    @property
    def response_weeks(self) -> list[WeekFigures]:
        return self.weeks[-RESPONSE_WEEKS:][::-1]

    @property
    def quotes_per_rfq(self) -> Decimal | None:
        recent = self.weeks[-COUNTRY_WEEKS:]
        rfqs = sum(week.rfqs for week in recent)
        return (Decimal(sum(week.quotes for week in recent)) / rfqs).quantize(Decimal("0.1")) if rfqs else None

    @property
    def response_rate(self) -> int | None:
        recent = self.weeks[-COUNTRY_WEEKS:]
        matches = sum(week.matches for week in recent)
        return round(100 * sum(week.answered for week in recent) / matches) if matches else None

    @property
    def has_data(self) -> bool:
        return any(week.rfqs for week in self.weeks)


def _scope(belt: IndustrialBelt | None) -> Q:
    return Q(belt__isnull=True) if belt is None else Q(belt=belt)


def _average(total: int, weeks: int) -> Decimal:
    return (Decimal(total) / weeks).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _weekly_totals(belt: IndustrialBelt | None, weeks: list[date]) -> list[WeekFigures]:
    rows = {
        row.week: row
        for row in DemandWeek.objects.filter(
            _scope(belt), category__isnull=True, week__gte=weeks[0], week__lte=weeks[-1]
        )
    }
    figures = []
    for week in weeks:
        row = rows.get(week)
        if row is None:
            figures.append(WeekFigures(week=week))
            continue
        figures.append(
            WeekFigures(
                week=week,
                rfqs=row.rfq_count,
                buyers=row.buyer_count,
                quotes=row.quote_count,
                quoted_rfqs=row.quoted_rfq_count,
                first_quote_median_minutes=row.first_quote_median_minutes,
                matches=row.match_count,
                answered=row.answered_match_count,
                countries=row.buyer_countries if isinstance(row.buyer_countries, dict) else {},
            )
        )
    return figures


def rising_categories(belt: IndustrialBelt | None, week: date, *, limit: int = RISING_LIMIT) -> list[Rising]:
    """Categories whose RFQs this week most exceed their weekly average of the weeks before
    (at least RISING_MIN_RFQS this week), steepest rise first. Two queries.

    Counts roll up the tree, so a rising leaf lifts its parents: a category is left out when a
    rising subcategory holds at least half of its RFQs this week (the leaf says it better)."""
    baseline = settings.DEMAND_SURGE_BASELINE_WEEKS
    rows = list(
        DemandWeek.objects.filter(
            _scope(belt), category__isnull=False, week__gte=week - timedelta(weeks=baseline), week__lte=week
        )
        .values("category_id")
        .annotate(
            current=Sum("rfq_count", filter=Q(week=week), default=0),
            before=Sum("rfq_count", filter=Q(week__lt=week), default=0),
        )
        .filter(current__gte=RISING_MIN_RFQS, current__gt=Cast(F("before"), FloatField()) / baseline)
        .annotate(rise=Cast(F("current"), FloatField()) * baseline / (Cast(F("before"), FloatField()) + 1))
        .order_by("-rise", "-current", "category_id")[: limit * 4]
    )
    categories = Category.objects.in_bulk([row["category_id"] for row in rows])
    current = {row["category_id"]: row["current"] for row in rows}

    def explained_by_a_subcategory(category: Category) -> bool:
        return any(
            other.pk != category.pk
            and other.path.startswith(category.path)
            and 2 * current[other.pk] >= current[category.pk]
            for other in categories.values()
        )

    rising = []
    for row in rows:
        category = categories[row["category_id"]]
        if explained_by_a_subcategory(category):
            continue
        average = _average(row["before"], baseline)
        percent = round((Decimal(row["current"]) / average - 1) * 100) if average else None
        rising.append(Rising(category, row["current"], average, percent))
    return rising[:limit]


def _countries(weeks: list[WeekFigures]) -> list[CountryShare]:
    counted: Counter[str] = Counter()
    for week in weeks[-COUNTRY_WEEKS:]:
        counted.update({code: int(n) for code, n in week.countries.items()})
    total = sum(counted.values())
    return [
        CountryShare(code, str(countries.name(code)) or code, n, round(100 * n / total))
        for code, n in counted.most_common(COUNTRY_LIMIT)
        if total
    ]


def _recent_surges(belt: IndustrialBelt | None, week: date) -> list[DemandSurge]:
    return list(
        DemandSurge.objects.filter(_scope(belt), week__gte=week - timedelta(weeks=1))
        .select_related("category")
        .order_by("-week", "-rfq_count", "id")
    )


def _demand(belt: IndustrialBelt | None, *, weeks: int, today: date | None) -> Demand:
    week = week_of(today or timezone.localdate())
    span = weeks_ending(week, weeks)
    figures = _weekly_totals(belt, span)
    surges = _recent_surges(belt, week)
    surge_weeks = {surge.week for surge in surges}
    for figure in figures:
        figure.surge = figure.week in surge_weeks
    return Demand(
        week=week,
        belt=belt,
        baseline_weeks=settings.DEMAND_SURGE_BASELINE_WEEKS,
        weeks=figures,
        rising=rising_categories(belt, week),
        surges=surges,
        countries=_countries(figures),
    )


def trending_demand(*, weeks: int = DEFAULT_WEEKS, today: date | None = None) -> Demand:
    """The public picture: market-wide weekly RFQs, rising categories, surges, buyer countries."""
    return _demand(None, weeks=weeks, today=today)


def belt_demand(*, belt: IndustrialBelt, weeks: int = DEFAULT_WEEKS, today: date | None = None) -> Demand:
    """A belt's private picture: the public one for its specialties, plus each specialty's weekly
    demand and the belt's suppliers' response. Call only for `belt_dashboard_access`'s audience."""
    demand = _demand(belt, weeks=weeks, today=today)
    specialties = list(belt.specialties.order_by("path"))
    span = [figure.week for figure in demand.weeks]
    by_category: dict[int, dict[date, int]] = {category.pk: {} for category in specialties}
    for category_id, week, count in DemandWeek.objects.filter(
        belt=belt, category__in=specialties, week__gte=span[0], week__lte=span[-1]
    ).values_list("category_id", "week", "rfq_count"):
        by_category[category_id][week] = count
    surges = {surge.category_id: surge for surge in demand.surges if surge.week == demand.week}
    baseline = demand.baseline_weeks
    for category in specialties:
        counts = by_category[category.pk]
        bars = [
            WeekFigures(week=w, rfqs=counts.get(w, 0), surge=w == demand.week and category.pk in surges) for w in span
        ]
        before = sum(counts.get(demand.week - timedelta(weeks=back), 0) for back in range(1, baseline + 1))
        demand.specialties.append(
            SpecialtyDemand(
                category, bars, counts.get(demand.week, 0), _average(before, baseline), surges.get(category.pk)
            )
        )
    return demand
