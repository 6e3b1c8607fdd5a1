"""The staff screens for quotes: every quote with its versions and attachments, negotiation rounds
and awards. Quotes are sealed for everybody but the two parties; staff read them here, and state
changes only through the services."""

from __future__ import annotations

from django.contrib import admin

from buyers.models import Award, AwardLine, NegotiationRound, Quote, QuoteAttachment, QuoteVersion
from marketplace.admin import ReadOnlyAdmin


class QuoteVersionInline(admin.TabularInline):
    model = QuoteVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "created_by", "terms")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class QuoteAttachmentInline(admin.TabularInline):
    model = QuoteAttachment
    extra = 0
    can_delete = False
    fields = ("original_name", "file", "size", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    """Every quote, read-only: suppliers submit, revise and withdraw through quote services."""

    list_display = [
        "rfq",
        "supplier",
        "status",
        "version",
        "unit_price",
        "currency",
        "quantity",
        "lead_time_days",
        "valid_until",
        "submitted_at",
    ]
    list_filter = ["status", "currency", "incoterm", "sample_available"]
    search_fields = ["rfq__title", "supplier__name", "supplier__name_zh", "notes"]
    list_select_related = ["rfq", "supplier", "currency"]
    date_hierarchy = "submitted_at"
    inlines = [QuoteVersionInline, QuoteAttachmentInline]
    show_full_result_count = False


@admin.register(NegotiationRound)
class NegotiationRoundAdmin(ReadOnlyAdmin):
    """Negotiation rounds, read-only: buyers open and end them through buyers.services.rounds."""

    list_display = ["rfq", "number", "deadline", "created_by", "created_at", "ended_at"]
    search_fields = ["rfq__title", "message"]
    list_select_related = ["rfq", "created_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(QuoteVersion)
class QuoteVersionAdmin(ReadOnlyAdmin):
    list_display = ["quote", "number", "round", "created_by", "created_at"]
    search_fields = ["quote__rfq__title", "quote__supplier__name"]
    list_select_related = ["quote", "created_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(QuoteAttachment)
class QuoteAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "quote", "size", "created_at"]
    search_fields = ["original_name", "quote__rfq__title", "quote__supplier__name"]
    list_select_related = ["quote"]


class AwardLineInline(admin.TabularInline):
    model = AwardLine
    extra = 0
    can_delete = False
    fields = ("quote", "quantity", "unit_price", "currency")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["rfq", "is_split", "created_by", "created_at"]
    list_filter = ["is_split"]
    search_fields = ["rfq__title", "rfq__buyer__name"]
    list_select_related = ["rfq", "created_by"]
    date_hierarchy = "created_at"
    inlines = [AwardLineInline]


@admin.register(AwardLine)
class AwardLineAdmin(ReadOnlyAdmin):
    list_display = ["award", "quote", "quantity", "unit_price", "currency"]
    search_fields = ["award__rfq__title", "quote__supplier__name"]
    list_select_related = ["award", "quote", "currency"]
