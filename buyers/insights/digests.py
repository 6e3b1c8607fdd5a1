"""The weekly demand digest: one e-mail a week to each member of each belt supplier.

Sent by Celery beat on Monday morning (`demand_digest_weekly_task`). For each active supplier of
a belt: the belt's surges of the week just ended and of this week in the supplier's categories,
and the open public RFQs in its categories (its RFQ board: newest first, the first few listed,
all counted). A supplier with neither gets nothing. The event key
`demand_digest:<Monday>:<supplier id>` makes a second run in the same week tell nobody again;
each supplier's digest is written in its own short transaction, so a run that stops halfway is
simply finished by the next one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from buyers.insights.audience import BeltSupplier, belt_suppliers
from buyers.insights.surges import surge_context
from buyers.insights.weeks import week_of
from buyers.models import DemandSurge, SourcingRequest
from marketplace.services.notifications import notify_each
from suppliers.models import SupplierProfile

DIGEST_KIND = "demand_digest"
DIGEST_RFQS = 5
BATCH = 200


def digest_event_key(week: date, supplier_id: int) -> str:
    return f"{DIGEST_KIND}:{week.isoformat()}:{supplier_id}"


def _board(supplier: BeltSupplier) -> Any:
    """Open public RFQs in the supplier's categories, not its own company's (as its RFQ board)."""
    in_categories = Q(pk__in=[])
    for path in supplier.category_paths:
        in_categories |= Q(category__path__startswith=path)
    return (
        SourcingRequest.objects.open()
        .public()
        .filter(in_categories)
        .exclude(buyer_id=supplier.company_id)
        .select_related("category")
        .order_by("-published_at", "-id")
    )


def digest_context(supplier: BeltSupplier, surges: list[DemandSurge]) -> dict[str, Any] | None:
    """What one supplier's digest says; None when it has nothing to say."""
    relevant = [surge for surge in surges if supplier.works_in(surge.category.path)]
    board = _board(supplier) if supplier.category_paths else SourcingRequest.objects.none()
    rfqs = list(board[:DIGEST_RFQS])
    total = len(rfqs) if len(rfqs) < DIGEST_RFQS else board.count()
    if not relevant and not total:
        return None
    return {
        "surges": [surge_context(surge, surge.category, surge.belt) for surge in relevant if surge.belt is not None],
        "rfq_total": total,
        "rfqs": [
            {
                "reference": rfq.reference,
                "title": rfq.title,
                "category_en": rfq.category.name_en,
                "category_zh": rfq.category.name_zh,
                "quantity": rfq.quantity,
                "unit": rfq.unit,
                "country": str(rfq.destination_country),
                "url": reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk}),
            }
            for rfq in rfqs
        ],
    }


def demand_digest_send(*, now: datetime | None = None) -> int:
    """Write this week's digest for every member of every active belt supplier that has something
    to read; returns how many notifications were written (0 when run again the same week)."""
    now = now or timezone.now()
    week = week_of(now)
    surges_by_belt: dict[int, list[DemandSurge]] = defaultdict(list)
    for surge in (
        DemandSurge.objects.filter(belt__isnull=False, week__gte=week - timedelta(weeks=1))
        .select_related("category", "belt")
        .order_by("-rfq_count", "id")
    ):
        assert surge.belt_id is not None  # filtered above
        surges_by_belt[surge.belt_id].append(surge)
    ids = list(
        SupplierProfile.objects.filter(is_active=True, belt__isnull=False).order_by("pk").values_list("pk", flat=True)
    )
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = belt_suppliers(supplier_ids=ids[start : start + BATCH])
        belts = {
            pk: (slug, name_en, name_zh)
            for pk, slug, name_en, name_zh in SupplierProfile.objects.filter(
                pk__in=[supplier.pk for supplier in batch]
            ).values_list("pk", "belt__slug", "belt__name_en", "belt__name_zh")
        }
        for supplier in batch:
            if not supplier.members:
                continue
            context = digest_context(supplier, surges_by_belt.get(supplier.belt_id, []))
            if context is None:
                continue
            slug, belt_en, belt_zh = belts[supplier.pk]
            context.update(belt_en=belt_en, belt_zh=belt_zh, week=week.isoformat())
            url = reverse("insights:belt_dashboard", kwargs={"slug": slug})
            key = digest_event_key(week, supplier.pk)
            with transaction.atomic():
                written += len(notify_each(items=[(user, DIGEST_KIND, key, context, url) for user in supplier.members]))
    return written
