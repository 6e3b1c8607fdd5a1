"""Staff screens of demand insights: the weekly aggregates, the surges and the aggregation's state.

Derived data: read-only here (the aggregation rewrites it; `manage.py demand_aggregate --full`
rebuilds it).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from buyers.models import DemandAggregationState, DemandSurge, DemandWeek


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DemandWeek)
class DemandWeekAdmin(_ReadOnly):
    list_display = [
        "week",
        "category",
        "belt",
        "rfq_count",
        "buyer_count",
        "quantity_total",
        "quote_count",
        "first_quote_median_minutes",
        "match_count",
        "answered_match_count",
    ]
    list_filter = [("belt", admin.EmptyFieldListFilter), "week"]
    search_fields = ["category__name_en", "category__name_zh", "belt__name_en", "belt__name_zh"]
    list_select_related = ["category", "belt"]
    date_hierarchy = "week"
    show_full_result_count = False


@admin.register(DemandSurge)
class DemandSurgeAdmin(_ReadOnly):
    list_display = [
        "week",
        "category",
        "belt",
        "rfq_count",
        "baseline_average",
        "ratio",
        "alerted_count",
        "detected_at",
    ]
    list_filter = ["week", "belt"]
    search_fields = ["category__name_en", "category__name_zh", "belt__name_en", "belt__name_zh"]
    list_select_related = ["category", "belt"]
    date_hierarchy = "week"


@admin.register(DemandAggregationState)
class DemandAggregationStateAdmin(_ReadOnly):
    list_display = ["key", "processed_until", "last_run_at", "last_weeks", "last_duration_ms"]
