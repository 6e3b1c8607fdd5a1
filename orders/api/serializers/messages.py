"""Serializers of the messaging API: threads as the acting company sees them, messages, and the
input of starting a thread and of sending. Shape only: the messaging services judge the meaning
(who may write to whom, empty or too long messages, what an attachment may be)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.fields import IdField
from marketplace.api.written import TranslatedField, TranslatingListSerializer, WrittenLanguageField
from marketplace.models import Company
from orders.models import Message, Thread
from orders.selectors.messages import counterpart_name
from orders.services.messages import MAX_BODY_LENGTH


def _company(serializer: serializers.Serializer) -> Company:
    return serializer.context["company"]


class ThreadRfqSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text=_("As pages show it: RFQ-000123."))
    title = serializers.CharField()


class ThreadOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=_("As pages show it: PO-000123."))


class ThreadSerializer(serializers.ModelSerializer):
    """A conversation between the buyer and one supplier, about an RFQ or an order."""

    about = serializers.SerializerMethodField(help_text=_("What the thread is about: “rfq” or “order”."))
    rfq = serializers.SerializerMethodField()
    order = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField(help_text=_("Your company's side: “buyer” or “supplier”."))
    counterpart = serializers.SerializerMethodField(
        help_text=_(
            "Who you write to. A supplier sees the buyer's name once they do business (an order together); "
            "before that, its country."
        )
    )
    last_message = serializers.SerializerMethodField(help_text=_("The start of the newest message."))
    unread = serializers.SerializerMethodField(
        help_text=_("Whether you have an unread notification about one of its messages.")
    )
    messages_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField(help_text=_("The thread's page on the site."))

    class Meta:
        model = Thread
        fields = [
            "id",
            "about",
            "rfq",
            "order",
            "role",
            "counterpart",
            "created_at",
            "last_message_at",
            "last_message",
            "unread",
            "messages_url",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["rfq", "order"]))
    def get_about(self, thread: Thread) -> str:
        return "order" if thread.order_id else "rfq"

    @extend_schema_field(ThreadRfqSerializer(allow_null=True))
    def get_rfq(self, thread: Thread) -> dict[str, Any] | None:
        rfq = thread.rfq
        if rfq is None:
            return None
        return {"id": rfq.pk, "reference": rfq.reference, "title": rfq.title}

    @extend_schema_field(ThreadOrderSerializer(allow_null=True))
    def get_order(self, thread: Thread) -> dict[str, Any] | None:
        order = thread.order
        if order is None:
            return None
        return {"id": order.pk, "number": order.number}

    @extend_schema_field(serializers.ChoiceField(choices=["buyer", "supplier"]))
    def get_role(self, thread: Thread) -> str:
        return "buyer" if thread.buyer_id == _company(self).pk else "supplier"

    @extend_schema_field(OpenApiTypes.STR)
    def get_counterpart(self, thread: Thread) -> str:
        return counterpart_name(thread, _company(self))

    @extend_schema_field(OpenApiTypes.STR)
    def get_last_message(self, thread: Thread) -> str:
        return getattr(thread, "last_body", None) or ""

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_unread(self, thread: Thread) -> bool:
        return bool(getattr(thread, "unread", False))

    @extend_schema_field(OpenApiTypes.URI)
    def get_messages_url(self, thread: Thread) -> str:
        url = reverse("api-thread-messages", kwargs={"pk": thread.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(OpenApiTypes.STR)
    def get_page_url(self, thread: Thread) -> str:
        return reverse("orders:thread_detail", kwargs={"pk": thread.pk})


class MessageAttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(help_text=_("Download it with the same credentials."))


class MessageSerializer(serializers.ModelSerializer):
    side = serializers.SerializerMethodField(help_text=_("Who wrote it: the “buyer” or the “supplier”."))
    mine = serializers.SerializerMethodField(help_text=_("Whether your company wrote it."))
    author = serializers.SerializerMethodField(
        help_text=_("The writer's name: always for your own company, for the other side once names are shown.")
    )
    attachment = serializers.SerializerMethodField()
    body_language = WrittenLanguageField(source="body")
    body_translated = TranslatedField(source="body")

    class Meta:
        model = Message
        fields = [
            "id",
            "thread",
            "side",
            "mine",
            "author",
            "body",
            "body_language",
            "body_translated",
            "attachment",
            "created_at",
        ]
        read_only_fields = fields
        list_serializer_class = TranslatingListSerializer

    @extend_schema_field(serializers.ChoiceField(choices=["buyer", "supplier"]))
    def get_side(self, message: Message) -> str:
        return "buyer" if message.author_company_id == self.context["thread"].buyer_id else "supplier"

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_mine(self, message: Message) -> bool:
        return message.author_company_id == _company(self).pk

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, message: Message) -> str | None:
        if message.author is None:
            return None
        if self.get_mine(message) or self.context.get("disclosed", False):
            return message.author.get_short_name()
        return None

    @extend_schema_field(MessageAttachmentSerializer(allow_null=True))
    def get_attachment(self, message: Message) -> dict[str, str] | None:
        if not message.attachment:
            return None
        url = reverse("api-message-attachment", kwargs={"pk": message.pk})
        request = self.context.get("request")
        return {
            "name": message.attachment_name,
            "url": request.build_absolute_uri(url) if request is not None else url,
        }


class MessageWriteSerializer(serializers.Serializer):
    # Held to its length as sent (the schema's maxLength); the service holds it, stripped, again.
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=MAX_BODY_LENGTH,
        error_messages={"max_length": _("A message can be at most {max_length} characters.")},
        help_text=_("The text, up to 10,000 characters. Give a body, an attachment, or both."),
    )
    attachment = serializers.FileField(
        required=False,
        help_text=_("multipart/form-data only: a PDF, or a JPEG, PNG or WebP image, up to 10 MB."),
    )


class ThreadStartSerializer(MessageWriteSerializer):
    """The first message of a thread (or the next one, when the thread exists already)."""

    rfq = IdField(
        subject=_("The sourcing request"),
        required=False,
        help_text=_(
            "Write about this RFQ: as its buyer, to `supplier` (a supplier that quoted or was matched); "
            "as a supplier, to the RFQ's buyer."
        ),
    )
    supplier = IdField(
        subject=_("The supplier"),
        required=False,
        help_text=_("With `rfq`, when you are its buyer: the supplier's id."),
    )
    order = IdField(subject=_("The order"), required=False, help_text=_("Write to the other side of this order."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("rfq" in attrs) == ("order" in attrs):
            raise serializers.ValidationError(_("Give either “rfq” or “order”: what the conversation is about."))
        if "supplier" in attrs and "order" in attrs:
            raise serializers.ValidationError({"supplier": [_("“supplier” goes with “rfq”, not with “order”.")]})
        return attrs


class MessagesFilterSerializer(serializers.Serializer):
    after = IdField(
        subject=_("The newest message"),
        required=False,
        min_value=0,
        help_text=_("Only the messages newer than this message id."),
    )
