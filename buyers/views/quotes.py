"""Quote pages: the supplier quotes, revises or withdraws; the buyer compares the quotes of its
RFQ in its own currency, sorts them, and awards (the award itself is orders' service)."""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buyers.allocation import Constraints, Plan
from buyers.allocation.reasons import conflict_text, reason_text
from buyers.comparison import COLUMNS, Comparison, compare_quotes, propose_plan, sort_rows
from buyers.forms.quotes import QuoteForm
from buyers.models import Quote, QuoteAttachment, SourcingRequest
from buyers.plan_rules import PLAN_FIELDS, PlanInputInvalid, plan_constraints_from
from buyers.quote_history import quote_history
from buyers.quote_rules import QuoteTermsInvalid, quote_terms_from
from buyers.selectors.quotes import quote_of_supplier, quotes_for_buyer, rounds_for_buyer, rounds_for_supplier
from buyers.selectors.rfqs import rfq_for_supplier, rfq_of_buyer
from buyers.services.quotes import open_round_of, quote_revise, quote_submit, quote_withdraw
from buyers.services.rounds import round_end, round_open
from marketplace.errors import DomainError, NotFound
from marketplace.formatting import moment_text
from marketplace.input_values import datetime_value, id_value
from marketplace.middleware import returns_to
from marketplace.models import Company
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.selectors.money import offered_currencies, offered_currency_codes
from marketplace.services.translation_requests import translations_read
from marketplace.tenancy import AuthenticatedHttpRequest, company_required
from suppliers.models import SupplierProfile
from suppliers.views.access import supplier_required


def _initial_from(quote: Quote | None, rfq: SourcingRequest, *, own_currency: str | None) -> dict[str, object]:
    if quote is None:
        # The RFQ's currency, unless it is no longer offered: then the supplier's own, not whichever comes first.
        currency = rfq.currency_id if rfq.currency_id in offered_currency_codes() else own_currency
        return {"quantity": rfq.quantity, "incoterm": rfq.incoterm, "currency": currency}
    return {
        "unit_price": quote.unit_price.normalize(),
        "tiers": "; ".join(f"{quantity}:{price}" for quantity, price in quote.tiers),
        "currency": quote.currency_id,
        "quantity": quote.quantity,
        "min_order_quantity": quote.min_order_quantity,
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until.isoformat(),
        "incoterm": quote.incoterm,
        "port": quote.port,
        "freight": quote.freight,
        "freight_basis": quote.freight_basis,
        "sample_available": quote.sample_available,
        "sample_price": quote.sample_price,
        "sample_days": quote.sample_days,
        "notes": quote.notes,
    }


