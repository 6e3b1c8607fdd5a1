"""JSON of the supplier's side of RFQs: inbox entries, one RFQ as a supplier sees it, the board,
and the input of declining.

A supplier sees the buyer's country, never its name: the buyer's identity is revealed later.
Reasons are rendered in the language of the request. No serializer writes: the views call the
services in buyers/services/responses.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from buyers.matching.reasons import render_reasons
from buyers.models import Match, RfqAttachment, SourcingRequest
from buyers.services.responses import MAX_DECLINE_REASON
from marketplace.api.serializers import CategoryRefSerializer
from marketplace.api.written import TranslatedField, TranslatingListSerializer, WrittenLanguageField
from marketplace.formatting import plain_unit_price
from marketplace.models import Category
from marketplace.selectors.money import rate_is_stale, unit_price_in
from suppliers.api.filters import category_by_slug

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _described_choice(choices: list[tuple[str, Any]], text: StrOrPromise) -> serializers.CharField:
    """A read-only value from a fixed list, the values named in the description (several models
    have a `status`; as schema enums they would collide by name)."""
    values = ", ".join(str(value) for value, _label in choices)
    return serializers.CharField(read_only=True, help_text=f"{text} {_('One of: %(values)s.') % {'values': values}}")


class RfqSummarySerializer(serializers.ModelSerializer):
    """An RFQ in a list: what a supplier needs to decide whether to open it."""

    category = CategoryRefSerializer(read_only=True)
    status = _described_choice(SourcingRequest.Status.choices, _("The request's status."))
    unit = serializers.CharField(read_only=True, help_text=_("The unit of the quantity (piece, set, kg...)."))
    destination_country = serializers.CharField(
        source="destination_country.code", read_only=True, help_text=_("ISO 3166 code of the destination country.")
    )
    buyer_country = serializers.CharField(
        source="buyer.country.code",
        read_only=True,
        help_text=_("ISO 3166 code of the buyer's country (its name is revealed later)."),
    )
    url = serializers.SerializerMethodField(help_text=_("This request in the inbox API."))
    title_language = WrittenLanguageField(source="title")
    title_translated = TranslatedField(source="title")

    class Meta:
        model = SourcingRequest
        list_serializer_class = TranslatingListSerializer
        fields = [
            "id",
            "reference",
            "title",
            "title_language",
            "title_translated",
            "category",
            "quantity",
            "unit",
            "status",
            "destination_country",
            "buyer_country",
            "quote_deadline",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, rfq: SourcingRequest) -> str:
        path = reverse("api-inbox-detail", kwargs={"rfq_id": rfq.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True, help_text=_("Bytes."))
    url = serializers.SerializerMethodField(help_text=_("Where a signed-in supplier downloads the file."))

    class Meta:
        model = RfqAttachment
        fields = ["id", "name", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: RfqAttachment) -> str:
        path = reverse("buyers:supplier_attachment", kwargs={"pk": attachment.rfq_id, "attachment_pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ConvertedUnitPriceSerializer(serializers.Serializer):
    """A unit price converted into the reader's currency, with the rate used and its day."""

    amount = serializers.DecimalField(max_digits=None, decimal_places=None, help_text=_("At most four decimals."))
    currency = serializers.CharField(help_text=_("The reader's currency (ISO 4217)."))
    rate = serializers.DecimalField(
        max_digits=None, decimal_places=None, help_text=_("One unit of the RFQ's currency in the reader's.")
    )
    rate_date = serializers.DateField(help_text=_("The day of the rate (of the older leg of a cross rate)."))
    rate_is_stale = serializers.BooleanField(help_text=_("The rate is older than the site's limit for a fresh rate."))


