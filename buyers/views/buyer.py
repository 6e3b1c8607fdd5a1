"""The buyer's RFQ pages: the list, the form (new, edit, "Request a quote"), one RFQ with its
history and matched suppliers, and the lifecycle buttons (publish, close, cancel).

Every company can buy: the pages are for any signed-in member of a company, acting for it. Staff
without a company are sent to the company page; another company's RFQ answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buyers.forms.rfqs import ReasonForm, RfqFilterForm, RfqForm
from buyers.matching.reasons import render_reasons
from buyers.models import Match, SourcingRequest
from buyers.rfq_rules import public_product_by_id
from buyers.selectors.rfqs import matches_of_rfq_for_buyer, rfq_of_buyer, rfqs_of_buyer
from buyers.services.posting import rfq_attachment_remove, rfq_create, rfq_publish, rfq_update
from buyers.services.rfqs import TRANSITIONS, rfq_cancel, rfq_close
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.formatting import unit_price_text
from marketplace.input_values import id_value
from marketplace.middleware import returns_to
from marketplace.models import Company
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.tenancy import AuthenticatedHttpRequest, company_required
from suppliers.models import Product, SupplierProfile
from suppliers.selectors.profiles import supplier_public_profile, suppliers_named

Status = SourcingRequest.Status
PICKER_SIZE = 10  # suppliers the invitation picker lists for one search


def _own_rfq(company: Company, pk: int) -> SourcingRequest:
    return rfq_of_buyer(company=company, pk=pk)


def _detail(rfq: SourcingRequest) -> HttpResponse:
    return redirect("buyers:rfq_detail", pk=rfq.pk)


# --- The list ----------------------------------------------------------------------------------


@require_safe
@company_required
def rfq_list(request: AuthenticatedHttpRequest, company: Company) -> HttpResponse:
    """The company's RFQs with status, suppliers notified, quotes received and time left."""
    filters = RfqFilterForm(request.GET)
    rfqs = rfqs_of_buyer(company=company)
    status = filters.status_value()
    if status:
        rfqs = rfqs.filter(status=status)
    page = Paginator(rfqs, filters.rows_per_page()).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "buyers/rfq_list.html",
        {"filters": filters, "page": page, "rfqs": page.object_list, "query": query.urlencode()},
    )


# --- The form ----------------------------------------------------------------------------------


def _id_or_none(key: str) -> int | None:
    try:
        return id_value(key, label="")  # (the refusal is the page's own sentence, below)
    except ValueError:
        return None


def _prefill_from(request: HttpRequest, company: Company) -> tuple[dict[str, Any], SupplierProfile | None, str]:
    """Starting values of "Request a quote" (?product= or ?supplier=): a private request to that
    supplier, prefilled from the product. Returns the values, the supplier, and a refusal."""
    product_key, supplier_key = request.GET.get("product", ""), request.GET.get("supplier", "")
    product: Product | None = None
    supplier: SupplierProfile | None = None
    # A key that is not plainly an id (?product=², ?product=１) names nothing: the page says that the
    # product or supplier is not offered and shows the empty form.
    product_id, supplier_id = _id_or_none(product_key), _id_or_none(supplier_key)
    if product_id is not None:
        product = public_product_by_id(product_id)
        supplier = product.supplier if product is not None else None
    elif supplier_id is not None:
        try:
            supplier = supplier_public_profile(pk=supplier_id)
        except NotFound:
            supplier = None  # not offered any more: the page says so, below, and shows the empty form
    if supplier is None:
        if product_key or supplier_key:
            return {}, None, _("That product or supplier is not offered any more: describe what you need below.")
        return {}, None, ""
    if supplier.company_id == company.pk:
        return {}, None, _("This is your own company: you cannot request a quote from yourself.")
    values: dict[str, Any] = {"visibility": SourcingRequest.Visibility.PRIVATE, "invited_suppliers": str(supplier.pk)}
    if product is not None:
        values.update(
            title=product.title,
            category=str(product.category_id),
            unit=product.unit,
            quantity=product.moq,
            source_product=product.pk,
        )
    else:
        first_category = supplier.main_categories.order_by("path").first()
        if first_category is not None:
            values["category"] = str(first_category.pk)
    return values, supplier, ""