@supplier_required
@require_http_methods(["GET", "HEAD", "POST"])
def supplier_quote(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """Submit a quote, or revise the active one (a new version)."""
    rfq = rfq_for_supplier(supplier=supplier, pk=pk)
    quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
    revising = quote is not None and quote.is_active
    # A revision may stay in its quote's currency, offered or not any more.
    kept_currency = quote.currency_id if revising and quote is not None else None
    status = 200
    if request.method == "POST":
        form = QuoteForm(request.POST, request.FILES, kept_currency=kept_currency)
        data: dict[str, Any] = {name: request.POST.get(name) for name in form.fields}
        data["sample_available"] = "sample_available" in request.POST
        files = request.FILES.getlist("attachments")
        try:
            terms = quote_terms_from(data, rfq=rfq, kept_currency=kept_currency)
            if revising and quote is not None:
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
        form = QuoteForm(
            initial=_initial_from(quote, rfq, own_currency=request.user.preferred_currency_id),
            kept_currency=kept_currency,
        )
    now = timezone.now()
    current = open_round_of(rfq, now=now)
    named = current is not None and quote is not None and current.quotes.filter(pk=quote.pk).exists()
    rounds = list(rounds_for_supplier(supplier=supplier, rfq_id=rfq.pk))
    context = {
        "rfq": rfq,
        "quote": quote,
        "form": form,
        "revising": revising,
        "history": quote_history(quote.versions.all()) if quote else [],
        "rounds": rounds,
        # The RFQ's title and what the buyer asks in its rounds, in the supplier's language.
        "translations": translations_read(texts=[rfq.title, *(negotiation.message for negotiation in rounds)]),
        "open_round": current if named else None,
        # Bids are final at the deadline; after it only a round that names the quote reopens it.
        "may_quote": (rfq.is_open and now < rfq.quote_deadline) or (revising and named),
        "may_withdraw": revising and rfq.is_open and now < rfq.quote_deadline,
    }
    return render(request, "buyers/quotes/supplier_quote.html", context, status=status)


@returns_to("buyers:supplier_quote", "pk")
@supplier_required
@require_POST
def supplier_quote_withdraw(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    rfq = rfq_for_supplier(supplier=supplier, pk=pk)
    quote = quote_of_supplier(supplier=supplier, rfq_id=rfq.pk)
    if quote is None:
        raise NotFound(_("No such quote."))
    quote_withdraw(quote_id=quote.pk, supplier=supplier, actor=request.user)
    messages.success(request, _("Your quote is withdrawn."))
    return redirect("buyers:supplier_quote", pk=rfq.pk)


def _viewer_currency(request: AuthenticatedHttpRequest) -> str:
    wanted = (request.GET.get("currency") or request.POST.get("currency") or "").strip().upper()[:3]
    if wanted and wanted in offered_currency_codes(on=timezone.localdate()):
        return wanted
    return request.user.preferred_currency_id or "USD"


def _typed_quantities(request: HttpRequest) -> dict[int, str]:
    """Quantities the buyer typed before going back from the confirmation (`qty_<quote id>`)."""
    typed: dict[int, str] = {}
    for key in request.GET:
        if not key.startswith("qty_"):
            continue
        value = request.GET.get(key, "")
        with suppress(ValueError):
            typed[id_value(key.removeprefix("qty_"), label="")] = value[:20]
    return typed


def _plan_figures(comparison: Comparison, plan: Plan | None, constraints: Constraints | None) -> dict[str, object]:
    if plan is None or constraints is None:
        return {}
    return {
        "greedy_fits": comparison.greedy_fits,
        "single_fits": comparison.single_fits,
        "plan_quantity": sum(plan.lines.values()),
        "plan_gap": f"{(plan.gap or 0) * 100:.1f}",
        "plan_saving_single": plan.saving_vs_single,
        "plan_saving_greedy": plan.saving_vs_greedy,
        "plan_conflicts": [conflict_text(code, constraints) for code in plan.conflicts],
    }


@company_required
@require_safe
def rfq_quotes(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """The comparison: every quote side by side in the buyer's currency with its tiers, the
    optimal split under the buyer's constraints, negotiation rounds, and the award form."""
    rfq = rfq_of_buyer(company=company, pk=pk)
    quotes = list(quotes_for_buyer(company=company, rfq_id=rfq.pk))
    currency = _viewer_currency(request)
    now = timezone.now()
    comparison = compare_quotes(rfq=rfq, quotes=quotes, currency=currency, on=timezone.localdate())
    sort = request.GET.get("sort", "landed_unit")
    rows = sort_rows(comparison.rows, sort.lstrip("-"), descending=sort.startswith("-"))
    plan = constraints = None
    plan_errors: dict[str, list[str]] = {}
    may_award = rfq.status in {SourcingRequest.Status.OPEN, SourcingRequest.Status.CLOSED} and any(
        row.quote.is_active for row in rows
    )
    if may_award:
        try:
            constraints = plan_constraints_from(request.GET, rfq=rfq, quotes=quotes, target_places=comparison.places)
            plan = propose_plan(comparison, constraints)
        except PlanInputInvalid as invalid:
            plan_errors = invalid.errors
    typed = _typed_quantities(request)
    for row in rows:
        row.history = quote_history(row.quote.versions.all())
        row.award_value = typed.get(row.quote.pk, row.planned_quantity or "")
        row.reason_text = reason_text(row.reason, currency=currency) if plan and row.reason else ""
    rounds = list(rounds_for_buyer(company=company, rfq_id=rfq.pk))
    current_round = next((r for r in rounds if r.is_open_at(now)), None)
    context = {
        "rfq": rfq,
        # What the suppliers wrote (notes, port), in the buyer's language.
        "translations": translations_read(texts=[text for quote in quotes for text in (quote.notes, quote.port)]),
        "comparison": comparison,
        "rows": rows,
        "sort": sort,
        "columns": list(COLUMNS),
        "currency": currency,
        "currencies": offered_currencies(on=timezone.localdate()),
        "plan": plan,
        "plan_errors": plan_errors,
        **_plan_figures(comparison, plan, constraints),
        "plan_input": {
            name: request.GET.getlist(name) if name in {"exclude", "require"} else request.GET.get(name, "")
            for name in PLAN_FIELDS
        },
        "may_award": may_award,
        "rounds": rounds,
        "current_round": current_round,
        "may_open_round": may_award
        and current_round is None
        and (rfq.status == SourcingRequest.Status.CLOSED or rfq.quote_deadline <= now),
        "round_deadline_default": timezone.localtime(now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "zero": Decimal("0"),
    }
    return render(request, "buyers/quotes/compare.html", context)


@returns_to("buyers:rfq_quotes", "pk")
@company_required
@require_POST
def rfq_round_open(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """The buyer opens a negotiation round for the quotes it ticked (all when none is ticked)."""
    rfq_of_buyer(company=company, pk=pk)  # NotFound for another company's, before judging the input
    try:
        quote_ids = [id_value(raw, label=_("A quote")) for raw in request.POST.getlist("round_quote")]
        deadline = datetime_value(request.POST.get("deadline"), label=_("The round deadline"))
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("buyers:rfq_quotes", pk=pk)
    negotiation = round_open(
        rfq_id=pk,
        buyer=company,
        actor=request.user,
        deadline=deadline,
        quote_ids=quote_ids,
        message=request.POST.get("message", ""),
    )
    messages.success(
        request,
        _("Negotiation round %(number)s is open: the suppliers you asked may revise until %(deadline)s.")
        % {
            "number": negotiation.number,
            "deadline": moment_text(negotiation.deadline),
        },
    )
    return redirect("buyers:rfq_quotes", pk=pk)


@returns_to("buyers:rfq_quotes", "pk")
@company_required
@require_POST
def rfq_round_end(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    negotiation = round_end(rfq_id=pk, buyer=company, actor=request.user)
    messages.success(
        request, _("Negotiation round %(number)s has ended; the quotes are final.") % {"number": negotiation.number}
    )
    return redirect("buyers:rfq_quotes", pk=pk)


def _attachment_response(attachment: QuoteAttachment | None) -> PrivateFileResponse:
    if attachment is None:
        raise Http404(_("No such attachment."))
    return private_file_response(
        attachment.file, name=attachment.original_name, missing=_("The file of this attachment is missing.")
    )


@supplier_required
@require_safe
def supplier_quote_attachment(
    request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int, attachment_pk: int
) -> PrivateFileResponse:
    """The supplier downloads a file of its own quote."""
    quote = quote_of_supplier(supplier=supplier, rfq_id=pk)
    return _attachment_response(quote.attachments.filter(pk=attachment_pk).first() if quote else None)


@company_required
@require_safe
def rfq_quote_attachment(
    request: AuthenticatedHttpRequest, company: Company, pk: int, attachment_pk: int
) -> PrivateFileResponse:
    """The buyer downloads a file attached to a quote on one of its RFQs."""
    attachment = QuoteAttachment.objects.filter(
        pk=attachment_pk, quote__in=quotes_for_buyer(company=company, rfq_id=pk)
    ).first()
    return _attachment_response(attachment)
