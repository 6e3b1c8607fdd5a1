"""Message pages: the inbox of threads, one thread, its polled fragment, sending, starting a thread
about an RFQ or an order, and downloading an attachment.

For any signed-in member of a company, acting for it, whether it buys or sells. Staff without a
company are sent to the company page; a thread of two other companies answers 404.

The newest messages arrive without a reload: the thread page polls `thread_messages?after=<id>`
every few seconds (htmx), and the send form posts with htmx and appends the answer. Each
fragment also swaps in, out of band, the poller and the form's `after` field with the newest id,
so the next request asks only for what is newer. Without JavaScript the form posts and redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import Conflict, InvalidInput
from marketplace.models import Company
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.selectors.translations import Translations
from marketplace.services.translation_requests import translations_read
from marketplace.tenancy import AuthenticatedHttpRequest, company_required
from orders.forms.messages import AfterForm, InboxForm, MessageForm
from orders.models import Message, Thread
from orders.selectors.messages import (
    counterpart_name,
    latest_messages_of_thread,
    message_attachment_of_company,
    messages_of_thread,
    order_of_party,
    order_thread_of,
    rfq_thread_of,
    rfq_thread_partner,
    thread_of_company,
    threads_of_company,
)
from orders.services.messages import message_send, order_thread_start, rfq_thread_start, thread_mark_read

# How many of a thread's newest messages its page shows (the API pages through all of them).
THREAD_PAGE_MESSAGES = 200
# How often the thread page asks for new messages.
POLL_SECONDS = 5


@dataclass(frozen=True)
class ThreadView:
    """A thread as the acting company sees it."""

    thread: Thread
    counterpart: str
    as_buyer: bool
    # Whether the acting company may see who wrote (the buyer's people are named to a supplier
    # only once they do business, as on the RFQ pages).
    disclosed: bool
    subject: str
    subject_url: str


def _subject_url(thread: Thread, *, as_buyer: bool) -> str:
    if thread.order_id is not None:
        return reverse("orders:order_detail", kwargs={"pk": thread.order_id})
    if as_buyer:
        return reverse("buyers:rfq_detail", kwargs={"pk": thread.rfq_id})
    return reverse("buyers:supplier_rfq_detail", kwargs={"pk": thread.rfq_id})


def _thread_view(thread: Thread, company: Company, translations: Translations | None = None) -> ThreadView:
    as_buyer = thread.buyer_id == company.pk
    if thread.order is not None:
        subject = _("Order %(number)s") % {"number": thread.order.number}
    else:
        rfq = thread.rfq
        assert rfq is not None  # a thread is about an order or an RFQ
        title = translations.of(rfq.title).text if translations is not None else rfq.title
        subject = f"{rfq.reference} · {title}"
    return ThreadView(
        thread=thread,
        counterpart=counterpart_name(thread, company),
        as_buyer=as_buyer,
        disclosed=as_buyer or thread.order_id is not None or bool(getattr(thread, "doing_business", False)),
        subject=subject,
        subject_url=_subject_url(thread, as_buyer=as_buyer),
    )


def _message_form(request: HttpRequest) -> MessageForm:
    """The form sent (one too large to read was refused before the view: marketplace/request_checks.py)."""
    form = MessageForm(request.POST, request.FILES)
    form.is_valid()
    return form


# --- The inbox ----------------------------------------------------------------------------------


@require_GET
@company_required
def thread_list(request: AuthenticatedHttpRequest, company: Company) -> HttpResponse:
    """Every conversation of the acting company, as buyer or as supplier, newest first."""
    filters = InboxForm(request.GET)
    threads = threads_of_company(company=company, reader=request.user)
    page = Paginator(threads, filters.rows_per_page()).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    shown = list(page.object_list)
    # The newest messages and the RFQs' titles in the reader's language: one query.
    translations = translations_read(
        texts=[
            text
            for thread in shown
            for text in (getattr(thread, "last_text", ""), thread.rfq.title if thread.rfq else "")
        ]
    )
    return render(
        request,
        "orders/messages/list.html",
        {
            "page": page,
            "translations": translations,
            "rows": [_thread_view(thread, company, translations) for thread in shown],
            "query": query.urlencode(),
            "company": company,
        },
    )


# --- One thread ---------------------------------------------------------------------------------


def _thread_page(
    request: AuthenticatedHttpRequest,
    company: Company,
    thread: Thread,
    *,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    messages, earlier = latest_messages_of_thread(thread=thread, limit=THREAD_PAGE_MESSAGES)
    last_id = messages[-1].pk if messages else 0
    if form is None:
        form = MessageForm(initial={"after": last_id})
    thread_mark_read(thread=thread, user=request.user)
    # The messages and the RFQ's title in the reader's language.
    translations = translations_read(
        texts=[*(message.body for message in messages), thread.rfq.title if thread.rfq else ""]
    )
    return render(
        request,
        "orders/messages/detail.html",
        {
            "view": _thread_view(thread, company, translations),
            "thread": thread,
            "messages_shown": messages,
            "translations": translations,
            "earlier": earlier,
            "last_id": last_id,
            "form": form,
            "company": company,
            "poll_seconds": POLL_SECONDS,
        },
        status=status,
    )


@require_GET
@company_required
def thread_detail(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    thread = thread_of_company(company=company, thread_id=pk)
    return _thread_page(request, company, thread)


def _fragment(
    request: AuthenticatedHttpRequest,
    company: Company,
    thread: Thread,
    *,
    after: int | None,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The messages newer than `after`, with the poller and the form's `after` out of band."""
    new = list(messages_of_thread(thread=thread, after=after))
    last_id = new[-1].pk if new else (after or 0)
    if new:
        thread_mark_read(thread=thread, user=request.user)
    return render(
        request,
        "orders/messages/_messages.html",
        {
            "thread": thread,
            "messages_shown": new,
            "translations": translations_read(texts=[message.body for message in new]),
            "last_id": last_id,
            "company": company,
            "view": _thread_view(thread, company),
            "poll_seconds": POLL_SECONDS,
            "form": form,
            "oob": True,
        },
        status=status,
    )


