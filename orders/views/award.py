"""The award (a POST from the buyer's comparison page) and the sourcing view that follows the
resulting orders."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buyers.selectors.quotes import quotes_for_buyer
from marketplace.errors import DomainError
from marketplace.models import Company
from marketplace.tenancy import company_required
from orders.selectors.sourcing import sourcing_of_rfq
from orders.services.award import rfq_award


def _allocations(request: HttpRequest) -> dict[int, int] | str:
    """The quantities per quote from the form, or a message saying what is wrong with them."""
    if request.POST.get("mode") == "single":
        quote = (request.POST.get("quote") or "").strip()
        if not quote.isdigit():
            return _("Choose the quote to award.")
        return {int(quote): 0}
    allocations: dict[int, int] = {}
    for key, value in request.POST.items():
        if not key.startswith("qty_") or not value.strip():
            continue
        quote_id, text = key.removeprefix("qty_"), value.strip().replace(",", "")
        if not quote_id.isdigit() or not text.isdigit():
            return _("Award quantities must be whole numbers.")
        if int(text) > 0:
            allocations[int(quote_id)] = int(text)
    return allocations


@company_required
@require_POST
def rfq_award_view(request: HttpRequest, company: Company, pk: int) -> HttpResponse:
    allocations = _allocations(request)
    if isinstance(allocations, str):
        messages.error(request, allocations)
        return redirect("buyers:rfq_quotes", pk=pk)
    if request.POST.get("mode") == "single" and allocations:
        # A single award takes the whole quantity the quote offered.
        quote = quotes_for_buyer(company=company, rfq_id=pk).filter(pk=next(iter(allocations))).first()
        if quote is None:
            raise Http404(_("No such quote."))
        allocations = {quote.pk: quote.quantity}
    try:
        orders = rfq_award(
            rfq_id=pk,
            buyer=company,
            actor=request.user,
            allocations=allocations,
            require_full_cover=request.POST.get("full_cover") == "1",
        )
    except DomainError as error:
        if error.status_code == 404:
            raise Http404(error.message) from error
        messages.error(request, error.message)
        return redirect("buyers:rfq_quotes", pk=pk)
    messages.success(
        request,
        _("Awarded: %(count)s order(s) placed. Follow them here.") % {"count": len(orders)},
    )
    return redirect("orders:rfq_sourcing", pk=pk)


@company_required
@require_safe
def rfq_sourcing(request: HttpRequest, company: Company, pk: int) -> HttpResponse:
    sourcing = sourcing_of_rfq(company=company, rfq_id=pk)
    if sourcing is None:
        raise Http404(_("No such sourcing request."))
    return render(request, "orders/sourcing/rfq.html", {"sourcing": sourcing, "rfq": sourcing.rfq})
