"""Orders through the API (/api/v1/orders/...): the list and one order for the acting company as
buyer or supplier, "order now" from the catalog, and one action endpoint per transition.

Anonymous clients get 401, a user acting for no company 403 with a message, an order the company
is not a party to 404. A transition the order's status does not allow answers 409, one the
client's side may not ask for 403; the order services do every write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import FormParser, JSONParser
from marketplace.api.permissions import ActsForCompany, acting_company_of
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from marketplace.errors import Conflict, NotFound, PermissionDenied
from marketplace.models import Company
from marketplace.tenancy import acting_company, signed_in_user
from orders.api.serializers.orders import (
    CatalogOrderSerializer,
    DisputeOpenSerializer,
    DisputeResolveSerializer,
    OrderDetailSerializer,
    OrderFilterSerializer,
    OrderSerializer,
    PaidSerializer,
    ReasonSerializer,
    ReviewWriteSerializer,
    ShipSerializer,
)
from orders.models import Dispute, Order
from orders.selectors.orders import OrderFilters, order_of_company, orders_of_company
from orders.services.catalog_orders import CatalogOrderData, order_from_catalog
from orders.services.disputes import dispute_open, dispute_resolve
from orders.services.fulfilment import order_complete, order_deliver, order_ship
from orders.services.payments import milestone_confirm_received, milestone_mark_paid
from orders.services.reviews import review_create
from orders.services.transitions import order_cancel, order_confirm, order_start_production

ORDERS_TAG = "orders"
NO_COMPANY = gettext_lazy("Your account acts for no company: orders belong to members of a company.")


def _answer(request: Request, company: Company, pk: int, *, code: int = 200) -> Response:
    order = order_of_company(company=company, pk=pk)
    return Response(OrderDetailSerializer(order, context={"request": request, "company": company}).data, status=code)


def _valid(serializer_class: type[Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class OrderPagination(StandardCursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(
        operation_id="orders_list",
        tags=[ORDERS_TAG],
        summary="Your company's orders, as buyer and as supplier",
        description="Newest first. `side` keeps the orders where your company buys, or sells.",
        parameters=[OrderFilterSerializer],
        responses={200: OrderSerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
)
class OrderListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY
    throttle_classes = ApiView.throttle_classes
    pagination_class = OrderPagination
    serializer_class = OrderSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Order]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Order.objects.none()
        company = acting_company_of(self.request)
        query = OrderFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        filters = OrderFilters(
            status=values.get("status"),
            counterparty_id=values.get("counterparty"),
            placed_from=values.get("placed_from"),
            placed_to=values.get("placed_to"),
        )
        return orders_of_company(company=company, role=values.get("side"), filters=filters)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False):
            context["company"] = acting_company_of(self.request)
        return context


class OrderView(ApiView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY
    parser_classes = [JSONParser, FormParser]


class OrderDetailView(OrderView):
    @extend_schema(
        operation_id="orders_retrieve",
        tags=[ORDERS_TAG],
        summary="One order, with its history, milestones, shipments, disputes and review",
        responses={200: OrderDetailSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _answer(request, acting_company_of(request), pk)


class CatalogOrderView(OrderView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="orders_from_catalog",
        tags=[ORDERS_TAG],
        summary="Order a product straight from the catalog",
        description=(
            "At least the product's MOQ, at the unit price of its tier for the quantity; payment terms "
            "30 % before production, 70 % before shipment. The supplier is asked to confirm."
        ),
        request=CatalogOrderSerializer,
        responses={201: OrderDetailSerializer, **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        company = acting_company_of(request)
        data = _valid(CatalogOrderSerializer, request)
        order = order_from_catalog(
            buyer=company,
            actor=signed_in_user(request),
            data=CatalogOrderData(
                product_id=data["product"],
                quantity=data["quantity"],
                destination_country=(data.get("destination_country") or str(company.country or "")).upper(),
                destination_city=data.get("destination_city", ""),
                required_by=data.get("required_by"),
                notes=data.get("notes", ""),
            ),
        )
        return _answer(request, company, order.pk, code=status.HTTP_201_CREATED)


def _action_view(
    name: str,
    *,
    operation_id: str,
    summary: str,
    description: str,
    call: Callable[..., Any],
    input_serializer: type[Serializer] | None = None,
    milestone: bool = False,
) -> type[OrderView]:
    """One action endpoint: parse the input, call the service, answer the order as it is now."""
    errors = (400, 403, 404, 409) if input_serializer is not None else (403, 404, 409)
    schema = extend_schema(
        operation_id=operation_id,
        tags=[ORDERS_TAG],
        summary=summary,
        description=description,
        request=input_serializer,
        responses={200: OrderDetailSerializer, **error_responses(*errors, *PRIVATE_ERRORS)},
    )

    def run(request: Request, pk: int, **ids: int) -> Response:
        company = acting_company_of(request)
        order_of_company(company=company, pk=pk)  # NotFound (404) before judging the input
        data = _valid(input_serializer, request) if input_serializer is not None else {}
        call(order_id=pk, company=company, actor=request.user, **ids, **data)
        return _answer(request, company, pk)

    if milestone:

        def post(self: OrderView, request: Request, pk: int, milestone_id: int) -> Response:
            return run(request, pk, milestone_id=milestone_id)
    else:
        # An order action's URL has no milestone id: a variant mypy wants identical on purpose differs.
        def post(self: OrderView, request: Request, pk: int) -> Response:  # type: ignore[misc]
            return run(request, pk)

    return type(name, (OrderView,), {"post": schema(post), "__doc__": summary})


OrderConfirmView = _action_view(
    "OrderConfirmView",
    operation_id="orders_confirm",
    summary="Confirm the order (supplier)",
    description="placed → confirmed; on to deposit_paid at once when nothing is due before production.",
    call=order_confirm,
)
OrderStartProductionView = _action_view(
    "OrderStartProductionView",
    operation_id="orders_start_production",
    summary="Start production (supplier)",
    description="deposit_paid → in_production.",
    call=order_start_production,
)
OrderShipView = _action_view(
    "OrderShipView",
    operation_id="orders_ship",
    summary="Ship the order (supplier)",
    description=(
        "in_production → shipped, with the carrier, tracking number and quantity shipped. Every payment due "
        "before shipment must be received (else 409)."
    ),
    call=order_ship,
    input_serializer=ShipSerializer,
)
OrderDeliverView = _action_view(
    "OrderDeliverView",
    operation_id="orders_deliver",
    summary="Mark the order delivered (buyer)",
    description="shipped → delivered.",
    call=order_deliver,
)
OrderCompleteView = _action_view(
    "OrderCompleteView",
    operation_id="orders_complete",
    summary="Complete the order (buyer)",
    description="delivered → completed; the buyer may then review the supplier.",
    call=order_complete,
)
OrderCancelView = _action_view(
    "OrderCancelView",
    operation_id="orders_cancel",
    summary="Cancel the order (buyer or supplier)",
    description="placed, confirmed or deposit_paid → cancelled, with a reason the other side sees.",
    call=order_cancel,
    input_serializer=ReasonSerializer,
)
OrderDisputeView = _action_view(
    "OrderDisputeView",
    operation_id="orders_dispute",
    summary="Dispute the order (buyer)",
    description="shipped or delivered → disputed, saying what went wrong; SourceBelt staff resolve it.",
    call=dispute_open,
    input_serializer=DisputeOpenSerializer,
)
OrderReviewView = _action_view(
    "OrderReviewView",
    operation_id="orders_review",
    summary="Review the supplier of a completed order (buyer, once)",
    description="A rating from 1 to 5 and an optional comment.",
    call=review_create,
    input_serializer=ReviewWriteSerializer,
)
MilestonePaidView = _action_view(
    "MilestonePaidView",
    operation_id="orders_milestone_paid",
    summary="Mark a payment milestone paid (buyer)",
    description="Recorded, not processed: give your payment reference; the supplier confirms receipt.",
    call=milestone_mark_paid,
    input_serializer=PaidSerializer,
    milestone=True,
)
MilestoneReceivedView = _action_view(
    "MilestoneReceivedView",
    operation_id="orders_milestone_received",
    summary="Confirm a payment milestone received (supplier)",
    description="The last payment due before production moves a confirmed order to deposit_paid.",
    call=milestone_confirm_received,
    milestone=True,
)


class DisputeResolveView(OrderView):
    # Staff resolve disputes acting for no company; the handler answers the order's parties itself.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="orders_resolve_dispute",
        tags=[ORDERS_TAG],
        summary="Resolve the order's open dispute (SourceBelt staff)",
        description=(
            "`resume` returns the order to its status before the dispute; `cancel` and `complete` end it. "
            "The buyer and the supplier of the order get 403; everybody else 404."
        ),
        request=DisputeResolveSerializer,
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The order's id.")],
        responses={200: OrderDetailSerializer, **error_responses(400, 404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        if not request.user.is_staff:
            company = acting_company(request)
            if company is None:
                raise NotFound(_("No such order."))
            order_of_company(company=company, pk=pk)  # NotFound for anybody but the order's two parties
            raise PermissionDenied(_("Only SourceBelt staff resolve disputes."))
        order = Order.objects.filter(pk=pk).first()
        if order is None:
            raise NotFound(_("No such order."))
        data = _valid(DisputeResolveSerializer, request)
        dispute = Dispute.objects.filter(order=order, status=Dispute.Status.OPEN).first()
        if dispute is None:
            raise Conflict(_("Order %(number)s has no open dispute.") % {"number": order.number})
        dispute_resolve(dispute_id=dispute.pk, actor=request.user, **data)
        # Staff act for no company: answer as the buyer sees the order.
        return _answer(request, order.buyer, pk)
