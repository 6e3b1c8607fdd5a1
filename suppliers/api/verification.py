"""Supplier verification through the API.

`/api/v1/verification/documents/`: the acting supplier's own documents (GET) and submitting one
(POST, multipart/form-data with the file). Anonymous clients get 401; a company that does not
sell, or a user acting for no company, 403.

`/api/v1/verification/documents/<id>/approve/` and `.../reject/`: staff review a pending document.
For anybody but staff the document does not exist (404); a document already reviewed is 409.
Every write is a call of suppliers/services/verification.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import FormParser, JSONParser, MultiPartParser
from marketplace.api.permissions import ActsForSellingCompany
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from marketplace.tenancy import signed_in_user
from suppliers.api.acting import acting_supplier
from suppliers.models import Certification
from suppliers.selectors.verification import verification_document_for_staff, verification_documents_of
from suppliers.services.verification import (
    MAX_REASON_LENGTH,
    certification_approve,
    certification_reject,
    certification_submit,
)

VERIFICATION_TAG = "verification"
# Said both to a user acting for no company and to a company that does not sell.
NOT_A_SELLER = gettext_lazy("Verification documents belong to a company that sells on SourceBelt.")


class VerificationDocumentSerializer(serializers.ModelSerializer):
    """A verification document as its supplier (or staff) sees it; the file itself is never in the API."""

    expired = serializers.BooleanField(source="is_expired", read_only=True)
    supplier = serializers.IntegerField(source="supplier_id", read_only=True)

    class Meta:
        model = Certification
        fields = [
            "id",
            "supplier",
            "kind",
            "name",
            "issuer",
            "number",
            "expires_on",
            "expired",
            "review_status",
            "rejection_reason",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = fields


class DocumentSubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Certification.Kind.choices, required=False, default=Certification.Kind.CERTIFICATION
    )
    name = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=200)
    number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Required for a certification; for a licence only if it has one. Not in the past."),
    )
    file = serializers.FileField(
        help_text=gettext_lazy("A PDF or a JPEG, PNG or WebP image, at most 10 MB (checked by its content).")
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        help_text=gettext_lazy("What the supplier must fix; it is sent to the supplier's members."),
    )


class DocumentPagination(StandardCursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(
        operation_id="verification_documents_list",
        tags=[VERIFICATION_TAG],
        summary="Your verification documents",
        description="Your business licence and certifications, newest first, with their review and expiry.",
        responses={200: VerificationDocumentSerializer(many=True), **error_responses(404, *PRIVATE_ERRORS)},
    ),
    post=extend_schema(
        operation_id="verification_documents_create",
        tags=[VERIFICATION_TAG],
        summary="Submit a verification document",
        description=(
            "multipart/form-data with the document's fields and its `file`. It waits for staff review; staff are told."
        ),
        request={"multipart/form-data": DocumentSubmitSerializer},
        responses={201: VerificationDocumentSerializer, **error_responses(400, 415, *PRIVATE_ERRORS)},
    ),
)
class VerificationDocumentListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NOT_A_SELLER
    not_selling_message = NOT_A_SELLER
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = ApiView.throttle_classes
    pagination_class = DocumentPagination
    serializer_class = VerificationDocumentSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Certification]:
        if getattr(self, "swagger_fake_view", False):
            return Certification.objects.none()
        return verification_documents_of(supplier=acting_supplier(self.request))

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        supplier = acting_supplier(request)
        submitted = DocumentSubmitSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        document = certification_submit(supplier=supplier, actor=signed_in_user(request), **submitted.validated_data)
        return Response(VerificationDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


def _document_for_staff(request: Request, pk: int) -> Certification:
    return verification_document_for_staff(user=signed_in_user(request), pk=pk)


class VerificationDocumentApproveView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="verification_documents_approve",
        tags=[VERIFICATION_TAG],
        summary="Approve a pending document (staff)",
        request=None,
        responses={200: VerificationDocumentSerializer, **error_responses(404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = certification_approve(certification=_document_for_staff(request, pk), actor=signed_in_user(request))
        return Response(VerificationDocumentSerializer(document).data)


class VerificationDocumentRejectView(ApiView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="verification_documents_reject",
        tags=[VERIFICATION_TAG],
        summary="Reject a pending document with a reason (staff)",
        request=RejectSerializer,
        responses={200: VerificationDocumentSerializer, **error_responses(400, 404, 409, 415, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = _document_for_staff(request, pk)
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rejected = certification_reject(
            certification=document, actor=signed_in_user(request), reason=data.validated_data["reason"]
        )
        return Response(VerificationDocumentSerializer(rejected).data)
