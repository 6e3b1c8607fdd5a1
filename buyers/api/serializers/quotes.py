"""Serializers of the quote API: the supplier's quote, its versions, and the buyer's comparison."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from buyers.models import NegotiationRound, Quote, QuoteVersion
from buyers.plan_rules import MAX_OVER_DELIVERY, MAX_PLAN_COUNT, SUPPLIER_IDS_PATTERN
from buyers.quote_history import quote_history
from buyers.quote_rules import MAX_LEAD_TIME_DAYS
from marketplace.api.fields import IdField, WholeNumberField
from marketplace.api.written import TranslatedField, TranslatingListSerializer, WrittenLanguageField


class QuoteWriteSerializer(serializers.Serializer):
    """A quote's terms as sent: checked for shape here, for meaning by buyers.quote_rules."""

    # Amounts are checked for meaning by buyers.quote_rules (with every other problem at once).
    unit_price = serializers.CharField(
        max_length=40, required=False, allow_null=True, allow_blank=True, help_text='A decimal amount, e.g. "2.45".'
    )
    tiers = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(max_length=20), min_length=2, max_length=2),
        required=False,
        max_length=10,
        help_text='Quantity-break prices as [quantity, unit price] pairs, e.g. [[10000, "2.60"], [50000, "2.35"]].',
    )
    currency = serializers.CharField(max_length=3)
    quantity = WholeNumberField(subject=_("The quantity offered"), min_value=1, max_value=100_000_000)
    min_order_quantity = WholeNumberField(
        subject=_("The minimum order"),
        min_value=1,
        max_value=100_000_000,
        required=False,
        allow_null=True,
        help_text="The smallest quantity you accept if the buyer splits the order (none: the first tier's).",
    )
    lead_time_days = WholeNumberField(subject=_("The lead time"), min_value=1, max_value=MAX_LEAD_TIME_DAYS)
    valid_until = serializers.DateField()
    incoterm = serializers.CharField(max_length=3)
    port = serializers.CharField(max_length=120, required=False, allow_blank=True)
    freight = serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="A decimal amount per shipment or, with `freight_basis` unit, per unit.",
    )
    freight_basis = serializers.ChoiceField(
        choices=Quote.FreightBasis.choices,
        required=False,
        default=Quote.FreightBasis.SHIPMENT,
        help_text="`shipment`: `freight` is a fixed amount whatever the quantity; `unit`: per unit.",
    )
    sample_available = serializers.BooleanField(required=False, default=False)
    sample_price = serializers.CharField(max_length=40, required=False, allow_null=True, allow_blank=True)
    sample_days = WholeNumberField(
        subject=_("The sample lead time"), min_value=1, max_value=MAX_LEAD_TIME_DAYS, required=False, allow_null=True
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def terms_input(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data["tiers"] = [tuple(pair) for pair in data.get("tiers") or []]
        return data


class QuoteVersionSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number", allow_null=True, read_only=True, default=None)

    class Meta:
        model = QuoteVersion
        fields = ["number", "terms", "created_at", "round"]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    # A declared field, which DRF's metaclass takes out of the class: not the stubs' attribute of that name.
    label = serializers.CharField()  # type: ignore[assignment]
    before = serializers.CharField()
    after = serializers.CharField()


class VersionChangesSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    round = serializers.IntegerField(allow_null=True, help_text="The negotiation round it answered; null before.")
    changes = ChangeSerializer(many=True)


class QuoteAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="Bytes.")


class QuoteAttachmentsUploadSerializer(serializers.Serializer):
    attachments = serializers.ListField(
        child=serializers.FileField(), min_length=1, max_length=10, help_text="PDF, JPEG, PNG or WebP, 10 MB each."
    )


class QuoteSerializer(serializers.ModelSerializer):
    rfq = serializers.IntegerField(source="rfq_id", read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True)
    versions = QuoteVersionSerializer(many=True, read_only=True)
    history = serializers.SerializerMethodField(help_text="Every version, what it changed, when and in which round.")
    attachments = QuoteAttachmentSerializer(many=True, read_only=True)
    # What the supplier wrote, beside it in the reader's language (docs/translation.md).
    port_language = WrittenLanguageField(source="port")
    port_translated = TranslatedField(source="port")
    notes_language = WrittenLanguageField(source="notes")
    notes_translated = TranslatedField(source="notes")

    def get_history(self, quote: Quote) -> list[dict[str, Any]]:
        # many=True builds a ListSerializer, whose data is a list (the stubs see the single serializer).
        return VersionChangesSerializer(quote_history(quote.versions.all()), many=True).data  # type: ignore[return-value]

    class Meta:
        model = Quote
        fields = [
            "id",
            "rfq",
            "status",
            "version",
            "unit_price",
            "tiers",
            "currency",
            "quantity",
            "min_order_quantity",
            "lead_time_days",
            "valid_until",
            "incoterm",
            "port",
            "port_language",
            "port_translated",
            "freight",
            "freight_basis",
            "sample_available",
            "sample_price",
            "sample_days",
            "notes",
            "notes_language",
            "notes_translated",
            "submitted_at",
            "revised_at",
            "withdrawn_at",
            "versions",
            "history",
            "attachments",
        ]
        read_only_fields = fields


class ComparedSupplierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    verified = serializers.BooleanField()
    business_type = serializers.CharField()
    belt = serializers.CharField(allow_null=True)
    response_rate = serializers.IntegerField(allow_null=True)
    rating_average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    rating_count = serializers.IntegerField()
    on_time_rate = serializers.IntegerField(allow_null=True)


class ComparisonRowSerializer(serializers.Serializer):
    quote = QuoteSerializer()
    supplier = ComparedSupplierSerializer()
    unit_price = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    total = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    freight = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    landed_total = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    ready_on = serializers.DateField()
    late = serializers.BooleanField()
    best = serializers.ListField(child=serializers.CharField())
    minimum = serializers.IntegerField(help_text="The smallest quantity the quote can be awarded.")
    tiers = serializers.ListField(
        child=serializers.DictField(), help_text="The quote's tiers: `from`, `unit_price`, `converted` (or null)."
    )
    planned_quantity = serializers.IntegerField(help_text="What the proposed plan gives this quote (0: nothing).")
    planned_unit_price = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    planned_landed = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    reason = serializers.CharField(allow_blank=True, help_text="Why the plan gives it what it gives, in words.")
    reason_code = serializers.CharField(allow_null=True)

    class Meta:
        list_serializer_class = TranslatingListSerializer  # the quotes' notes and ports: one query


class RateUsedSerializer(serializers.Serializer):
    base = serializers.CharField()
    quote = serializers.CharField()
    rate = serializers.DecimalField(max_digits=24, decimal_places=8)
    valid_on = serializers.DateField()


class PlanSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["optimal", "feasible", "infeasible", "timeout", "empty"],
        help_text="`feasible`: the time limit stopped the optimiser; `gap` says how far from the optimum it may be.",
    )
    total = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    gap = serializers.FloatField(allow_null=True)
    greedy_total = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    single_total = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    greedy_meets_constraints = serializers.BooleanField()
    single_meets_constraints = serializers.BooleanField()
    saving_vs_greedy = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True, help_text="Null when the greedy plan breaks a constraint."
    )
    saving_vs_single = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        allow_null=True,
        help_text="Null when the cheapest single supplier breaks a constraint (e.g. the share per supplier).",
    )
    conflicts = serializers.ListField(child=serializers.DictField(), help_text="`code` and `message` of each.")


