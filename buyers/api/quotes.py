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
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from buyers.allocation import Constraints, Plan
from buyers.allocation.reasons import conflict_text, reason_text
from buyers.api.rfqs import RfqView
from buyers.api.serializers.quotes import (
    ComparisonQuerySerializer,
    ComparisonSerializer,
    QuoteAttachmentsUploadSerializer,
    QuoteWriteSerializer,
    RoundOpenSerializer,
    RoundSerializer,
    SupplierQuoteSerializer,
)
from buyers.comparison import Comparison, compare_quotes, propose_plan, sort_rows
from buyers.models import SourcingRequest
from buyers.plan_rules import PlanInputInvalid, plan_constraints_from
from buyers.quote_rules import QuoteTerms, QuoteTermsInvalid, quote_terms_from
from buyers.selectors.quotes import quote_of_supplier, quotes_for_buyer, rounds_for_buyer
from buyers.selectors.rfqs import rfq_for_supplier, rfq_of_buyer
from buyers.services.quotes import quote_attachments_add, quote_revise, quote_submit, quote_withdraw
from buyers.services.rounds import round_end, round_open
from marketplace.api.parsers import FormParser, JSONParser, MultiPartParser
from marketplace.api.permissions import ActsForSellingCompany, acting_company_of
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from marketplace.errors import NotFound
from marketplace.selectors.money import currency_refusal, offered_currency_codes
from marketplace.tenancy import signed_in_user
from suppliers.api import catalog
from suppliers.api.acting import acting_supplier
from suppliers.models import SupplierProfile

QUOTES_TAG = "quotes"


def _visible_rfq(supplier: SupplierProfile, rfq_id: int) -> SourcingRequest:
    return rfq_for_supplier(supplier=supplier, pk=rfq_id)


def _terms(request: Request, rfq: SourcingRequest, *, kept_currency: str | None = None) -> QuoteTerms:
    serializer = QuoteWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        return quote_terms_from(serializer.terms_input(), rfq=rfq, kept_currency=kept_currency)
    except QuoteTermsInvalid as invalid:
        raise ValidationError(invalid.errors) from invalid


class SupplierQuotingView(ApiView):
    # The supplier's side of quoting refuses as the catalog API does. (A comment, not a docstring:
    # the schema would show a docstring as the description of every operation below.)
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = catalog.NO_COMPANY
    not_selling_message = catalog.NOT_SELLING


class SupplierQuoteView(SupplierQuotingView):
    parser_classes = [JSONParser]

    def _own(self, request: Request, rfq_id: int) -> tuple[SupplierProfile, SourcingRequest]:
        supplier = acting_supplier(request)
        return supplier, _visible_rfq(supplier, rfq_id)

    @extend_schema(
        operation_id="inbox_quote_retrieve",
        tags=[QUOTES_TAG],
        summary="Your quote on an RFQ",
        description="Your company's quote on the RFQ with every version; 404 when you have not quoted.",
        responses={200: SupplierQuoteSerializer, **error_responses(*PRIVATE_ERRORS, 404)},
    )
    def get(self, request: Request, rfq_id: int) -> Response:
        supplier, rfq = self._own(request, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        return Response(SupplierQuoteSerializer(quote).data)

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
        responses={201: SupplierQuoteSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409)},
    )
    def post(self, request: Request, rfq_id: int) -> Response:
        supplier, rfq = self._own(request, rfq_id)
        quote = quote_submit(
            rfq_id=rfq.pk, supplier=supplier, actor=signed_in_user(request), terms=_terms(request, rfq)
        )
        return Response(
            SupplierQuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=quote.rfq_id)).data, status=201
        )

    @extend_schema(
        operation_id="inbox_quote_revise",
        tags=[QUOTES_TAG],
        summary="Revise your quote",
        description="Replace the terms of your active quote; the buyer keeps seeing every earlier version.",
        request=QuoteWriteSerializer,
        responses={200: SupplierQuoteSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409)},
    )
    def put(self, request: Request, rfq_id: int) -> Response:
        supplier, rfq = self._own(request, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        terms = _terms(request, rfq, kept_currency=quote.currency_id if quote.is_active else None)
        quote_revise(quote_id=quote.pk, supplier=supplier, actor=signed_in_user(request), terms=terms)
        return Response(SupplierQuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)).data)


class SupplierQuoteWithdrawView(SupplierQuotingView):
    @extend_schema(
        operation_id="inbox_quote_withdraw",
        tags=[QUOTES_TAG],
        summary="Withdraw your quote",
        request=None,
        responses={200: SupplierQuoteSerializer, **error_responses(*PRIVATE_ERRORS, 404, 409)},
    )
    def post(self, request: Request, rfq_id: int) -> Response:
        supplier = acting_supplier(request)
        rfq = _visible_rfq(supplier, rfq_id)
        quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
        if quote is None:
            raise NotFound(_("You have not quoted on this request."))
        quote_withdraw(quote_id=quote.pk, supplier=supplier, actor=signed_in_user(request))
        return Response(SupplierQuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)).data)


class SupplierQuoteAttachmentsView(SupplierQuotingView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="inbox_quote_attachments_add",
        tags=[QUOTES_TAG],
        summary="Attach files to your quote",
        description="Drawings, specifications, test reports or photos (PDF or image, checked by content), at most 10.",
        request={"multipart/form-data": QuoteAttachmentsUploadSerializer},
        responses={201: SupplierQuoteSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409, 415)},
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
            quote_id=quote.pk,
            supplier=supplier,
            actor=signed_in_user(request),
            uploads=upload.validated_data["attachments"],
        )
        return Response(SupplierQuoteSerializer(quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)).data, status=201)


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