@require_GET
@company_required
def thread_messages(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """The polled fragment: messages newer than `?after=<message id>`."""
    thread = thread_of_company(company=company, thread_id=pk)
    after = AfterForm(request.GET)
    if not after.is_valid():
        return HttpResponse(_("“after” must be the id of a message."), status=400, content_type="text/plain")
    return _fragment(request, company, thread, after=after.cleaned_data.get("after"))


@require_POST
@company_required
def thread_send(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """Send a message. With htmx: the new messages (the sent one last) and a fresh form; without:
    back to the thread. A refused message keeps what was typed and says why."""
    thread = thread_of_company(company=company, thread_id=pk)
    form = _message_form(request)
    after = form.cleaned_data.get("after") if hasattr(form, "cleaned_data") else None
    if not form.errors:
        try:
            message = message_send(
                thread_id=thread.pk,
                company=company,
                author=request.user,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except (InvalidInput, Conflict) as error:  # shown with the form, with what was typed
            form.add_domain_error(error)
        else:
            if request.htmx:
                return _fragment(request, company, thread, after=after, form=MessageForm())
            return redirect(reverse("orders:thread_detail", kwargs={"pk": thread.pk}) + f"#message-{message.pk}")
    if request.htmx:
        # htmx swaps only 2xx answers: the refusal comes back as the form, with its messages.
        return _fragment(request, company, thread, after=after, form=form)
    return _thread_page(request, company, thread, form=form, status=400)


# --- Starting a thread --------------------------------------------------------------------------


def _start_page(
    request: HttpRequest,
    *,
    existing: Thread | None,
    start: Callable[[MessageForm], Message],
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the existing thread, or a page to write the first message. POST: send it."""
    if request.method != "POST":
        if existing is not None:
            return redirect("orders:thread_detail", pk=existing.pk)
        return render(request, "orders/messages/start.html", {**context, "form": MessageForm()})
    form = _message_form(request)
    if not form.errors:
        try:
            message = start(form)
        except (InvalidInput, Conflict) as error:  # shown with the form, with what was typed
            form.add_domain_error(error)
        else:
            return redirect(
                reverse("orders:thread_detail", kwargs={"pk": message.thread_id}) + f"#message-{message.pk}"
            )
    return render(request, "orders/messages/start.html", {**context, "form": form}, status=400)


@require_http_methods(["GET", "POST"])
@company_required
def rfq_thread_start_page(
    request: AuthenticatedHttpRequest, company: Company, rfq_pk: int, supplier_pk: int | None = None
) -> HttpResponse:
    """Write about an RFQ: the buyer to one of its quoting or matched suppliers (`supplier_pk`),
    a supplier to the buyer of an RFQ it may see (no `supplier_pk`)."""
    rfq, supplier = rfq_thread_partner(company=company, rfq_id=rfq_pk, supplier_id=supplier_pk)
    as_buyer = supplier_pk is not None
    return _start_page(
        request,
        existing=rfq_thread_of(rfq_id=rfq.pk, supplier_id=supplier.pk),
        start=lambda form: rfq_thread_start(
            company=company,
            author=request.user,
            rfq_id=rfq.pk,
            supplier_id=supplier_pk,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data["attachment"],
        ),
        context={
            "subject": f"{rfq.reference} · {rfq.title}",
            "counterpart": supplier.display_name
            if as_buyer
            else _("The buyer (a company in %(country)s)") % {"country": rfq.buyer.country.name},
        },
    )


@require_http_methods(["GET", "POST"])
@company_required
def order_thread_start_page(request: AuthenticatedHttpRequest, company: Company, order_pk: int) -> HttpResponse:
    """Write to the other side of an order the company buys or sells."""
    order = order_of_party(company=company, order_id=order_pk)
    as_buyer = order.buyer_id == company.pk
    return _start_page(
        request,
        existing=order_thread_of(order_id=order.pk),
        start=lambda form: order_thread_start(
            company=company,
            author=request.user,
            order_id=order.pk,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data["attachment"],
        ),
        context={
            "subject": _("Order %(number)s") % {"number": order.number},
            "counterpart": order.supplier.display_name if as_buyer else order.buyer.name,
        },
    )


# --- Attachments --------------------------------------------------------------------------------


@require_GET
@company_required
def message_attachment(request: AuthenticatedHttpRequest, company: Company, pk: int) -> PrivateFileResponse:
    """A message's attachment, for the two companies of its thread; always downloaded."""
    message = message_attachment_of_company(company=company, message_id=pk)
    return private_file_response(
        message.attachment, name=message.attachment_name, missing=_("The file of this attachment is missing.")
    )