class ComparisonSerializer(serializers.Serializer):
    currency = serializers.CharField()
    rates = RateUsedSerializer(many=True)
    missing_rates = serializers.ListField(child=serializers.CharField())
    rows = ComparisonRowSerializer(many=True)
    plan = PlanSerializer(allow_null=True)
    proposal = serializers.DictField(child=serializers.IntegerField(), help_text="Quote id → proposed quantity.")


# The plan's constraints are read as text by buyers.plan_rules (with its own messages); these
# classes only state in the schema what it accepts.
class _PlanValueField(serializers.CharField):
    """Optional; empty is not given, as plan_rules reads it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_blank=True, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_PLAN_COUNT})
class PlanCountField(_PlanValueField):
    pass


@extend_schema_field({"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 100})
class PlanShareField(_PlanValueField):
    pass


@extend_schema_field({"type": "number", "minimum": 0, "maximum": int(MAX_OVER_DELIVERY)})
class PlanOverDeliveryField(_PlanValueField):
    pass


@extend_schema_field({"type": "string", "pattern": SUPPLIER_IDS_PATTERN})
class SupplierIdsField(_PlanValueField):
    pass


class ComparisonQuerySerializer(serializers.Serializer):
    """The query of the comparison; the plan's constraints are read by buyers.plan_rules."""

    currency = serializers.CharField(max_length=3, required=False)
    max_share = PlanShareField(help_text="At most this % of the quantity per supplier.")
    min_suppliers = PlanCountField(help_text="At least this many suppliers.")
    max_suppliers = PlanCountField(help_text="At most this many suppliers.")
    min_belts = PlanCountField(help_text="At least this many industrial belts.")
    min_provinces = PlanCountField(help_text="At least this many provinces.")
    over_delivery = PlanOverDeliveryField(help_text="Accept up to this % more (0–20).")
    exclude = SupplierIdsField(help_text="Ids of suppliers that quoted, to leave out: comma-separated, at most 500.")
    require = SupplierIdsField(help_text="Ids of suppliers that quoted, to use: comma-separated, at most 500.")
    allow_late = serializers.BooleanField(required=False, help_text="Use quotes ready after the required date.")
    sort = serializers.ChoiceField(
        choices=[
            (name, name)
            for column in [
                "unit_price",
                "total",
                "freight",
                "landed_total",
                "landed_unit",
                "lead_time",
                "quantity",
                "response_rate",
            ]
            for name in (column, f"-{column}")
        ],
        required=False,
    )


