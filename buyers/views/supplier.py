"""The supplier's side of RFQs: its inbox, the board of open public RFQs, one RFQ, declining it,
and the RFQ's attachments.

Every page acts for the acting company's own supplier profile (`supplier_required`). An RFQ the
supplier may not see (a draft, another buyer's private RFQ, one outside its categories, its own
company's) answers 404. The buyer's identity stays hidden: the supplier sees its country only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from buyers.matching.reasons import render_reasons
from buyers.models import Match, SourcingRequest
from buyers.selectors.rfqs import inbox_of_supplier, rfq_attachment_for_supplier, rfq_board_for_supplier
from buyers.services.responses import MAX_DECLINE_REASON, match_decline, match_open
from marketplace.errors import InvalidInput
from marketplace.formatting import unit_price_text
from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import WholeNumberField
from marketplace.middleware import returns_to
from marketplace.models import Category
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.selectors.kernel import category_choices
from marketplace.selectors.money import unit_price_in
from marketplace.selectors.translations import translations_for
from marketplace.services.translation_requests import translations_request_missing
from marketplace.tenancy import AuthenticatedHttpRequest
from suppliers.models import SupplierProfile
from suppliers.views.access import supplier_required

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

# --- Forms ------------------------------------------------------------------------------------------


class _ListFilterForm(forms.Form):
    """Filters of a list page; a bad value is ignored (the list shows unfiltered), never an error page."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    page_size = WholeNumberField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)  # for the type checker
        category.choices = [("", _("All categories")), *category_choices()]

    def valid(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def chosen_category(self) -> Category | None:
        slug = self.valid().get("category")
        return Category.objects.filter(slug=slug).first() if slug else None

    def rows_per_page(self) -> int:
        return max(1, min(MAX_PAGE_SIZE, self.valid().get("page_size") or PAGE_SIZE))


class InboxFilterForm(_ListFilterForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Request status"),
        required=False,
        choices=[
            ("", gettext_lazy("Any status")),
            *[(value, label) for value, label in SourcingRequest.Status.choices if value != "draft"],
        ],
    )
    answer = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Match.Status.choices],
    )

    field_order = ["category", "status", "answer", "page_size"]


class DeclineForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you decline?"),
        max_length=MAX_DECLINE_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: the quantity is beyond our capacity, or the date is too early."),
        error_messages={"required": gettext_lazy("Say why you decline: it helps the buyer and our matching.")},
    )


# --- Pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    match: Match
    rfq: SourcingRequest
    reasons: list[str]


def _page(request: HttpRequest, rows: Any, size: int) -> tuple[Page, str]:
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@supplier_required
@require_safe
def supplier_inbox(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """The supplier's matched and invited RFQs, newest and best-matched first, with the reasons."""
    filters = InboxFilterForm(request.GET)
    values = filters.valid()
    matches = inbox_of_supplier(
        supplier=supplier,
        category=filters.chosen_category(),
        rfq_status=values.get("status") or None,
        match_status=values.get("answer") or None,
    )
    page, query = _page(request, matches, filters.rows_per_page())
    rows = [InboxRow(match=match, rfq=match.rfq, reasons=render_reasons(match.reasons)) for match in page.object_list]
    translations = translations_for(texts=[row.rfq.title for row in rows])
    translations_request_missing(translations)
    return render(
        request,
        "buyers/supplier/inbox.html",
        {
            "supplier": supplier,
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query,
            "translations": translations,
        },
    )


@supplier_required
@require_safe
def supplier_board(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """Open public RFQs in the supplier's categories, newest first; those in its inbox marked."""
    filters = _ListFilterForm(request.GET)
    page, query = _page(
        request, rfq_board_for_supplier(supplier=supplier, category=filters.chosen_category()), filters.rows_per_page()
    )
    return render(
        request,
        "buyers/supplier/board.html",
        {"supplier": supplier, "filters": filters, "page": page, "rfqs": page.object_list, "query": query},
    )


def _detail_page(request: HttpRequest, match: Match, form: DeclineForm, *, status: int = 200) -> HttpResponse:
    rfq = match.rfq
    translations = translations_for(texts=[rfq.title, rfq.description])
    translations_request_missing(translations)
    reader_currency = getattr(request.user, "preferred_currency_id", None)
    converted = unit_price_in(
        amount=rfq.target_unit_price,
        source=rfq.currency_id,  # type: ignore[arg-type]  # a required foreign key
        target=reader_currency,
        on=timezone.localdate(),
    )
    return render(
        request,
        "buyers/supplier/detail.html",
        {
            "translations": translations,
            "match": match,
            "rfq": rfq,
            "reasons": render_reasons(match.reasons),
            "target_price": unit_price_text(rfq.target_unit_price, rfq.currency_id),
            "target_converted": converted,
            "target_converted_price": unit_price_text(converted.amount, converted.currency) if converted else "",
            "reader_currency": reader_currency,
            "attachments": list(rfq.attachments.all()),
            "form": form,
            "may_decline": rfq.is_open and match.status in {Match.Status.NEW, Match.Status.OPENED},
        },
        status=status,
    )


@supplier_required
@require_safe
def supplier_rfq_detail(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """One RFQ with every fact the supplier needs and why it was matched. The first opening is
    recorded; an RFQ opened from the board joins the inbox."""
    match = match_open(supplier=supplier, rfq_id=pk)
    return _detail_page(request, match, DeclineForm())


@returns_to("buyers:supplier_rfq_detail", "pk")
@require_POST
@supplier_required
def supplier_rfq_decline(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """Decline the RFQ with a reason; a missing reason shows the page again with the message.
    A request that no longer takes answers goes back to its page with the message (the middleware)."""
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            match_decline(supplier=supplier, rfq_id=pk, reason=form.cleaned_data["reason"])
        except InvalidInput as error:  # about the reason: shown in the form, with what was typed
            form.add_domain_error(error)
        else:
            messages.success(request, _("You declined the request. Thank you for saying why."))
            return redirect("buyers:supplier_inbox")
    match = match_open(supplier=supplier, rfq_id=pk)
    return _detail_page(request, match, form, status=400)


@supplier_required
@require_safe
def supplier_attachment(
    request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int, attachment_pk: int
) -> PrivateFileResponse:
    """An RFQ's attachment, for a supplier that may see the RFQ; always downloaded, never shown inline."""
    attachment = rfq_attachment_for_supplier(supplier=supplier, rfq_id=pk, attachment_id=attachment_pk)
    if not attachment.file:
        raise Http404(_("No such attachment."))
    name = attachment.original_name or os.path.basename(attachment.file.name or "")
    return private_file_response(attachment.file, name=name, missing=_("The file of this attachment is missing."))