class RfqForSupplierSerializer(RfqSummarySerializer):
    """Every fact of an RFQ a supplier needs to quote: as the buyer typed it."""

    target_unit_price = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        read_only=True,
        allow_null=True,
        help_text=_("The buyer's target unit price in `currency`, or null."),
    )
    currency = serializers.CharField(source="currency_id", read_only=True)
    target_unit_price_converted = serializers.SerializerMethodField(
        help_text=_(
            "The target unit price in the signed-in user's currency, with the rate and its day; null without a "
            "target price, in the same currency, or when there is no exchange rate."
        )
    )
    incoterm = serializers.CharField(read_only=True, help_text=_("The Incoterm (2020): EXW, FOB, CIF, DDP..."))
    attachments = AttachmentSerializer(many=True, read_only=True)
    description_language = WrittenLanguageField(source="description")
    description_translated = TranslatedField(source="description")

    class Meta(RfqSummarySerializer.Meta):
        fields = [
            *RfqSummarySerializer.Meta.fields,
            "description",
            "description_language",
            "description_translated",
            "target_unit_price",
            "currency",
            "target_unit_price_converted",
            "destination_city",
            "incoterm",
            "required_by",
            "allow_split",
            "max_quotes",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(ConvertedUnitPriceSerializer(allow_null=True))
    def get_target_unit_price_converted(self, rfq: SourcingRequest) -> dict[str, Any] | None:
        request = self.context.get("request")
        today = timezone.localdate()
        converted = unit_price_in(
            amount=rfq.target_unit_price,
            source=rfq.currency_id,  # type: ignore[arg-type]  # a required foreign key
            target=getattr(getattr(request, "user", None), "preferred_currency_id", None),
            on=today,
        )
        if converted is None:
            return None
        return {
            "amount": plain_unit_price(converted.amount),
            "currency": converted.currency,
            "rate": f"{converted.rate:f}",
            "rate_date": converted.rate_date.isoformat(),
            "rate_is_stale": rate_is_stale(converted.rate_date, on=today),
        }

    def to_representation(self, rfq: SourcingRequest) -> dict[str, Any]:
        data = super().to_representation(rfq)
        price = rfq.target_unit_price
        data["target_unit_price"] = None if price is None else plain_unit_price(price)
        return data


class InboxEntrySerializer(serializers.ModelSerializer):
    """One RFQ of the supplier's inbox: the request, why the supplier was chosen, its answer so far."""

    rfq = RfqSummarySerializer(read_only=True)
    # A declared field, which DRF's metaclass takes out of the class: not the stubs' attribute of that name.
    source = _described_choice(Match.Source.choices, _("How the request reached you."))  # type: ignore[assignment]
    status = _described_choice(Match.Status.choices, _("Your answer so far."))
    is_new = serializers.SerializerMethodField(help_text=_("True until you first open the request."))
    reasons = serializers.SerializerMethodField(help_text=_("Why you were matched, in the language of the request."))

    class Meta:
        model = Match
        fields = ["rfq", "source", "status", "is_new", "score", "rank", "reasons", "notified_at", "opened_at"]
        list_serializer_class = TranslatingListSerializer
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_new(self, match: Match) -> bool:
        return match.status == Match.Status.NEW

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, match: Match) -> list[str]:
        return render_reasons(match.reasons)


class InboxDetailSerializer(InboxEntrySerializer):
    rfq = RfqForSupplierSerializer(read_only=True)

    class Meta(InboxEntrySerializer.Meta):
        fields = [*InboxEntrySerializer.Meta.fields, "responded_at", "declined_at", "decline_reason"]
        read_only_fields = fields


class BoardRfqSerializer(RfqSummarySerializer):
    already_in_inbox = serializers.BooleanField(
        source="already_matched", read_only=True, help_text=_("True when the request is already in your inbox.")
    )

    class Meta(RfqSummarySerializer.Meta):
        fields = [*RfqSummarySerializer.Meta.fields, "already_in_inbox"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------------


class _CategoryParam(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Slug of a category: it and every category under it."))
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data: Any) -> Category:  # type: ignore[override]  # reads a slug as text, gives the object
        category = category_by_slug(super().to_internal_value(data))
        if category is None:
            raise serializers.ValidationError(_("No category has this slug: see /api/v1/categories/."))
        return category


class BoardFilterSerializer(serializers.Serializer):
    category = _CategoryParam()


class InboxFilterSerializer(BoardFilterSerializer):
    status = serializers.ChoiceField(
        choices=[value for value, _label in SourcingRequest.Status.choices if value != SourcingRequest.Status.DRAFT],
        required=False,
        help_text=_("The request's status: open, closed, awarded, cancelled or expired."),
        error_messages={
            "invalid_choice": _("Unknown status “{input}”: use open, closed, awarded, cancelled or expired.")
        },
    )
    answer = serializers.ChoiceField(
        choices=Match.Status.values,
        required=False,
        help_text=_("Your answer so far: new, opened, declined or quoted."),
        error_messages={"invalid_choice": _("Unknown answer “{input}”: use new, opened, declined or quoted.")},
    )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_DECLINE_REASON,
        help_text=_("Why you decline; the buyer may read it."),
        error_messages={"required": _("Say why you decline."), "blank": _("Say why you decline.")},
    )
