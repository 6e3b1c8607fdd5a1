"""The supplier's side of RFQs through the API: its inbox, one RFQ, declining it, and the board.

Every endpoint acts for the acting company's supplier profile: anonymous clients get 401, a
company that does not sell (or a user acting for no company) 403, and an RFQ the supplier may
not see 404 (drafts, other buyers' private RFQs, RFQs outside its categories: no existence leaks).
Reading one RFQ records the supplier's first opening, as the page does.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from buyers.api.serializers.inbox import (
    BoardFilterSerializer,
    BoardRfqSerializer,
    DeclineSerializer,
    InboxDetailSerializer,
    InboxEntrySerializer,
    InboxFilterSerializer,
)
from buyers.models import Match, SourcingRequest
from buyers.selectors.rfqs import inbox_of_supplier, rfq_board_for_supplier, rfq_for_supplier
from buyers.services.responses import match_decline, match_open
from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import JSONParser
from marketplace.api.permissions import ActsForSellingCompany
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from suppliers.api.acting import acting_supplier

INBOX_TAG = "rfq-inbox"
NO_COMPANY = gettext_lazy("Your account acts for no company: the RFQ inbox is for members of a company that sells.")
NOT_SELLING = gettext_lazy(
    "Your company does not sell yet: create its supplier profile (/suppliers/become/) to answer RFQs."
)


class InboxView(ApiView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NO_COMPANY
    not_selling_message = NOT_SELLING


class InboxPagination(StandardCursorPagination):
    # `published` is the RFQ's publishing time, annotated by the selector: newest first, best match next.
    ordering = ("-published", "-score", "-id")


class BoardPagination(StandardCursorPagination):
    ordering = ("-published_at", "-id")


@extend_schema_view(
    get=extend_schema(
        operation_id="inbox_list",
        tags=[INBOX_TAG],
        summary="Your RFQ inbox",
        description=(
            "The sourcing requests you were matched to, invited to or opened from the board, newest and "
            "best-matched first, with the reasons in your language. Never the buyer's name: its country."
        ),
        parameters=[InboxFilterSerializer],
        responses={200: InboxEntrySerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
)
class InboxListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NO_COMPANY
    not_selling_message = NOT_SELLING
    throttle_classes = ApiView.throttle_classes
    pagination_class = InboxPagination
    serializer_class = InboxEntrySerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Match]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Match.objects.none()
        supplier = acting_supplier(self.request)
        filters = InboxFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return inbox_of_supplier(
            supplier=supplier,
            category=data.get("category"),
            rfq_status=data.get("status"),
            match_status=data.get("answer"),
        )


class InboxDetailView(InboxView):
    @extend_schema(
        operation_id="inbox_retrieve",
        tags=[INBOX_TAG],
        summary="One RFQ, as you see it",
        description=(
            "Every fact of the request, its attachments and why you were matched. The first read records "
            "that you opened it (opening is not an answer). An RFQ from the board joins your inbox."
        ),
        responses={200: InboxDetailSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request, rfq_id: int) -> Response:
        match = match_open(supplier=acting_supplier(request), rfq_id=rfq_id)
        return Response(InboxDetailSerializer(match, context={"request": request}).data)


class InboxDeclineView(InboxView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="inbox_decline",
        tags=[INBOX_TAG],
        summary="Decline an RFQ",
        description=(
            "Say why in `reason`. Declining answers the request (it counts for your response rate). "
            "409 when the request no longer takes answers or you already declined or quoted."
        ),
        request=DeclineSerializer,
        responses={200: InboxDetailSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, rfq_id: int) -> Response:
        supplier = acting_supplier(request)
        rfq_for_supplier(supplier=supplier, pk=rfq_id)  # NotFound (404) before judging the input
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        match = match_decline(supplier=supplier, rfq_id=rfq_id, reason=serializer.validated_data["reason"])
        match = Match.objects.select_related("rfq", "rfq__category", "rfq__currency", "rfq__buyer").get(pk=match.pk)
        return Response(InboxDetailSerializer(match, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="rfq_board_list",
        tags=[INBOX_TAG],
        summary="The RFQ board",
        description=(
            "Open public sourcing requests in your categories, newest first; `already_in_inbox` marks "
            "those you were matched to or opened. Read one at /api/v1/inbox/{rfq_id}/ to answer it."
        ),
        parameters=[BoardFilterSerializer],
        responses={200: BoardRfqSerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
)
class BoardListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NO_COMPANY
    not_selling_message = NOT_SELLING
    throttle_classes = ApiView.throttle_classes
    pagination_class = BoardPagination
    serializer_class = BoardRfqSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[SourcingRequest]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SourcingRequest.objects.none()
        supplier = acting_supplier(self.request)
        filters = BoardFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return rfq_board_for_supplier(supplier=supplier, category=filters.validated_data.get("category"))
