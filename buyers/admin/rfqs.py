"""The staff screens for sourcing requests: every RFQ with its history, attachments and matches,
and the matching facts. State changes only through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buyers.models import Match, RfqAttachment, RfqEvent, SourcingRequest, SupplierCategoryFacts
from marketplace.admin import ReadOnlyAdmin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RfqEventInline(admin.TabularInline):
    model = RfqEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class RfqAttachmentInline(admin.TabularInline):
    model = RfqAttachment
    extra = 0
    fields = ["original_name", "file", "size", "created_at"]
    readonly_fields = ["size", "created_at"]


class MatchInline(admin.TabularInline):
    model = Match
    extra = 0
    fields = ("supplier", "source", "score", "rank", "status", "notified_at", "opened_at", "responded_at")
    readonly_fields = fields
    autocomplete_fields = ["supplier"]
    ordering = ["-score"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class UnquotedFilter(admin.SimpleListFilter):
    """The staff dashboard's "no quote after 24 hours", as a filter of the RFQ list."""

    title = _("quotes")
    parameter_name = "quoted"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("no24h", _("Open, no quote 24 hours after publishing")), ("yes", _("Has quotes"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SourcingRequest]) -> QuerySet[SourcingRequest]:
        if self.value() == "no24h":
            return queryset.filter(
                status=SourcingRequest.Status.OPEN,
                quote_count=0,
                published_at__lte=timezone.now() - timedelta(hours=24),
            )
        if self.value() == "yes":
            return queryset.filter(quote_count__gt=0)
        return queryset


@admin.register(SourcingRequest)
class SourcingRequestAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "buyer",
        "category",
        "quantity",
        "destination_country",
        "status",
        "visibility",
        "matched_count",
        "notified_count",
        "quote_count",
        "quote_deadline",
        "created_at",
    ]
    list_filter = ["status", "visibility", UnquotedFilter, "incoterm", "allow_split", "destination_country"]
    search_fields = ["title", "description", "buyer__name"]
    list_select_related = ["buyer", "category"]
    autocomplete_fields = ["buyer", "category", "source_product"]
    date_hierarchy = "created_at"
    # The lifecycle is changed only through the services (recorded transitions), never by hand.
    readonly_fields = [
        "status",
        "search_text",
        "matched_count",
        "notified_count",
        "quote_count",
        "first_quote_at",
        "published_at",
        "closed_at",
        "matched_at",
        "created_at",
        "updated_at",
    ]
    inlines = [RfqAttachmentInline, MatchInline, RfqEventInline]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["rfq", "supplier", "source", "score", "rank", "status", "notified_at", "responded_at"]
    list_filter = ["source", "status"]
    search_fields = ["rfq__title", "supplier__name"]
    list_select_related = ["rfq", "supplier"]
    readonly_fields = ["rfq", "supplier", "score", "rank", "reasons", "created_at", "notified_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(RfqEvent)
class RfqEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "rfq", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["rfq__title", "actor__email", "reason"]
    list_select_related = ["rfq", "actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(RfqAttachment)
class RfqAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "rfq", "size", "created_at"]
    search_fields = ["original_name", "rfq__title"]
    list_select_related = ["rfq"]
    date_hierarchy = "created_at"


@admin.register(SupplierCategoryFacts)
class SupplierCategoryFactsAdmin(ReadOnlyAdmin):
    """Derived matching data (rebuilt from the catalogs), shown to explain a match."""

    list_display = ["supplier", "category", "unit", "products", "lowest_moq", "fastest_lead_time", "refreshed_at"]
    list_filter = ["unit"]
    search_fields = ["supplier__name", "category__name_en", "category__name_zh"]
    list_select_related = ["supplier", "category"]
    show_full_result_count = False
