"""Quotes through the API: the supplier's own quote on an RFQ (submit, revise, withdraw) and the
buyer's comparison of an RFQ's quotes in a currency of its choice.

Sealed: a supplier reads only its own quote; the comparison is the RFQ's buyer's only; any other
client gets 404. Terms are checked by buyers.quote_rules, the rule the quote page uses.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from buyers.api.rfqs import acting_buyer
from buyers.api.serializers_quotes import (
    ComparisonQuerySerializer,
    ComparisonSerializer,
    QuoteAttachmentsUploadSerializer,
    QuoteSerializer,
    QuoteWriteSerializer,
)
from buyers.comparison import compare_quotes, propose_allocation, sort_rows
from buyers.models import SourcingRequest
from buyers.quote_rules import QuoteTerms, QuoteTermsInvalid, quote_terms_from
from buyers.selectors.quotes import quote_of_supplier, quotes_for_buyer
from buyers.selectors.rfqs import rfq_for_supplier, rfq_of_buyer
from buyers.services.quotes import quote_attachments_add, quote_revise, quote_submit, quote_withdraw
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from marketplace.errors import NotFound
from marketplace.models import Currency
from suppliers.api.catalog import acting_supplier
from suppliers.models import SupplierProfile

QUOTES_TAG = "quotes"


def _visible_rfq(supplier: SupplierProfile, rfq_id: int) -> SourcingRequest:
    rfq = rfq_for_supplier(supplier=supplier, pk=rfq_id)
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    return rfq


def _terms(request: Request, rfq: SourcingRequest) -> QuoteTerms:
    serializer = QuoteWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        return quote_terms_from(serializer.terms_input(), rfq=rfq)
    except QuoteTermsInvalid as invalid:
        raise ValidationError(invalid.errors) from invalid


class SupplierQuoteView(ApiView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def _own(self, request: Request, rfq_id: int) -> tuple[SupplierProfile, SourcingRequest]:
        supplier = acting_supplier(request)
        return supplier, _visible_rfq(supplier, rfq_id)

    @extend_schema(
        operation_id="inbox_quote_retrieve",
        tags=[QUOTES_TAG],
        summary="Your quote on an RFQ",
        description="Your company's quote on the RFQ with every version; 404 when you have not quoted.",
        responses={200: QuoteSerializer, **error_responses(*PRIVATE_ERRORS, 404)},
    )
    def get(self, request: Request, rfq_id: int) -> Response:
        supplier, rfq = self._own(request, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        return Response(QuoteSerializer(quote).data)

    @extend_schema(
        operation_id="inbox_quote_submit",
        tags=[QUOTES_TAG],
        summary="Quote on an RFQ",
        description=(
            "Send your sealed quote: a unit price or quantity-break tiers, currency, quantity offered (less than the "
            "RFQ's only when it allows a split), lead time, valid-until date, Incoterm and port, freight, samples, "
            "notes. 409 when you already quoted (revise with PUT), the RFQ no longer takes quotes, or its quote cap "
            "is reached."
        ),
        request=QuoteWriteSerializer,
        responses={201: QuoteSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409)},
    )
    def post(self, request: Request, rfq_id: int) -> Response:
        supplier, rfq = self._own(request, rfq_id)
        quote = quote_submit(rfq_id=rfq.pk, supplier=supplier, actor=request.user, terms=_terms(request, rfq))
        return Response(QuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=quote.rfq_id)).data, status=201)

    @extend_schema(
        operation_id="inbox_quote_revise",
        tags=[QUOTES_TAG],
        summary="Revise your quote",
        description="Replace the terms of your active quote; the buyer keeps seeing every earlier version.",
        request=QuoteWriteSerializer,
        responses={200: QuoteSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409)},
    )
    def put(self, request: Request, rfq_id: int) -> Response:
        supplier, rfq = self._own(request, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        quote_revise(quote_id=quote.pk, supplier=supplier, actor=request.user, terms=_terms(request, rfq))
        return Response(QuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)).data)


class SupplierQuoteWithdrawView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="inbox_quote_withdraw",
        tags=[QUOTES_TAG],
        summary="Withdraw your quote",
        request=None,
        responses={200: QuoteSerializer, **error_responses(*PRIVATE_ERRORS, 404, 409)},
    )
    def post(self, request: Request, rfq_id: int) -> Response:
        supplier = acting_supplier(request)
        rfq = _visible_rfq(supplier, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        quote_withdraw(quote_id=quote.pk, supplier=supplier, actor=request.user)
        return Response(QuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)).data)


class SupplierQuoteAttachmentsView(ApiView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="inbox_quote_attachments_add",
        tags=[QUOTES_TAG],
        summary="Attach files to your quote",
        description="Drawings, specifications, test reports or photos (PDF or image, checked by content), at most 10.",
        request={"multipart/form-data": QuoteAttachmentsUploadSerializer},
        responses={201: QuoteSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409, 415)},
    )
    def post(self, request: Request, rfq_id: int) -> Response:
        supplier = acting_supplier(request)
        rfq = _visible_rfq(supplier, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        upload = QuoteAttachmentsUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        quote_attachments_add(
            quote_id=quote.pk, supplier=supplier, actor=request.user, uploads=upload.validated_data["attachments"]
        )
        return Response(QuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)).data, status=201)


def _supplier_facts(supplier: SupplierProfile) -> dict[str, Any]:
    return {
        "id": supplier.pk,
        "name": supplier.name,
        "verified": supplier.is_verified,
        "business_type": supplier.business_type,
        "belt": supplier.belt.slug if supplier.belt else None,
        "response_rate": supplier.response_rate,
        "rating_average": supplier.rating_average,
        "rating_count": supplier.rating_count,
        "on_time_rate": supplier.on_time_rate,
    }


class RfqComparisonView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="rfqs_quotes_compare",
        tags=[QUOTES_TAG],
        summary="Compare the quotes of your RFQ",
        description=(
            "Every quote on your RFQ side by side, amounts converted into `currency` (default: your preferred "
            "currency) with the dated exchange rates used, freight and landed totals, late quotes marked, the best "
            "value of each column named in `best`, and for a splittable RFQ a proposed allocation at the lowest "
            "landed cost from quotes that meet the required date."
        ),
        parameters=[ComparisonQuerySerializer],
        responses={200: ComparisonSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        company = acting_buyer(request)
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rfq = rfq_of_buyer(company=company, pk=pk)
        if rfq is None:
            raise NotFound(_("No such sourcing request."))
        currency = (query.validated_data.get("currency") or request.user.preferred_currency_id or "USD").upper()
        if not Currency.objects.filter(code=currency, is_active=True).exists():
            raise ValidationError({"currency": [_("“%(code)s” is not a currency we know.") % {"code": currency}]})
        comparison = compare_quotes(
            rfq=rfq,
            quotes=list(quotes_for_buyer(company=company, rfq_id=rfq.pk)),
            currency=currency,
            on=timezone.localdate(),
        )
        sort = query.validated_data.get("sort", "landed_unit")
        rows = sort_rows(comparison.rows, sort.lstrip("-"), descending=sort.startswith("-"))
        body = {
            "currency": currency,
            "rates": [
                {"base": rate.base, "quote": rate.quote, "rate": rate.display_rate, "valid_on": rate.valid_on}
                for rate in comparison.rates
            ],
            "missing_rates": comparison.missing_rates,
            "rows": [
                {
                    "quote": row.quote,
                    "supplier": _supplier_facts(row.quote.supplier),
                    "unit_price": row.unit_price,
                    "total": row.total,
                    "freight": row.freight,
                    "landed_total": row.landed_total,
                    "ready_on": row.ready_on,
                    "late": row.late,
                    "best": sorted(row.best),
                }
                for row in rows
            ],
            "proposal": {str(key): value for key, value in propose_allocation(comparison).items()}
            if rfq.allow_split
            else {},
        }
        return Response(ComparisonSerializer(body).data, status=status.HTTP_200_OK)
