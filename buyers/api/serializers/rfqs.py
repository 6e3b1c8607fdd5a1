"""Serializers of the buyer's RFQ API: JSON in and out for sourcing requests and their attachments.

Input serializers check only the shape and types of what a client sends; what makes an RFQ valid
is decided in one place, `buyers.rfq_rules.rfq_data_from`, called by the views. No serializer
writes anything: the views call the posting and lifecycle services.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from buyers.models import Incoterm, RfqAttachment, SourcingRequest
from buyers.rfq_rules import (
    MAX_CITY,
    MAX_DESCRIPTION,
    MAX_INVITED,
    MAX_QUOTES,
    MAX_TITLE,
    RFQ_FIELDS,
    invited_supplier_ids,
)
from buyers.services.posting import MAX_ATTACHMENTS
from marketplace.api.fields import AmountField, IdField, LimitedTextField, WholeNumberField
from marketplace.api.serializers import CategoryRefSerializer
from suppliers.api.serializers import absolute_url, status_field
from suppliers.catalog_rules import MAX_QUANTITY
from suppliers.models import Unit

# The list is refused as sent, before its duplicates are dropped: what the schema's maxItems says.
TOO_MANY_INVITED = _("Invite at most {max_length} suppliers to one request.")


class RfqWriteSerializer(serializers.Serializer):
    """An RFQ as a client sends it. POST needs the required fields; PATCH any of them."""

    # Never blank (rfq_rules says so too): the schema's minLength, in rfq_rules' words.
    title = LimitedTextField(
        subject=_("The title"),
        max_length=MAX_TITLE,
        error_messages={"blank": _("Say what you need in the title, such as “Transparent school backpacks”.")},
        help_text=_("What you need, in any language; 200 characters."),
    )
    description = LimitedTextField(
        subject=_("The description"),
        max_length=MAX_DESCRIPTION,
        required=False,
        allow_blank=True,
        help_text=_("Materials, sizes, packing...; at most 20,000 characters."),
    )
    category = serializers.CharField(help_text=_("Slug (or id) of a category, see /api/v1/categories/."))
    quantity = WholeNumberField(
        subject=_("The quantity"), min_value=1, max_value=MAX_QUANTITY, help_text=_("How many units, at least 1.")
    )
    unit = serializers.ChoiceField(
        choices=Unit.choices,
        required=False,
        help_text=_("The unit of the quantity and the target price (default piece)."),
        error_messages={"invalid_choice": _("Unknown unit “{input}”.")},
    )
    target_unit_price = AmountField(
        subject=_("The target unit price"),
        required=False,
        allow_null=True,
        help_text=_("What you hope to pay per unit (optional)."),
    )
    currency = serializers.CharField(
        required=False, help_text=_("ISO 4217 code of an active currency (default USD), see /api/v1/currencies/.")
    )
    destination_country = serializers.CharField(help_text=_("ISO 3166 code of the country the goods go to, e.g. LK."))
    destination_city = LimitedTextField(
        subject=_("The city or port"),
        max_length=MAX_CITY,
        required=False,
        allow_blank=True,
        help_text=_("City or port of destination (120 characters)."),
    )
    incoterm = serializers.ChoiceField(
        choices=Incoterm.choices,
        required=False,
        help_text=_("Incoterms 2020 (default FOB)."),
        error_messages={"invalid_choice": _("Unknown Incoterm “{input}”.")},
    )
    required_by = serializers.DateField(help_text=_("Required delivery date, within three years."))
    quote_deadline = serializers.DateTimeField(
        help_text=_("Suppliers quote until then; in the future, before the delivery date, within a year.")
    )
    visibility = serializers.ChoiceField(
        choices=SourcingRequest.Visibility.choices,
        required=False,
        help_text=_("public: matched suppliers quote (the default); private: only the suppliers you invite."),
        error_messages={"invalid_choice": _("The visibility must be public or private.")},
    )
    allow_split = serializers.BooleanField(
        required=False, help_text=_("Whether the order may be split across several suppliers.")
    )
    max_quotes = WholeNumberField(
        subject=_("The most quotes wanted"),
        min_value=1,
        max_value=MAX_QUOTES,
        required=False,
        allow_null=True,
        help_text=_("Close the request after this many quotes (optional)."),
    )
    invited_suppliers = serializers.ListField(
        child=IdField(subject=_("Each invited supplier")),
        required=False,
        max_length=MAX_INVITED,
        error_messages={"max_length": TOO_MANY_INVITED},
        help_text=_("Ids of suppliers invited to quote (see /api/v1/suppliers/); at most 50."),
    )
    source_product = IdField(
        subject=_("The product"),
        required=False,
        allow_null=True,
        help_text=_("Id of the product the request is about (optional)."),
    )

    def raw_rfq(self) -> dict[str, Any]:
        """The validated values in the form `rfq_rules.rfq_data_from` reads."""
        return dict(self.validated_data)


class RfqFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=SourcingRequest.Status.choices,
        required=False,
        help_text=_("Only requests in this status."),
        error_messages={"invalid_choice": _("Unknown status “{input}”.")},
    )


class RfqReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_("Why (the suppliers see it). Required to cancel a published request."),
    )


class RfqInvitationsSerializer(serializers.Serializer):
    suppliers = serializers.ListField(
        child=IdField(subject=_("Each invited supplier")),
        max_length=MAX_INVITED,
        error_messages={"max_length": TOO_MANY_INVITED},
        help_text=_("Ids of the suppliers invited; on an open request, suppliers can be added, not removed."),
    )


class RfqAttachmentsUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        max_length=MAX_ATTACHMENTS,
        help_text=_("One or more PDF, JPEG, PNG or WebP files of at most 10 MB each; 10 per request."),
    )


class RfqAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download the file (with your credentials)."))

    class Meta:
        model = RfqAttachment
        fields = ["id", "original_name", "size", "created_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: RfqAttachment) -> str:
        return absolute_url(
            self.context,
            reverse("api-rfq-attachment-detail", kwargs={"pk": attachment.rfq_id, "attachment_id": attachment.pk}),
        )


class RfqSerializer(serializers.ModelSerializer):
    """One of the buyer company's sourcing requests."""

    reference = serializers.CharField(read_only=True, help_text=_("Such as RFQ-000042."))
    category = CategoryRefSerializer(read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=_("ISO 4217 code."))
    destination_country = serializers.SerializerMethodField(help_text=_("ISO 3166 code."))
    status = status_field(SourcingRequest.Status.choices)
    visibility = status_field(SourcingRequest.Visibility.choices)
    is_editable = serializers.BooleanField(read_only=True, help_text=_("True until the first quote arrives."))
    time_left_seconds = serializers.SerializerMethodField(help_text=_("Until the quote deadline, while open."))
    invited_suppliers = serializers.SerializerMethodField(help_text=_("Ids of the suppliers invited to quote."))
    attachments = RfqAttachmentSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = SourcingRequest
        fields = [
            "id",
            "reference",
            *RFQ_FIELDS,
            "status",
            "is_editable",
            "time_left_seconds",
            "matched_count",
            "notified_count",
            "quote_count",
            "attachments",
            "created_at",
            "updated_at",
            "published_at",
            "closed_at",
            "url",
        ]
        read_only_fields = fields

    def get_destination_country(self, rfq: SourcingRequest) -> str:
        return rfq.destination_country.code

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_time_left_seconds(self, rfq: SourcingRequest) -> int | None:
        left = rfq.time_left()
        return None if left is None else int(left.total_seconds())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_invited_suppliers(self, rfq: SourcingRequest) -> list[int]:
        matches = getattr(rfq, "invited_matches", None)
        if matches is None:
            return invited_supplier_ids(rfq)
        return [match.supplier_id for match in matches]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, rfq: SourcingRequest) -> str:
        return absolute_url(self.context, reverse("api-rfq-detail", kwargs={"pk": rfq.pk}))
