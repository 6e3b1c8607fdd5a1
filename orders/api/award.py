"""Awarding an RFQ through the API (the same service as the comparison page's award form)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.api.fields import AmountField, IdField, WholeNumberField
from marketplace.api.parsers import JSONParser
from marketplace.api.permissions import ActsForCompany, acting_company_of
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from marketplace.errors import InvalidInput
from marketplace.tenancy import signed_in_user
from orders.models import Order
from orders.services.award import rfq_award


class AllocationSerializer(serializers.Serializer):
    quote = IdField(subject=gettext_lazy("A quote"), help_text="The quote's id.")
    version = WholeNumberField(
        subject=gettext_lazy("A quote version"),
        min_value=1,
        max_value=32767,
        help_text="The version of the quote you compared (its `version`); 409 when the quote changed since.",
    )
    quantity = WholeNumberField(subject=gettext_lazy("An award quantity"), min_value=1, max_value=100_000_000)


class AwardSerializer(serializers.Serializer):
    allocations = serializers.ListField(child=AllocationSerializer(), min_length=1, max_length=200)
    require_full_cover = serializers.BooleanField(required=False, default=False)
    over_delivery = AmountField(
        subject=gettext_lazy("The over-delivery tolerance"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("20"),
        required=False,
        default=Decimal("0"),
        help_text="Per cent more than the RFQ's quantity you accept in all (0–20).",
    )


class AwardedOrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    supplier = serializers.IntegerField(source="supplier_id", read_only=True)
    quote = serializers.IntegerField(source="quote_id", read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True)

    class Meta:
        model = Order
        fields = ["id", "number", "supplier", "quote", "status", "currency", "goods_total", "freight"]
        read_only_fields = fields


class RfqAwardView(ApiView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = gettext_lazy("Your account acts for no company: awards are for members of a company.")
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rfqs_award",
        tags=["quotes"],
        summary="Award your RFQ",
        description=(
            "Award one quote, or split the RFQ across several (when it allows a split): one allocation per quote, "
            "naming the quote `version` you compared, at least the quote's minimum (its smallest tier or stated "
            "minimum order) and never more than it offered, in all never more than the RFQ's quantity plus "
            "`over_delivery` % (and at least it with `require_full_cover`). One order is placed per awarded quote, "
            "priced from the named version at the tier the quantity falls in; the other quotes are declined. 409 "
            "when a quote changed since the named version (revised, withdrawn, expired: nothing is created), a "
            "negotiation round is open, or the RFQ was already awarded (also by a colleague at the same moment)."
        ),
        request=AwardSerializer,
        responses={201: AwardedOrderSerializer(many=True), **error_responses(*PRIVATE_ERRORS, 400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        serializer = AwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocations: dict[int, int] = {}
        versions: dict[int, int] = {}
        for item in serializer.validated_data["allocations"]:
            if item["quote"] in allocations:
                raise InvalidInput(_("Each quote may appear once in the allocations."), field="allocations")
            allocations[item["quote"]] = item["quantity"]
            versions[item["quote"]] = item["version"]
        orders = rfq_award(
            rfq_id=pk,
            buyer=company,
            actor=signed_in_user(request),
            allocations=allocations,
            versions=versions,
            require_full_cover=serializer.validated_data["require_full_cover"],
            over_delivery_percent=serializer.validated_data["over_delivery"],
        )
        return Response(AwardedOrderSerializer(orders, many=True).data, status=201)