class RoundSerializer(serializers.ModelSerializer):
    quotes: serializers.PrimaryKeyRelatedField[Quote] = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = NegotiationRound
        fields = ["number", "message", "deadline", "quotes", "created_at", "ended_at", "is_open"]
        read_only_fields = fields


class SupplierRoundSerializer(serializers.ModelSerializer):
    """A round as the supplier it asks sees it: never the other suppliers it asks."""

    is_open = serializers.BooleanField(read_only=True)
    message_language = WrittenLanguageField(source="message")
    message_translated = TranslatedField(source="message")

    class Meta:
        model = NegotiationRound
        fields = [
            "number",
            "message",
            "message_language",
            "message_translated",
            "deadline",
            "created_at",
            "ended_at",
            "is_open",
        ]
        read_only_fields = fields
        list_serializer_class = TranslatingListSerializer


class RoundOpenSerializer(serializers.Serializer):
    quotes = serializers.ListField(
        child=IdField(subject=_("Each quote")),
        required=False,
        max_length=500,
        help_text="Quote ids to ask; none: every active quote.",
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    deadline = serializers.DateTimeField(help_text="Until when the suppliers may revise (1 hour to 30 days ahead).")


class SupplierQuoteSerializer(QuoteSerializer):
    """The supplier's own quote, with the negotiation rounds that asked it to revise."""

    rounds = serializers.SerializerMethodField()

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "rounds"]
        read_only_fields = fields

    def get_rounds(self, quote: Quote) -> list[dict[str, Any]]:
        # many=True builds a ListSerializer, whose data is a list (the stubs see the single serializer).
        return SupplierRoundSerializer(quote.rounds.order_by("number"), many=True).data  # type: ignore[return-value]
