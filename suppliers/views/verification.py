"""Pages of supplier verification (namespace "verification", mounted at /verification/).

The supplier's side: `status` — its badge, its documents with their review and expiry, the
history, and a form to submit a document. Staff's side: the review `queue`, one document's
`review` page with its file, and the approve / reject actions. Staff pages answer 404 to anybody
else signed in (they do not exist for them) and send anonymous visitors to log in; a supplier only
ever sees its own documents.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.forms.kernel import DEFAULT_PAGE_SIZE
from marketplace.middleware import returns_to
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.tenancy import AuthenticatedHttpRequest, staff_required
from suppliers.forms.verification import DocumentForm, QueueFilterForm, RejectForm
from suppliers.models import Certification, SupplierProfile
from suppliers.selectors.verification import (
    verification_document_for_staff,
    verification_documents_of,
    verification_events_of,
    verification_queue,
)
from suppliers.services.verification import certification_approve, certification_reject, certification_submit
from suppliers.views.access import supplier_required

# --- The supplier's side --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@supplier_required
def status(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """The supplier's verification: badge, documents, history, and the form to submit a document."""
    form = DocumentForm(request.POST, request.FILES) if request.method == "POST" else DocumentForm()
    if form.is_bound and form.is_valid():
        try:
            certification_submit(supplier=supplier, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your document is submitted. Our staff will review it."))
            return redirect("verification:status")
    context = {
        "profile": supplier,
        "documents": list(verification_documents_of(supplier=supplier)),
        "events": list(verification_events_of(supplier=supplier)[:100]),
        "form": form,
    }
    return render(request, "suppliers/verification/status.html", context, status=400 if form.errors else 200)


# --- Staff's side ---------------------------------------------------------------------------------


@require_GET
@staff_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Pending documents, oldest first, filtered by kind and belt, a page at a time."""
    filters = QueueFilterForm(request.GET)
    filters.is_valid()
    for errors in filters.errors.values():
        for error in errors:
            messages.warning(request, str(error))
    kind = filters.cleaned_data.get("kind") or ""
    belt = filters.cleaned_data.get("belt")
    page_size = filters.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE
    paginator = Paginator(verification_queue(user=request.user, kind=kind, belt=belt), page_size)
    page_number = filters.cleaned_data.get("page") or 1
    if page_number > paginator.num_pages:
        messages.warning(request, _("There is no page %(page)s; showing the first page.") % {"page": page_number})
        page_number = 1
    page = paginator.page(page_number)
    query = {"kind": kind, "belt": belt.pk if belt else "", "page_size": page_size}
    filter_query = urlencode(
        {key: value for key, value in query.items() if value and (key != "page_size" or value != DEFAULT_PAGE_SIZE)}
    )
    context = {"filters": filters, "page_obj": page, "documents": page.object_list, "filter_query": filter_query}
    return render(request, "suppliers/verification/queue.html", context)


def _document_for_staff(request: AuthenticatedHttpRequest, pk: int) -> Certification:
    return verification_document_for_staff(user=request.user, pk=pk)


def _review_page(
    request: HttpRequest, document: Certification, *, reject_form: RejectForm | None = None, status: int = 200
) -> HttpResponse:
    supplier = document.supplier
    context = {
        "document": document,
        "profile": supplier,
        "others": [other for other in verification_documents_of(supplier=supplier) if other.pk != document.pk],
        "events": list(verification_events_of(supplier=supplier)[:100]),
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "suppliers/verification/review.html", context, status=status)


@require_GET
@staff_required
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One document for review: its facts and file, the supplier's other documents and its history."""
    return _review_page(request, _document_for_staff(request, pk))


@require_GET
@staff_required
def document_file(request: AuthenticatedHttpRequest, pk: int) -> PrivateFileResponse:
    """A document's file, for staff (the supplier downloads its own from its certification page)."""
    document = _document_for_staff(request, pk)
    if not document.file:
        raise Http404(_("This document has no file."))
    return private_file_response(
        document.file,
        name=os.path.basename(document.file.name or ""),
        missing=_("The file of this document is missing."),
    )


@returns_to("verification:review", "pk")
@require_POST
@staff_required
def approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document_for_staff(request, pk)
    certification_approve(certification=document, actor=request.user)
    messages.success(request, _("“%(name)s” is approved.") % {"name": document.name})
    return redirect("verification:queue")


@returns_to("verification:review", "pk")
@require_POST
@staff_required
def reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document_for_staff(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            certification_reject(certification=document, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if not error.field:
                raise  # a refusal of the document, not of the reason: the middleware answers it
            form.add_domain_error(error)
        else:
            messages.success(request, _("“%(name)s” is rejected; the supplier is told why.") % {"name": document.name})
            return redirect("verification:queue")
    return _review_page(request, document, reject_form=form, status=400)
