"""Serializers of the quote API: the supplier's quote, its versions, and the buyer's comparison."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from buyers.models import Quote, QuoteVersion


class QuoteWriteSerializer(serializers.Serializer):
    """A quote's terms as sent: checked for shape here, for meaning by buyers.quote_rules."""

    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True)
    tiers = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(max_length=20), min_length=2, max_length=2),
        required=False,
        max_length=10,
        help_text='Quantity-break prices as [quantity, unit price] pairs, e.g. [[10000, "2.60"], [50000, "2.35"]].',
    )
    currency = serializers.CharField(max_length=3)
    quantity = serializers.IntegerField(min_value=1, max_value=100_000_000)
    lead_time_days = serializers.IntegerField(min_value=1, max_value=365)
    valid_until = serializers.DateField()
    incoterm = serializers.CharField(max_length=3)
    port = serializers.CharField(max_length=120, required=False, allow_blank=True)
    freight = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    sample_available = serializers.BooleanField(required=False, default=False)
    sample_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    sample_days = serializers.IntegerField(min_value=1, max_value=365, required=False, allow_null=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def terms_input(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data["tiers"] = [tuple(pair) for pair in data.get("tiers") or []]
        return data


class QuoteVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteVersion
        fields = ["number", "terms", "created_at"]


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
    attachments = QuoteAttachmentSerializer(many=True, read_only=True)

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
            "lead_time_days",
            "valid_until",
            "incoterm",
            "port",
            "freight",
            "sample_available",
            "sample_price",
            "sample_days",
            "notes",
            "submitted_at",
            "revised_at",
            "withdrawn_at",
            "versions",
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


class RateUsedSerializer(serializers.Serializer):
    base = serializers.CharField()
    quote = serializers.CharField()
    rate = serializers.DecimalField(max_digits=24, decimal_places=8)
    valid_on = serializers.DateField()


class ComparisonSerializer(serializers.Serializer):
    currency = serializers.CharField()
    rates = RateUsedSerializer(many=True)
    missing_rates = serializers.ListField(child=serializers.CharField())
    rows = ComparisonRowSerializer(many=True)
    proposal = serializers.DictField(child=serializers.IntegerField(), help_text="Quote id → proposed quantity.")


class ComparisonQuerySerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3, required=False)
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
