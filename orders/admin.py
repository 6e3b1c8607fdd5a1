"""The staff screens for orders: every order with its lines, milestones, shipments and history;
disputes and reviews; the message threads, read-only. Statuses are read-only here: they change
only through the order services (staff resolve disputes on /orders/disputes/), so every change
is guarded and recorded."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.admin import ReadOnlyAdmin, ReadOnlyInline
from orders.models import (
    Dispute,
    Message,
    Order,
    OrderEvent,
    OrderLine,
    PaymentMilestone,
    Review,
    Shipment,
    Thread,
)


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("description", "product", "quantity", "unit", "unit_price")
    readonly_fields = fields


class PaymentMilestoneInline(ReadOnlyInline):
    model = PaymentMilestone
    fields = (
        "position",
        "label",
        "percent",
        "amount",
        "due",
        "status",
        "reference",
        "paid_at",
        "received_at",
    )
    readonly_fields = fields


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ("shipped_at", "carrier", "tracking_number", "quantity", "created_by")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "actor", "from_status", "to_status", "step", "what")
    readonly_fields = fields

    @admin.display(description=_("what happened"))
    def what(self, event: OrderEvent) -> str:
        return event.description


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
    """Disputes are resolved on /orders/disputes/ (dispute_resolve); here staff search and read them."""

    list_display = ["order", "buyer", "supplier", "status", "status_before", "opened_at", "resolved_at"]
    list_filter = ["status", "status_before"]
    list_select_related = ["order", "order__buyer", "order__supplier"]
    search_fields = ["order__buyer__name", "order__supplier__name", "reason", "resolution"]
    date_hierarchy = "opened_at"
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

    @admin.display(description=_("buyer"), ordering="order__buyer__name")
    def buyer(self, dispute: Dispute) -> str:
        return dispute.order.buyer.name

    @admin.display(description=_("supplier"), ordering="order__supplier__name")
    def supplier(self, dispute: Dispute) -> str:
        return dispute.order.supplier.name


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["order", "supplier", "buyer", "rating", "created_at"]
    list_filter = ["rating"]
    list_select_related = ["order", "supplier", "buyer"]
    search_fields = ["supplier__name", "buyer__name", "comment"]
    readonly_fields = ["order", "supplier", "buyer", "author", "rating", "created_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # buyers review through review_create after a completed order


@admin.register(OrderLine)
class OrderLineAdmin(ReadOnlyAdmin):
    list_display = ["order", "description", "quantity", "unit", "unit_price"]
    list_filter = ["unit"]
    search_fields = ["description", "order__buyer__name", "order__supplier__name"]
    list_select_related = ["order"]
    show_full_result_count = False


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "order", "from_status", "to_status", "step", "actor", "reason"]
    list_filter = ["to_status", "step"]
    search_fields = ["order__buyer__name", "order__supplier__name", "actor__email", "reason"]
    list_select_related = ["order", "actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(PaymentMilestone)
class PaymentMilestoneAdmin(ReadOnlyAdmin):
    list_display = ["order", "position", "label", "percent", "amount", "due", "status", "paid_at", "received_at"]
    list_filter = ["status", "due"]
    search_fields = ["label", "reference", "order__buyer__name", "order__supplier__name"]
    list_select_related = ["order"]
    show_full_result_count = False


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["shipped_at", "order", "carrier", "tracking_number", "quantity", "created_by"]
    list_filter = ["carrier"]
    search_fields = ["carrier", "tracking_number", "order__buyer__name", "order__supplier__name"]
    list_select_related = ["order", "created_by"]
    date_hierarchy = "shipped_at"


# --- Message threads ------------------------------------------------------------------------------


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "author", "author_company", "body", "attachment_name")
    readonly_fields = fields


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    """Conversations between a buyer and a supplier, read-only: staff look into them for a dispute."""

    list_display = ["__str__", "buyer", "supplier", "rfq", "order", "created_at", "last_message_at"]
    list_filter = [("rfq", admin.EmptyFieldListFilter), ("order", admin.EmptyFieldListFilter)]
    search_fields = ["buyer__name", "supplier__name", "rfq__title", "messages__body"]
    list_select_related = ["buyer", "supplier", "rfq", "order"]
    date_hierarchy = "created_at"
    inlines = [MessageInline]
    show_full_result_count = False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "thread", "author", "author_company", "excerpt", "attachment_name"]
    search_fields = ["body", "attachment_name", "author__email", "author_company__name"]
    list_select_related = ["thread", "author", "author_company"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description=_("message"))
    def excerpt(self, message: Message) -> str:
        return message.body[:80]
