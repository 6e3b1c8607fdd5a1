"""The buyer's sourcing requests through the API: list, create, read, change, publish, close,
cancel, invitations and attachments (/api/v1/rfqs/...).

Every endpoint acts for the company the client acts for: anonymous clients get 401, a user acting
for no company (staff) 403 with a message, another company's request 404. Input is checked for
shape by the serializers and for meaning by `buyers.rfq_rules.rfq_data_from`, the rule the RFQ
form shares; the posting and lifecycle services do every write.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from buyers.api.serializers.rfqs import (
    RfqAttachmentsUploadSerializer,
    RfqFilterSerializer,
    RfqInvitationsSerializer,
    RfqReasonSerializer,
    RfqSerializer,
    RfqWriteSerializer,
)
from buyers.models import Match, RfqAttachment, SourcingRequest
from buyers.rfq_rules import RfqData, RfqDataInvalid, rfq_data_from, rfq_input_of
from buyers.selectors.rfqs import rfq_of_buyer, rfqs_of_buyer
from buyers.services.posting import (
    rfq_attachment_remove,
    rfq_attachments_add,
    rfq_create,
    rfq_invitations_set,
    rfq_publish,
    rfq_update,
)
from buyers.services.rfqs import rfq_cancel, rfq_close
from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import FormParser, JSONParser, MultiPartParser
from marketplace.api.permissions import ActsForCompany, acting_company_of
from marketplace.api.views import PRIVATE_ERRORS, SIGNED_URL_REDIRECT, ApiView, error_responses
from marketplace.errors import NotFound
from marketplace.models import Company
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.tenancy import signed_in_user
from marketplace.uploads import CONTENT_TYPES

RFQ_TAG = "rfqs"
NO_COMPANY = gettext_lazy("Your account acts for no company: sourcing requests are posted by members of a company.")
_WITH_PARTS = (
    Prefetch(
        "matches", queryset=Match.objects.filter(source=Match.Source.INVITED).order_by("id"), to_attr="invited_matches"
    ),
    Prefetch("attachments", queryset=RfqAttachment.objects.order_by("created_at", "id")),
)


def _own(company: Company, pk: int) -> SourcingRequest:
    return rfq_of_buyer(company=company, pk=pk)


def _answer(request: Request, company: Company, pk: int, *, code: int = 200) -> Response:
    rfq = rfqs_of_buyer(company=company).prefetch_related(*_WITH_PARTS).filter(pk=pk).first()
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    return Response(RfqSerializer(rfq, context={"request": request}).data, status=code)


def _stored(rfq: SourcingRequest) -> dict[str, Any]:
    """An RFQ's current values, as RFQ input: what a PATCH changes some of. The source product
    is kept as it is (`rfq_update` keeps it when none is given); only a new one is checked."""
    return {**rfq_input_of(rfq), "source_product": None}


def _write_input(request: Request, *, partial: bool) -> dict[str, Any]:
    serializer = RfqWriteSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.raw_rfq()


def _validated(raw: dict[str, Any], *, buyer: Company, publishing: bool, rfq: SourcingRequest | None = None) -> RfqData:
    """RFQ input checked by the one RFQ rule; its problems become the 400's field errors. A
    changed `rfq` keeps its currency even when that is no longer offered."""
    try:
        return rfq_data_from(
            raw, buyer=buyer, publishing=publishing, kept_currency=rfq.currency_id if rfq is not None else None
        )
    except RfqDataInvalid as invalid:
        raise ValidationError(invalid.errors) from invalid


class RfqView(ApiView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY


class RfqPagination(StandardCursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(
        operation_id="rfqs_list",
        tags=[RFQ_TAG],
        summary="Your company's sourcing requests",
        description="Newest first, drafts included, with the suppliers notified, quotes received and time left.",
        parameters=[RfqFilterSerializer],
        responses={200: RfqSerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    ),
    post=extend_schema(
        operation_id="rfqs_create",
        tags=[RFQ_TAG],
        summary="Post a sourcing request (as a draft)",
        description=(
            "Creates a draft. Attach files at `/api/v1/rfqs/{id}/attachments/`, then POST to "
            "`/api/v1/rfqs/{id}/publish/` to open it to quotes. A private request needs at least one "
            "invited supplier before it is published."
        ),
        request=RfqWriteSerializer,
        responses={201: RfqSerializer, **error_responses(400, *PRIVATE_ERRORS)},
    ),
)
class RfqListView(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY
    parser_classes = [JSONParser]
    throttle_classes = ApiView.throttle_classes
    pagination_class = RfqPagination
    serializer_class = RfqSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[SourcingRequest]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SourcingRequest.objects.none()
        company = acting_company_of(self.request)
        filters = RfqFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        rfqs = rfqs_of_buyer(company=company).prefetch_related(*_WITH_PARTS)
        if filters.validated_data.get("status"):
            rfqs = rfqs.filter(status=filters.validated_data["status"])
        return rfqs

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = acting_company_of(request)
        data = _validated(_write_input(request, partial=False), buyer=company, publishing=False)
        rfq = rfq_create(buyer=company, actor=signed_in_user(request), data=data)
        return _answer(request, company, rfq.pk, code=status.HTTP_201_CREATED)


class RfqDetailView(RfqView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rfqs_retrieve",
        tags=[RFQ_TAG],
        summary="One of your sourcing requests",
        responses={200: RfqSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(request, acting_company_of(request), pk)

    @extend_schema(
        operation_id="rfqs_partial_update",
        tags=[RFQ_TAG],
        summary="Change some of a request's data",
        description=(
            "Only the fields given change; `invited_suppliers`, when given, replaces the list (on an open "
            "request suppliers can be added, not removed). Allowed until the first quote arrives (else 409)."
        ),
        request=RfqWriteSerializer,
        responses={200: RfqSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        rfq = _own(company, pk)
        changes = _write_input(request, partial=True)
        publishing = rfq.status == SourcingRequest.Status.OPEN
        data = _validated({**_stored(rfq), **changes}, buyer=company, publishing=publishing, rfq=rfq)
        rfq_update(rfq_id=pk, buyer=company, actor=signed_in_user(request), data=data)
        return _answer(request, company, pk)


class RfqPublishView(RfqView):
    @extend_schema(
        operation_id="rfqs_publish",
        tags=[RFQ_TAG],
        summary="Open a draft to quotes",
        description=(
            "Matching suppliers are found and notified at once. Refused (400) when the quote deadline has "
            "passed or a private request has no invited supplier; 409 when it is not a draft."
        ),
        request=None,
        responses={200: RfqSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        rfq_publish(rfq_id=pk, buyer=company, actor=signed_in_user(request))
        return _answer(request, company, pk)


def _reason(request: Request) -> str:
    serializer = RfqReasonSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("reason", "")


class RfqCloseView(RfqView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rfqs_close",
        tags=[RFQ_TAG],
        summary="Stop taking quotes before the deadline",
        request=RfqReasonSerializer,
        responses={200: RfqSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        _own(company, pk)
        rfq_close(rfq_id=pk, buyer=company, actor=signed_in_user(request), reason=_reason(request))
        return _answer(request, company, pk)


class RfqCancelView(RfqView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rfqs_cancel",
        tags=[RFQ_TAG],
        summary="Withdraw a request",
        description="A draft is cancelled without a reason; a published request needs one (the suppliers see it).",
        request=RfqReasonSerializer,
        responses={200: RfqSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        _own(company, pk)
        rfq_cancel(rfq_id=pk, buyer=company, actor=signed_in_user(request), reason=_reason(request))
        return _answer(request, company, pk)


class RfqInvitationsView(RfqView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rfqs_invitations_set",
        tags=[RFQ_TAG],
        summary="Set the suppliers invited to quote",
        description=(
            "Replaces the list. On an open request suppliers can be added (they are notified at once), "
            "not removed. Allowed until the first quote arrives (else 409)."
        ),
        request=RfqInvitationsSerializer,
        responses={200: RfqSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def put(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        _own(company, pk)
        serializer = RfqInvitationsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rfq_invitations_set(
            rfq_id=pk, buyer=company, actor=signed_in_user(request), supplier_ids=serializer.validated_data["suppliers"]
        )
        return _answer(request, company, pk)


class RfqAttachmentsView(RfqView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="rfqs_attachments_create",
        tags=[RFQ_TAG],
        summary="Attach drawings, specifications or photos",
        description=(
            "multipart/form-data with one or more files in `files`. Each is checked by its content (PDF, "
            "JPEG, PNG or WebP) and size; a request has at most 10. All or nothing. 409 once quoted."
        ),
        request={"multipart/form-data": RfqAttachmentsUploadSerializer},
        responses={201: RfqSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        _own(company, pk)
        rfq_attachments_add(
            rfq_id=pk, buyer=company, actor=signed_in_user(request), uploads=request.FILES.getlist("files")
        )
        return _answer(request, company, pk, code=status.HTTP_201_CREATED)


class RfqAttachmentDetailView(RfqView):
    @extend_schema(
        operation_id="rfqs_attachments_retrieve",
        tags=[RFQ_TAG],
        summary="Download an attachment",
        responses={
            **{
                (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
                for media_type in CONTENT_TYPES.values()
            },
            **SIGNED_URL_REDIRECT,
            **error_responses(404, *PRIVATE_ERRORS),
        },
    )
    def get(self, request: Request, pk: int, attachment_id: int) -> PrivateFileResponse:
        rfq = _own(acting_company_of(request), pk)
        attachment = rfq.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound(_("No such attachment on this request."))
        return private_file_response(
            attachment.file, name=attachment.original_name, missing=_("The file of this attachment is missing.")
        )

    @extend_schema(
        operation_id="rfqs_attachments_destroy",
        tags=[RFQ_TAG],
        summary="Remove an attachment",
        description="Allowed until the first quote arrives (else 409).",
        responses={204: None, **error_responses(404, 409, *PRIVATE_ERRORS)},
    )
    def delete(self, request: Request, pk: int, attachment_id: int) -> Response:
        company = acting_company_of(request)
        rfq_attachment_remove(rfq_id=pk, attachment_id=attachment_id, buyer=company, actor=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
