"""Serializers of the orders API: the shape of orders as clients read them, and of the input of
each action. They check shape only; the order services judge meaning."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.fields import IdField, WholeNumberField
from marketplace.api.written import TranslatedField, WrittenLanguageField
from orders.models import Dispute, Order, OrderEvent, OrderLine, PaymentMilestone, Review, Shipment
from orders.services.disputes import Outcome
from orders.services.transitions import Action, Side, allowed_actions
from suppliers.catalog_rules import MAX_QUANTITY


class OrderLineSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=20, decimal_places=4, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["id", "product", "description", "quantity", "unit", "unit_price", "total"]


class MilestoneSerializer(serializers.ModelSerializer):
    # A declared field, which DRF's metaclass takes out of the class: not the stubs' attribute of that name.
    label = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = PaymentMilestone
        fields = [
            "id",
            "position",
            "label",
            "percent",
            "amount",
            "due",
            "status",
            "reference",
            "paid_at",
            "received_at",
        ]

    def get_label(self, milestone: PaymentMilestone) -> str:
        return gettext(milestone.label)


class ShipmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shipment
        fields = ["id", "carrier", "tracking_number", "quantity", "shipped_at"]


STATUS_HELP = _(
    "One of placed, confirmed, deposit_paid, in_production, shipped, delivered, completed, cancelled, disputed."
)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    # Plain strings, not enums: the schema has one Order status enum name per choice set.
    from_status = serializers.CharField(help_text=_("The status before (empty for the first event)."))
    to_status = serializers.CharField(help_text=STATUS_HELP)
    step = serializers.CharField(
        help_text=_(
            "For a step that keeps the status: milestone_paid, milestone_received, shipped or reviewed (else empty)."
        )
    )
    facts = serializers.JSONField(
        help_text=_("The step's facts: label and reference; carrier, tracking number, quantity; rating.")
    )
    description = serializers.CharField(read_only=True, help_text=_("What happened, in the reader's language."))

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "reason", "step", "facts", "description", "actor", "created_at"]

    def get_actor(self, event: OrderEvent) -> str | None:
        return event.actor.get_short_name() if event.actor else None


class DisputeSerializer(serializers.ModelSerializer):
    status_before = serializers.CharField(help_text=_("The order's status when the dispute was opened."))

    class Meta:
        model = Dispute
        fields = ["id", "status", "reason", "status_before", "resolution", "opened_at", "resolved_at"]


class ReviewSerializer(serializers.ModelSerializer):
    comment_language = WrittenLanguageField(source="comment")
    comment_translated = TranslatedField(source="comment")

    class Meta:
        model = Review
        fields = ["rating", "comment", "comment_language", "comment_translated", "created_at"]


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrderSerializer(serializers.ModelSerializer):
    """An order as one of its two sides sees it; `side` says which side the client is on and
    `actions` which transitions it may ask for now."""

    side = serializers.SerializerMethodField()
    status = serializers.CharField(help_text=STATUS_HELP)
    buyer = serializers.SerializerMethodField()
    supplier = serializers.SerializerMethodField()
    currency = serializers.CharField(source="currency_id")
    total = serializers.DecimalField(max_digits=17, decimal_places=2, read_only=True)
    destination_country = serializers.CharField(read_only=True, help_text=_("ISO 3166 code."))
    lines = OrderLineSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "side",
            "status",
            "origin",
            "buyer",
            "supplier",
            "rfq",
            "currency",
            "goods_total",
            "freight",
            "total",
            "incoterm",
            "destination_country",
            "destination_city",
            "required_by",
            "shipped_quantity",
            "cancel_reason",
            "created_at",
            "delivered_at",
            "completed_at",
            "lines",
            "milestones",
            "actions",
        ]

    def _side(self, order: Order) -> Side:
        company = self.context["company"]
        return Side.BUYER if order.buyer_id == company.pk else Side.SUPPLIER

    @extend_schema_field(serializers.CharField(help_text=_("buyer or supplier: your company's side of the order.")))
    def get_side(self, order: Order) -> str:
        return self._side(order).value

    @extend_schema_field(PartySerializer)
    def get_buyer(self, order: Order) -> dict[str, Any]:
        return {"id": order.buyer_id, "name": order.buyer.name}

    @extend_schema_field(PartySerializer)
    def get_supplier(self, order: Order) -> dict[str, Any]:
        return {"id": order.supplier_id, "name": order.supplier.name}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=[a.value for a in Action])))
    def get_actions(self, order: Order) -> list[str]:
        return [action.value for action in allowed_actions(order, self._side(order))]


class OrderDetailSerializer(OrderSerializer):
    events = EventSerializer(many=True)
    shipments = ShipmentSerializer(many=True)
    disputes = DisputeSerializer(many=True)
    review = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "events", "shipments", "disputes", "review"]

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_review(self, order: Order) -> dict[str, Any] | None:
        review = getattr(order, "review", None)
        return ReviewSerializer(review).data if review is not None else None


class OrderFilterSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[Side.BUYER.value, Side.SUPPLIER.value],
        required=False,
        help_text=_("Only the orders where your company is the buyer, or the supplier."),
        error_messages={"invalid_choice": _("Choose buyer or supplier.")},
    )
    status = serializers.ChoiceField(
        choices=Order.Status.choices,
        required=False,
        help_text=_("Only orders in this status."),
        error_messages={"invalid_choice": _("Unknown status “{input}”.")},
    )
    counterparty = IdField(
        subject=_("The other company"),
        required=False,
        help_text=_("Only orders with this company (its id) on the other side."),
    )
    placed_from = serializers.DateField(required=False, help_text=_("Placed on or after this date."))
    placed_to = serializers.DateField(required=False, help_text=_("Placed on or before this date."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why (the other side sees it)."))


class DisputeOpenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text=_("What went wrong."))


class DisputeResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[outcome.value for outcome in Outcome],
        help_text=_("resume: back to the status before the dispute; cancel or complete the order."),
    )
    resolution = serializers.CharField(max_length=5000, help_text=_("The decision, as both sides will read it."))


class ShipSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=120)
    tracking_number = serializers.CharField(max_length=120)
    quantity = WholeNumberField(subject=_("The quantity shipped"), min_value=1, max_value=MAX_QUANTITY)


class PaidSerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text=_("Your payment reference, such as a transfer number."),
    )


class ReviewWriteSerializer(serializers.Serializer):
    rating = WholeNumberField(subject=_("The rating"), min_value=1, max_value=5)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class CatalogOrderSerializer(serializers.Serializer):
    product = IdField(subject=_("The product"), help_text=_("The id of a published product."))
    quantity = WholeNumberField(
        subject=_("The quantity"), min_value=1, max_value=MAX_QUANTITY, help_text=_("At least the product's MOQ.")
    )
    destination_country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text=_("ISO 3166 code; your company's country when left out."),
    )
    destination_city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    required_by = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True)
