"""Surges: a category whose RFQs this week clearly exceed the weeks before, and the alert they send.

A category surges in a week — in the market or in one belt — when its RFQs that week reach
`DEMAND_SURGE_MIN_RFQS` and `DEMAND_SURGE_RATIO` times the weekly average of the
`DEMAND_SURGE_BASELINE_WEEKS` weeks before (weeks without RFQs count as zero). Categories roll up,
so a surge in sorting bins may lift waste bins and household plastics too: only the most specific
surging categories are recorded (a category is left out when one of its subcategories surges in
the same belt and week).

A DemandSurge row is unique per (week, category, belt). The first time a belt's surge is
recorded, its alert is written to the outbox for the members of the belt's active suppliers who
work in that category (`notify_each`, event key `demand_surge:<surge id>`: nobody is told twice),
each rendered in the recipient's language. Market-wide surges (belt NULL) are shown on the public
trending page and alert nobody.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse

from buyers.insights.audience import belt_suppliers
from buyers.insights.weeks import week_of
from buyers.models import DemandSurge, DemandWeek
from marketplace.models import Category, IndustrialBelt
from marketplace.services.notifications import notify_each

CENT = Decimal("0.01")
SURGE_KIND = "demand_surge"


def surge_event_key(surge: DemandSurge) -> str:
    return f"{SURGE_KIND}:{surge.pk}"


def _is_surge(count: int, average: Decimal) -> bool:
    return (
        count >= settings.DEMAND_SURGE_MIN_RFQS
        and Decimal(count) >= Decimal(str(settings.DEMAND_SURGE_RATIO)) * average
    )


def surges_of_week(week: date) -> list[DemandSurge]:
    """The surges of `week` by the current figures (unsaved rows), most specific categories only."""
    weeks = settings.DEMAND_SURGE_BASELINE_WEEKS
    candidates = {
        (category_id, belt_id): count
        for category_id, belt_id, count in DemandWeek.objects.filter(
            week=week, category__isnull=False, rfq_count__gte=settings.DEMAND_SURGE_MIN_RFQS
        ).values_list("category_id", "belt_id", "rfq_count")
    }
    if not candidates:
        return []
    before = {
        (row["category_id"], row["belt_id"]): row["total"]
        for row in DemandWeek.objects.filter(
            week__gte=week - timedelta(weeks=weeks),
            week__lt=week,
            category_id__in={category_id for category_id, _belt in candidates},
        )
        .values("category_id", "belt_id")
        .annotate(total=Sum("rfq_count"))
    }
    surging: dict[tuple[int, int | None], DemandSurge] = {}
    for key, count in candidates.items():
        average = (Decimal(before.get(key, 0)) / weeks).quantize(CENT, rounding=ROUND_HALF_UP)
        if _is_surge(count, average):
            surging[key] = DemandSurge(
                week=week,
                category_id=key[0],
                belt_id=key[1],
                rfq_count=count,
                baseline_average=average,
                baseline_weeks=weeks,
                ratio=(Decimal(count) / average).quantize(CENT, rounding=ROUND_HALF_UP) if average else None,
            )
    paths = dict(Category.objects.filter(pk__in={key[0] for key in surging}).values_list("pk", "path"))
    by_belt: dict[int | None, list[str]] = defaultdict(list)
    for category_id, belt_id in surging:
        by_belt[belt_id].append(paths[category_id])
    return [
        surge
        for (category_id, belt_id), surge in surging.items()
        if not any(other != paths[category_id] and other.startswith(paths[category_id]) for other in by_belt[belt_id])
    ]


def demand_surges_detect(*, weeks: Iterable[date], now: datetime) -> tuple[list[DemandSurge], int]:
    """Record the surges of the recent weeks among `weeks` (this week and last) and alert the new
    belt surges; returns (the surges first recorded now, the notifications written).

    Call inside the aggregation's transaction (`demand_aggregate`), which holds its lock: two
    detections never run at once, so `bulk_create` meets no concurrent duplicate. A surge already
    recorded gets its figures refreshed and alerts nobody again.
    """
    current = week_of(now)
    recent = [week for week in weeks if current - timedelta(weeks=1) <= week <= current]
    created: list[DemandSurge] = []
    for week in recent:
        found = surges_of_week(week)
        existing = {(s.category_id, s.belt_id): s for s in DemandSurge.objects.filter(week=week)}
        refreshed: list[DemandSurge] = []
        new: list[DemandSurge] = []
        for surge in found:
            known = existing.get((surge.category_id, surge.belt_id))
            if known is None:
                surge.detected_at = now
                new.append(surge)
            elif (known.rfq_count, known.baseline_average) != (surge.rfq_count, surge.baseline_average):
                known.rfq_count, known.baseline_average, known.ratio = (
                    surge.rfq_count,
                    surge.baseline_average,
                    surge.ratio,
                )
                refreshed.append(known)
        DemandSurge.objects.bulk_update(refreshed, ["rfq_count", "baseline_average", "ratio"])
        created += DemandSurge.objects.bulk_create(new)
    alerts = surge_alerts_send(surges=[surge for surge in created if surge.belt_id is not None])
    return created, alerts


def surge_context(surge: DemandSurge, category: Category, belt: IndustrialBelt) -> dict[str, Any]:
    """The facts an alert or a digest shows of a surge (names in both languages, no buyer)."""
    return {
        "category_en": category.name_en,
        "category_zh": category.name_zh,
        "belt_en": belt.name_en,
        "belt_zh": belt.name_zh,
        "week": surge.week.isoformat(),
        "rfq_count": surge.rfq_count,
        "baseline": str(surge.baseline_average),
        "weeks": surge.baseline_weeks,
        "percent": surge.percent_above,
    }


def surge_alerts_send(*, surges: list[DemandSurge]) -> int:
    """Write the alert of each belt surge for the members of the belt's suppliers in its category;
    returns how many notifications were written (nobody is alerted twice for one surge)."""
    if not surges:
        return 0
    categories = Category.objects.in_bulk({surge.category_id for surge in surges})
    belts = IndustrialBelt.objects.in_bulk({surge.belt_id for surge in surges})
    suppliers_by_belt = defaultdict(list)
    for supplier in belt_suppliers(belt_ids=belts):
        suppliers_by_belt[supplier.belt_id].append(supplier)
    items = []
    counts: dict[int, int] = defaultdict(int)
    for surge in surges:
        category, belt = categories[surge.category_id], belts[surge.belt_id]
        context = surge_context(surge, category, belt)
        url = reverse("insights:belt_dashboard", kwargs={"slug": belt.slug})
        for supplier in suppliers_by_belt[belt.pk]:
            if not supplier.works_in(category.path):
                continue
            for user in supplier.members:
                items.append((user, SURGE_KIND, surge_event_key(surge), context, url))
                counts[surge.pk] += 1
    created = notify_each(items=items)
    for surge in surges:
        if counts[surge.pk]:
            surge.alerted_count = counts[surge.pk]
    DemandSurge.objects.bulk_update([surge for surge in surges if counts[surge.pk]], ["alerted_count"])
    return len(created)
