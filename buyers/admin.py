"""The staff screens for sourcing requests: every RFQ with its history, attachments and matches."""

from __future__ import annotations

from django.contrib import admin

from buyers.models import Match, RfqAttachment, RfqEvent, SourcingRequest


class RfqEventInline(admin.TabularInline):
    model = RfqEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "reason"]
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
    fields = ["supplier", "source", "score", "rank", "status", "notified_at", "opened_at", "responded_at"]
    readonly_fields = fields
    autocomplete_fields = ["supplier"]
    ordering = ["-score"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


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
    list_filter = ["status", "visibility", "incoterm", "allow_split", "destination_country"]
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