class RfqComparisonView(RfqView):
    @extend_schema(
        operation_id="rfqs_quotes_compare",
        tags=[QUOTES_TAG],
        summary="Compare the quotes of your RFQ",
        description=(
            "Every quote on your RFQ side by side, priced at the quantity it offers by its tiers and converted into "
            "`currency` (default: your preferred currency) with the dated exchange rates used, freight and landed "
            "totals, late quotes marked, the best value of each column named in `best`. For an RFQ that may be "
            "awarded, `plan` is the optimal split (a mixed-integer program) under the constraints given in the "
            "query, with its total, the savings against the cheapest single supplier and the greedy plan, and each "
            "row's planned quantity, price there and reason; when no plan meets the constraints, `conflicts` names "
            "them. Award with the rows' `quote.version`."
        ),
        parameters=[ComparisonQuerySerializer],
        responses={200: ComparisonSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rfq = rfq_of_buyer(company=company, pk=pk)
        currency = (
            query.validated_data.get("currency") or signed_in_user(request).preferred_currency_id or "USD"
        ).upper()
        if currency not in offered_currency_codes():
            raise ValidationError({"currency": [currency_refusal(currency)]})
        quotes = list(quotes_for_buyer(company=company, rfq_id=rfq.pk))
        comparison = compare_quotes(rfq=rfq, quotes=quotes, currency=currency, on=timezone.localdate())
        # The constraints are checked even when no plan is proposed: a value the schema does not
        # allow is refused whatever the state of the request.
        try:
            constraints = plan_constraints_from(
                request.query_params, rfq=rfq, quotes=quotes, target_places=comparison.places
            )
        except PlanInputInvalid as invalid:
            raise ValidationError(invalid.errors) from invalid
        plan = None
        if rfq.status in {SourcingRequest.Status.OPEN, SourcingRequest.Status.CLOSED} and any(
            quote.is_active for quote in quotes
        ):
            plan = propose_plan(comparison, constraints)
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
                    "minimum": row.minimum,
                    "tiers": [
                        {"from": minimum, "unit_price": str(price), "converted": None if conv is None else str(conv)}
                        for minimum, price, conv in row.tiers
                    ],
                    "planned_quantity": row.planned_quantity,
                    "planned_unit_price": row.planned_unit_price,
                    "planned_landed": row.planned_landed,
                    "reason": reason_text(row.reason, currency=currency) if row.reason else "",
                    "reason_code": row.reason.code if row.reason else None,
                }
                for row in rows
            ],
            "plan": _plan_body(plan, constraints, comparison),
            "proposal": {str(key): value for key, value in plan.lines.items()} if plan else {},
        }
        return Response(ComparisonSerializer(body).data, status=status.HTTP_200_OK)


def _plan_body(plan: Plan | None, constraints: Constraints | None, comparison: Comparison) -> dict[str, Any] | None:
    if plan is None or constraints is None:
        return None
    return {
        "status": plan.status,
        "total": plan.total,
        "gap": plan.gap,
        "greedy_total": plan.greedy.total if plan.greedy else None,
        "single_total": plan.single.total if plan.single else None,
        "greedy_meets_constraints": comparison.greedy_fits,
        "single_meets_constraints": comparison.single_fits,
        "saving_vs_greedy": plan.saving_vs_greedy if comparison.greedy_fits else None,
        "saving_vs_single": plan.saving_vs_single if comparison.single_fits else None,
        "conflicts": [{"code": code, "message": conflict_text(code, constraints)} for code in plan.conflicts],
    }


class RfqRoundsView(RfqView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="rfqs_rounds_list",
        tags=[QUOTES_TAG],
        summary="Negotiation rounds of your RFQ",
        responses={200: RoundSerializer(many=True), **error_responses(*PRIVATE_ERRORS, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        rfq_of_buyer(company=company, pk=pk)  # NotFound for another company's
        return Response(RoundSerializer(rounds_for_buyer(company=company, rfq_id=pk), many=True).data)

    @extend_schema(
        operation_id="rfqs_rounds_open",
        tags=[QUOTES_TAG],
        summary="Open a negotiation round (best and final offer)",
        description=(
            "After the quote deadline (or once you closed the RFQ), ask some or all quoting suppliers to revise "
            "until `deadline`; only they may revise, and each revision is a version tied to the round. 409 while "
            "quotes may still change, when another round is open, or when the RFQ is decided."
        ),
        request=RoundOpenSerializer,
        responses={201: RoundSerializer, **error_responses(*PRIVATE_ERRORS, 400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        serializer = RoundOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        negotiation = round_open(
            rfq_id=pk,
            buyer=company,
            actor=signed_in_user(request),
            deadline=serializer.validated_data["deadline"],
            quote_ids=serializer.validated_data.get("quotes") or (),
            message=serializer.validated_data.get("message", ""),
        )
        return Response(RoundSerializer(negotiation).data, status=201)


class RfqRoundEndView(RfqView):
    @extend_schema(
        operation_id="rfqs_rounds_end",
        tags=[QUOTES_TAG],
        summary="End the open negotiation round now",
        request=None,
        responses={200: RoundSerializer, **error_responses(*PRIVATE_ERRORS, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        negotiation = round_end(rfq_id=pk, buyer=company, actor=signed_in_user(request))
        return Response(RoundSerializer(negotiation).data)