def _rfq_form_page(
    request: AuthenticatedHttpRequest, company: Company, *, rfq: SourcingRequest | None = None
) -> HttpResponse:
    template = "buyers/rfq_form.html"
    context: dict[str, Any] = {"rfq": rfq}
    if request.method != "POST":
        initial = RfqForm.initial_for_new(buyer=company, currency=request.user.preferred_currency_id)
        if rfq is None:
            prefill, supplier, refusal = _prefill_from(request, company)
            if refusal:
                messages.error(request, refusal)
            initial.update(prefill)
            context["quote_supplier"] = supplier
        context["form"] = RfqForm(buyer=company, rfq=rfq, initial=initial if rfq is None else None)
        return render(request, template, context)
    # A form too large to read was refused before this view (marketplace/request_checks.py).
    publish = request.POST.get("action") == "publish"
    publishing = publish or (rfq is not None and rfq.status == Status.OPEN)
    form = RfqForm(request.POST, request.FILES, buyer=company, rfq=rfq, publishing=publishing)
    if form.is_valid():
        assert form.rfq_data is not None  # a valid form holds its RfqData
        try:
            if rfq is None:
                saved = rfq_create(
                    buyer=company,
                    actor=request.user,
                    data=form.rfq_data,
                    attachments=form.cleaned_data["attachments"],
                    publish=publish,
                )
            else:
                saved = rfq_update(
                    rfq_id=rfq.pk,
                    buyer=company,
                    actor=request.user,
                    data=form.rfq_data,
                    new_attachments=form.cleaned_data["attachments"],
                    removed_attachment_ids=form.removed_attachment_ids(),
                    publish=publish,
                )
        except (InvalidInput, Conflict) as error:  # shown in the form, with what was typed
            form.add_domain_error(error)
        else:
            if publish:
                messages.success(
                    request, _("%(reference)s is published: matching suppliers are told now.") % _names(saved)
                )
            else:
                messages.success(request, _("%(reference)s is saved.") % _names(saved))
            return _detail(saved)
    context["form"] = form
    return render(request, template, context, status=400)


def _names(rfq: SourcingRequest) -> dict[str, str]:
    return {"reference": rfq.reference, "title": rfq.title}


@company_required
def rfq_create_page(request: AuthenticatedHttpRequest, company: Company) -> HttpResponse:
    """A new RFQ; with ?product= or ?supplier=, a private one to that supplier ("Request a quote")."""
    return _rfq_form_page(request, company)


