"""Quote pages: the supplier quotes, revises or withdraws; the buyer compares the quotes of its
RFQ in its own currency, sorts them, and awards (the award itself is orders' service)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buyers.comparison import COLUMNS, allocation_total, compare_quotes, propose_allocation, sort_rows
from buyers.forms_quotes import QuoteForm
from buyers.models import Quote, QuoteAttachment, SourcingRequest
from buyers.quote_rules import QuoteTermsInvalid, quote_terms_from
from buyers.selectors.quotes import quote_of_supplier, quotes_for_buyer
from buyers.selectors.rfqs import rfq_for_supplier, rfq_of_buyer
from buyers.services.quotes import quote_revise, quote_submit, quote_withdraw
from marketplace.errors import DomainError
from marketplace.models import Company, Currency
from marketplace.tenancy import company_required
from suppliers.models import SupplierProfile
from suppliers.views.access import supplier_required


def _visible_rfq(supplier: SupplierProfile, pk: int) -> SourcingRequest:
    rfq = rfq_for_supplier(supplier=supplier, pk=pk)
    if rfq is None:
        raise Http404(_("No such sourcing request."))
    return rfq


def _initial_from(quote: Quote | None, rfq: SourcingRequest) -> dict[str, object]:
    if quote is None:
        return {"quantity": rfq.quantity, "incoterm": rfq.incoterm, "currency": rfq.currency_id}
    return {
        "unit_price": quote.unit_price.normalize(),
        "tiers": "; ".join(f"{quantity}:{price}" for quantity, price in quote.tiers),
        "currency": quote.currency_id,
        "quantity": quote.quantity,
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until.isoformat(),
        "incoterm": quote.incoterm,
        "port": quote.port,
        "freight": quote.freight,
        "sample_available": quote.sample_available,
        "sample_price": quote.sample_price,
        "sample_days": quote.sample_days,
        "notes": quote.notes,
    }


@supplier_required
@require_http_methods(["GET", "HEAD", "POST"])
def supplier_quote(request: HttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """Submit a quote, or revise the active one (a new version)."""
    rfq = _visible_rfq(supplier, pk)
    quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
    revising = quote is not None and quote.is_active
    status = 200
    if request.method == "POST":
        form = QuoteForm(request.POST, request.FILES)
        data = {name: request.POST.get(name) for name in form.fields}
        data["sample_available"] = "sample_available" in request.POST
        files = request.FILES.getlist("attachments")
        try:
            terms = quote_terms_from(data, rfq=rfq)
            if revising:
                quote_revise(quote_id=quote.pk, supplier=supplier, actor=request.user, terms=terms, attachments=files)
                messages.success(request, _("Your quote is revised; the buyer sees every version."))
            else:
                quote_submit(rfq_id=rfq.pk, supplier=supplier, actor=request.user, terms=terms, attachments=files)
                messages.success(request, _("Your quote is sent. Only this buyer can see it."))
            return redirect("buyers:supplier_quote", pk=rfq.pk)
        except QuoteTermsInvalid as error:
            form.is_valid()
            form.add_rule_errors(error.errors)
            status = 400
        except DomainError as error:
            form.is_valid()
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 409 if error.status_code == 409 else 400
    else:
        form = QuoteForm(initial=_initial_from(quote, rfq))
    context = {"rfq": rfq, "quote": quote, "form": form, "revising": revising}
    return render(request, "buyers/quotes/supplier_quote.html", context, status=status)


@supplier_required
@require_POST
def supplier_quote_withdraw(request: HttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    rfq = _visible_rfq(supplier, pk)
    quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
    if quote is None:
        raise Http404(_("No such quote."))
    try:
        quote_withdraw(quote_id=quote.pk, supplier=supplier, actor=request.user)
        messages.success(request, _("Your quote is withdrawn."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("buyers:supplier_quote", pk=rfq.pk)


def _viewer_currency(request: HttpRequest) -> str:
    wanted = (request.GET.get("currency") or "").upper()
    if wanted and Currency.objects.filter(code=wanted, is_active=True).exists():
        return wanted
    return request.user.preferred_currency_id or "USD"


@company_required
@require_safe
def rfq_quotes(request: HttpRequest, company: Company, pk: int) -> HttpResponse:
    """The comparison: every quote side by side in the buyer's currency, and the award form."""
    rfq = rfq_of_buyer(company=company, pk=pk)
    if rfq is None:
        raise Http404(_("No such sourcing request."))
    quotes = list(quotes_for_buyer(company=company, rfq_id=rfq.pk))
    currency = _viewer_currency(request)
    today: date = timezone.localdate()
    comparison = compare_quotes(rfq=rfq, quotes=quotes, currency=currency, on=today)
    sort = request.GET.get("sort", "landed_unit")
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    rows = sort_rows(comparison.rows, column, descending=descending)
    proposal = propose_allocation(comparison) if rfq.allow_split else {}
    context = {
        "rfq": rfq,
        "comparison": comparison,
        "rows": rows,
        "active_rows": [row for row in rows if row.quote.is_active],
        "sort": sort,
        "columns": list(COLUMNS),
        "currency": currency,
        "currencies": Currency.objects.filter(is_active=True).order_by("code"),
        "proposal": proposal,
        "proposal_total": allocation_total(comparison, proposal) if proposal else None,
        "proposal_quantity": sum(proposal.values()),
        "may_award": rfq.status in {SourcingRequest.Status.OPEN, SourcingRequest.Status.CLOSED}
        and any(row.quote.is_active for row in rows),
        "zero": Decimal("0"),
    }
    return render(request, "buyers/quotes/compare.html", context)


def _attachment_response(attachment: QuoteAttachment | None) -> FileResponse:
    if attachment is None:
        raise Http404(_("No such attachment."))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file of this attachment is missing.")) from error
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@supplier_required
@require_safe
def supplier_quote_attachment(
    request: HttpRequest, supplier: SupplierProfile, pk: int, attachment_pk: int
) -> FileResponse:
    """The supplier downloads a file of its own quote."""
    quote = quote_of_supplier(supplier=supplier, rfq_id=pk)
    return _attachment_response(quote.attachments.filter(pk=attachment_pk).first() if quote else None)


@company_required
@require_safe
def rfq_quote_attachment(request: HttpRequest, company: Company, pk: int, attachment_pk: int) -> FileResponse:
    """The buyer downloads a file attached to a quote on one of its RFQs."""
    attachment = QuoteAttachment.objects.filter(
        pk=attachment_pk, quote__in=quotes_for_buyer(company=company, rfq_id=pk)
    ).first()
    return _attachment_response(attachment)
