"""The staff screens for orders: every order with its lines, milestones, shipments and history;
disputes and reviews. Statuses are read-only here: they change only through the order services
(staff resolve disputes on /orders/disputes/), so every change is guarded and recorded."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from orders.models import Dispute, Order, OrderEvent, OrderLine, PaymentMilestone, Review, Shipment


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["description", "product", "quantity", "unit", "unit_price"]
    readonly_fields = fields


class PaymentMilestoneInline(ReadOnlyInline):
    model = PaymentMilestone
    fields = ["position", "label", "percent", "amount", "due", "status", "reference", "paid_at", "received_at"]
    readonly_fields = fields


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["shipped_at", "carrier", "tracking_number", "quantity", "created_by"]
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "buyer", "supplier", "origin", "status", "currency", "goods_total", "created_at"]
    list_filter = ["status", "origin", "currency", "incoterm"]
    search_fields = ["buyer__name", "supplier__name", "supplier__name_zh", "lines__description"]
    list_select_related = ["buyer", "supplier", "currency"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, PaymentMilestoneInline, ShipmentInline, OrderEventInline]
    readonly_fields = [
        "buyer",
        "supplier",
        "created_by",
        "origin",
        "rfq",
        "award_line",
        "quote",
        "status",
        "currency",
        "goods_total",
        "freight",
        "shipped_quantity",
        "cancel_reason",
        "created_at",
        "delivered_at",
        "completed_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders are placed through order_create (award or catalog)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "status_before", "opened_at", "resolved_at"]
    list_filter = ["status"]
    list_select_related = ["order"]
    readonly_fields = [
        "order",
        "opened_by",
        "reason",
        "status",
        "status_before",
        "resolution",
        "resolved_by",
        "opened_at",
        "resolved_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["order", "supplier", "buyer", "rating", "created_at"]
    list_filter = ["rating"]
    list_select_related = ["order", "supplier", "buyer"]
    search_fields = ["supplier__name", "buyer__name", "comment"]
    readonly_fields = ["order", "supplier", "buyer", "author", "rating", "created_at"]
