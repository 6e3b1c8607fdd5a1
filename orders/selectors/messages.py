"""Reads of message threads, always scoped to the acting company.

A thread is read only by its two companies: the buyer, and the supplier's company. Anything else
is NotFound (404 in the views and the API): no existence leaks. Who may *start* a thread is
decided here too (`rfq_thread_partner`, `order_of_party`), so the pages, the API and the services
share one rule.
"""

from __future__ import annotations

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models import Value as V
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.utils.translation import gettext as _

from buyers.models import Match, SourcingRequest
from buyers.selectors.quotes import quotes_visible_to
from buyers.selectors.rfqs import rfq_for_supplier, rfq_of_buyer
from marketplace.errors import NotFound
from marketplace.models import Company, Notification, User
from marketplace.tenancy import company_sells
from orders.models import Message, Order, Thread
from suppliers.models import SupplierProfile

# How much of the newest message the inbox shows.
PREVIEW_LENGTH = 140


def message_event_prefix(thread_id: int) -> str:
    """The start of every notification event key about a message of this thread."""
    return f"message:{thread_id}:"


def message_event_key(message: Message) -> str:
    """One notification per message and recipient: a retried send never tells anybody twice."""
    return f"{message_event_prefix(message.thread_id)}{message.pk}"


def _party(company: Company) -> Q:
    return Q(buyer=company) | Q(supplier__company=company)


def _threads(company: Company) -> QuerySet[Thread]:
    """The company's threads with what every page shows. `doing_business`: the two companies have
    an order together, so the supplier may see the buyer's name (before that, only its country)."""
    return (
        Thread.objects.filter(_party(company))
        .select_related("buyer", "supplier", "supplier__company", "rfq", "order")
        .annotate(doing_business=Exists(Order.objects.filter(buyer=OuterRef("buyer"), supplier=OuterRef("supplier"))))
    )


def counterpart_name(thread: Thread, company: Company) -> str:
    """Who `company` talks to in the thread, as it may know them."""
    if thread.buyer_id != company.pk:
        if thread.order_id is not None or getattr(thread, "doing_business", False):
            return thread.buyer.name
        return _("A company in %(country)s") % {"country": thread.buyer.country.name}
    return thread.supplier.display_name


def threads_of_company(*, company: Company, reader: User | None = None) -> QuerySet[Thread]:
    """Every thread the company is in, as buyer or as supplier, newest activity first.

    Annotated: `activity` (last message, else start), `last_body` (the newest message, cut to
    PREVIEW_LENGTH), `last_text` (the whole of it, whose translation the inbox shows),
    `last_author_company_id`, and, when `reader` is given, `unread`: whether the reader has an
    unread notification about one of the thread's messages.
    """
    newest = Message.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-id")
    threads = _threads(company).annotate(
        activity=Coalesce("last_message_at", "created_at"),
        last_body=Subquery(newest.annotate(cut=Substr("body", 1, PREVIEW_LENGTH)).values("cut")[:1]),
        last_text=Subquery(newest.values("body")[:1]),
        last_author_company_id=Subquery(newest.values("author_company_id")[:1]),
    )
    if reader is not None:
        prefix = Concat(V("message:"), Cast(OuterRef("pk"), CharField()), V(":"))
        threads = threads.annotate(
            unread=Exists(
                Notification.objects.filter(
                    recipient=reader, read_at__isnull=True, event_key__startswith=prefix
                ).values("pk")
            )
        )
    return threads.order_by("-activity", "-id")


def thread_of_company(*, company: Company, thread_id: int) -> Thread:
    """One thread of the company's, or NotFound."""
    thread = _threads(company).filter(pk=thread_id).first()
    if thread is None:
        raise NotFound(_("No such conversation."))
    return thread


def messages_of_thread(*, thread: Thread, after: int | None = None) -> QuerySet[Message]:
    """The thread's messages, oldest first; with `after`, only those newer than that message id.

    The caller has already read `thread` through a scoped selector."""
    messages = Message.objects.filter(thread=thread).select_related("author", "author_company")
    if after is not None:
        messages = messages.filter(pk__gt=after)
    return messages.order_by("created_at", "id")


def latest_messages_of_thread(*, thread: Thread, limit: int) -> tuple[list[Message], bool]:
    """The newest `limit` messages, oldest first, and whether earlier ones exist."""
    newest = list(
        Message.objects.filter(thread=thread)
        .select_related("author", "author_company")
        .order_by("-created_at", "-id")[: limit + 1]
    )
    earlier = len(newest) > limit
    return list(reversed(newest[:limit])), earlier


def message_attachment_of_company(*, company: Company, message_id: int) -> Message:
    """A message with an attachment, in one of the company's threads; NotFound otherwise."""
    message = (
        Message.objects.filter(pk=message_id, thread__in=Thread.objects.filter(_party(company)))
        .exclude(attachment="")
        .first()
    )
    if message is None:
        raise NotFound(_("No such attachment."))
    return message


# --- Who may start a thread ---------------------------------------------------------------------


def rfq_thread_partner(
    *, company: Company, rfq_id: int, supplier_id: int | None
) -> tuple[SourcingRequest, SupplierProfile]:
    """The RFQ and the supplier of the thread `company` may start about it, or NotFound.

    The RFQ's buyer names a supplier that quoted on it or was matched (or invited) to it. A
    supplier names none: it writes to the buyer of an RFQ it may see (matched, invited, or on its
    board).
    """
    if supplier_id is not None:
        rfq = rfq_of_buyer(company=company, pk=rfq_id)
        quoted = quotes_visible_to(company=company).filter(rfq_id=rfq.pk, supplier_id=supplier_id)
        matched = Match.objects.filter(rfq_id=rfq.pk, rfq__buyer=company, supplier_id=supplier_id)
        supplier = (
            SupplierProfile.objects.filter(pk=supplier_id)
            .filter(
                Q(Exists(quoted.filter(supplier=OuterRef("pk")))) | Q(Exists(matched.filter(supplier=OuterRef("pk"))))
            )
            .select_related("company")
            .first()
        )
        if supplier is None:
            raise NotFound(_("This supplier has neither quoted on nor been matched to your request."))
        return rfq, supplier
    if not company_sells(company):
        raise NotFound(_("No such sourcing request."))
    supplier = company.supplier_profile
    return rfq_for_supplier(supplier=supplier, pk=rfq_id), supplier


def order_of_party(*, company: Company, order_id: int) -> Order:
    """An order the company is the buyer or the supplier of, or NotFound."""
    order = Order.objects.filter(_party(company), pk=order_id).select_related("buyer", "supplier").first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def rfq_thread_of(*, rfq_id: int, supplier_id: int) -> Thread | None:
    """The existing thread about an RFQ with one supplier, if they have one (call after
    `rfq_thread_partner`, which raises NotFound for what the company may not see): None is "no
    thread yet", and the page offers to start one, not "not yours"."""
    return Thread.objects.filter(rfq_id=rfq_id, supplier_id=supplier_id).first()


def order_thread_of(*, order_id: int) -> Thread | None:
    """The existing thread about an order, if there is one (call after `order_of_party`, which
    raises NotFound for what the company may not see): None is "no thread yet", not "not yours"."""
    return Thread.objects.filter(order_id=order_id).first()