@company_required
def rfq_edit(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """Change an RFQ until the first quote arrives."""
    rfq = _own_rfq(company, pk)
    if not rfq.is_editable:
        messages.error(request, _("This request can no longer be changed."))
        return _detail(rfq)
    return _rfq_form_page(request, company, rfq=rfq)


@require_safe
@company_required
def supplier_picker(request: AuthenticatedHttpRequest, company: Company) -> HttpResponse:
    """The RFQ form's supplier picker (htmx swaps it in): at most PICKER_SIZE listed suppliers whose
    English or Chinese name matches ?q=, each with a button that adds its number to the invited
    field. Never the buyer's own company; an empty or unusable ?q= lists nothing."""
    query = request.GET.get("q", "")
    suppliers = suppliers_named(query=query, excluding=company, limit=PICKER_SIZE)
    return render(
        request, "buyers/_supplier_picker.html", {"suppliers": suppliers, "query": " ".join(query.split())[:100]}
    )


# --- One RFQ -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRow:
    match: Match
    reasons: list[str]


@require_safe
@company_required
def rfq_detail(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """Every fact of the RFQ, its attachments, its history and the suppliers matched, best first."""
    rfq = _own_rfq(company, pk)
    matches = [
        MatchRow(match=match, reasons=render_reasons(match.reasons))
        for match in matches_of_rfq_for_buyer(company=company, rfq_id=rfq.pk)
    ]
    allowed = TRANSITIONS[rfq.status]
    return render(
        request,
        "buyers/rfq_detail.html",
        {
            "rfq": rfq,
            "target_price": unit_price_text(rfq.target_unit_price, rfq.currency_id),
            "attachments": list(rfq.attachments.all()),
            "events": list(rfq.events.select_related("actor", "round")),
            "matches": matches,
            "can_publish": Status.OPEN in allowed,
            "can_close": Status.CLOSED in allowed and rfq.status == Status.OPEN,
            "can_cancel": Status.CANCELLED in allowed,
            "reason_form": ReasonForm(),
        },
    )


@require_safe
@company_required
def rfq_attachment(
    request: AuthenticatedHttpRequest, company: Company, pk: int, attachment_pk: int
) -> PrivateFileResponse:
    """Download an attachment of one of the company's RFQs."""
    rfq = _own_rfq(company, pk)
    attachment = rfq.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404(_("No such attachment on this request."))
    return private_file_response(
        attachment.file, name=attachment.original_name, missing=_("The file of this attachment is missing.")
    )


# --- Lifecycle buttons -------------------------------------------------------------------------


def _reason(request: HttpRequest) -> tuple[str, str]:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return "", " ".join(str(error) for errors in form.errors.values() for error in errors)
    return form.cleaned_data["reason"].strip(), ""


def _transition(request: HttpRequest, company: Company, pk: int, change: Callable[..., Any], done: str) -> HttpResponse:
    """Run one lifecycle change; a refusal goes back to the RFQ's page with its message (the
    middleware), but a deadline that has passed is changed on the form, so the message goes there."""
    rfq = _own_rfq(company, pk)
    try:
        change(rfq)
    except InvalidInput as error:
        if error.field != "quote_deadline" or not rfq.is_editable:
            raise
        messages.error(request, error.message)
        return redirect("buyers:rfq_edit", pk=rfq.pk)
    messages.success(request, done % _names(rfq))
    return _detail(rfq)


@returns_to("buyers:rfq_detail", "pk")
@require_POST
@company_required
def rfq_publish_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _transition(
        request,
        company,
        pk,
        lambda rfq: rfq_publish(rfq_id=rfq.pk, buyer=company, actor=request.user),
        _("%(reference)s is published: matching suppliers are told now."),
    )


@returns_to("buyers:rfq_detail", "pk")
@require_POST
@company_required
def rfq_close_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    reason, problem = _reason(request)
    if problem:
        messages.error(request, problem)
        return _detail(_own_rfq(company, pk))
    return _transition(
        request,
        company,
        pk,
        lambda rfq: rfq_close(rfq_id=rfq.pk, buyer=company, actor=request.user, reason=reason),
        _("%(reference)s is closed: no more quotes come in."),
    )


@returns_to("buyers:rfq_detail", "pk")
@require_POST
@company_required
def rfq_cancel_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    reason, problem = _reason(request)
    if problem:
        messages.error(request, problem)
        return _detail(_own_rfq(company, pk))
    return _transition(
        request,
        company,
        pk,
        lambda rfq: rfq_cancel(rfq_id=rfq.pk, buyer=company, actor=request.user, reason=reason),
        _("%(reference)s is cancelled."),
    )


@returns_to("buyers:rfq_detail", "pk")
@require_POST
@company_required
def rfq_attachment_delete(
    request: AuthenticatedHttpRequest, company: Company, pk: int, attachment_pk: int
) -> HttpResponse:
    rfq = _own_rfq(company, pk)
    rfq_attachment_remove(rfq_id=rfq.pk, attachment_id=attachment_pk, buyer=company, actor=request.user)
    messages.success(request, _("The attachment is removed."))
    return redirect(reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk}) + "#attachments")
