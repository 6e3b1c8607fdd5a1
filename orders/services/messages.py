"""Messages between a buyer and a supplier: starting a thread about an RFQ or an order, sending a
message (text and an optional attachment), and marking a thread's notifications read.

A thread is created with its first message, so no thread is ever empty. Each send locks the
thread row, so `last_message_at` only moves forward and two sends are ordered. The other
company's members are told through the notification outbox, once per message and person (the
event key names the message).
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput, NotFound
from marketplace.models import Company, Membership, Notification, User
from marketplace.private_files import CheckedUpload, StoredFiles, checked_document
from marketplace.services.notifications import notify
from marketplace.services.translation_requests import translations_request
from orders.models import Message, Thread
from orders.selectors.messages import (
    message_event_key,
    message_event_prefix,
    order_of_party,
    rfq_thread_partner,
)

MAX_BODY_LENGTH = Message._meta.get_field("body").max_length or 10000
EXCERPT_LENGTH = 300


def _checked_message(body: str, attachment: UploadedFile | None) -> tuple[str, CheckedUpload | None]:
    """The message and its checked attachment as they will be stored; InvalidInput when there is
    nothing to send, too much, or an attachment that is not a PDF or an image."""
    body = (body or "").strip()
    if not body and attachment is None:
        raise InvalidInput(_("Write a message or attach a file."), field="body")
    if len(body) > MAX_BODY_LENGTH:
        raise InvalidInput(
            _("Keep the message under %(limit)s characters (it has %(length)s).")
            % {"limit": f"{MAX_BODY_LENGTH:,}", "length": f"{len(body):,}"},
            field="body",
        )
    return body, checked_document(attachment, field="attachment") if attachment is not None else None


def _other_side_members(thread: Thread, company: Company, author: User) -> list[User]:
    other = thread.supplier.company_id if company.pk == thread.buyer_id else thread.buyer_id
    memberships = Membership.objects.filter(company_id=other, user__is_active=True).exclude(user=author)
    return [membership.user for membership in memberships.select_related("user")]


def _notification_context(thread: Thread, message: Message, company: Company) -> dict[str, object]:
    """Facts the message_new templates show, in the recipient's language. A supplier learns the
    buyer's name only once they do business (an order together), as on the RFQ pages."""
    from_buyer = company.pk == thread.buyer_id
    context: dict[str, object] = {
        "excerpt": message.body[:EXCERPT_LENGTH],
        "truncated": len(message.body) > EXCERPT_LENGTH,
        "attachment": message.attachment_name,
        "rfq_reference": thread.rfq.reference if thread.rfq else "",
        "rfq_title": thread.rfq.title if thread.rfq else "",
        "order_number": thread.order.number if thread.order else "",
    }
    if from_buyer:
        disclosed = thread.order_id is not None or thread.supplier.orders.filter(buyer_id=thread.buyer_id).exists()
        context["sender"] = thread.buyer.name if disclosed else ""
        context["sender_zh"] = ""
        context["sender_country"] = str(thread.buyer.country)
    else:
        context["sender"] = thread.supplier.name or thread.supplier.name_zh
        context["sender_zh"] = thread.supplier.name_zh
        context["sender_country"] = ""
    return context


def _post(
    thread: Thread,
    *,
    company: Company,
    author: User,
    body: str,
    attachment: CheckedUpload | None,
    stored: StoredFiles,
) -> Message:
    """Append a message to a thread the caller holds locked, and tell the other side."""
    message = Message(thread=thread, author=author, author_company=company, body=body)
    if attachment is not None:
        message.attachment_name = attachment.original_name or "attachment"
        stored.store(message.attachment, attachment)
    message.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    recipients = _other_side_members(thread, company, author)
    # The other side reads the message in its own languages: translated after commit (its start
    # too, which the e-mail quotes, when the message is longer).
    translations_request(
        texts=[body, body[:EXCERPT_LENGTH]], languages={user.preferred_language for user in recipients}
    )
    notify(
        recipients=recipients,
        kind="message_new",
        event_key=message_event_key(message),
        context=_notification_context(thread, message, company),
        url=reverse("orders:thread_detail", kwargs={"pk": thread.pk}) + f"#message-{message.pk}",
    )
    return message


def _locked(thread_id: int) -> Thread:
    return (
        Thread.objects.select_for_update(of=("self",))
        .select_related("buyer", "supplier", "rfq", "order")
        .get(pk=thread_id)
    )


def message_send(
    *, thread_id: int, company: Company, author: User, body: str, attachment: UploadedFile | None = None
) -> Message:
    """Send a message in a thread the company is in (NotFound otherwise).

    Text, an attachment (a PDF or an image, checked by content), or both; nothing half-written
    when the input is refused."""
    if not Thread.objects.filter(Q(buyer=company) | Q(supplier__company=company), pk=thread_id).exists():
        raise NotFound(_("No such conversation."))
    body, checked = _checked_message(body, attachment)
    with StoredFiles() as stored, transaction.atomic():
        thread = _locked(thread_id)
        return _post(thread, company=company, author=author, body=body, attachment=checked, stored=stored)


def rfq_thread_start(
    *,
    company: Company,
    author: User,
    rfq_id: int,
    supplier_id: int | None = None,
    body: str,
    attachment: UploadedFile | None = None,
) -> Message:
    """Write to the other side about an RFQ: the thread is created with this first message, or
    the message joins the thread that already exists (one per RFQ and supplier).

    The RFQ's buyer names a supplier that quoted or was matched; a supplier names none and
    writes to the buyer of an RFQ it may see (see `rfq_thread_partner`)."""
    rfq, supplier = rfq_thread_partner(company=company, rfq_id=rfq_id, supplier_id=supplier_id)
    if supplier.company_id == rfq.buyer_id:
        raise InvalidInput(_("This is your own company: there is nobody to write to."))
    body, checked = _checked_message(body, attachment)
    with StoredFiles() as stored, transaction.atomic():
        # The unique constraint (rfq, supplier) makes two first messages at once share one thread.
        thread, _created = Thread.objects.get_or_create(rfq=rfq, supplier=supplier, defaults={"buyer_id": rfq.buyer_id})
        thread = _locked(thread.pk)
        return _post(thread, company=company, author=author, body=body, attachment=checked, stored=stored)


def order_thread_start(
    *, company: Company, author: User, order_id: int, body: str, attachment: UploadedFile | None = None
) -> Message:
    """Write to the other side of an order: the order's one thread is created with this first
    message, or the message joins it."""
    order = order_of_party(company=company, order_id=order_id)
    if order.supplier.company_id == order.buyer_id:
        raise InvalidInput(_("This is your own company: there is nobody to write to."))
    body, checked = _checked_message(body, attachment)
    with StoredFiles() as stored, transaction.atomic():
        thread, _created = Thread.objects.get_or_create(
            order=order, defaults={"buyer_id": order.buyer_id, "supplier_id": order.supplier_id}
        )
        thread = _locked(thread.pk)
        return _post(thread, company=company, author=author, body=body, attachment=checked, stored=stored)


def thread_mark_read(*, thread: Thread, user: User) -> int:
    """Mark the reader's notifications about the thread's messages read (opening or refreshing
    the thread reads them). Returns how many were unread. The caller has read `thread` through a
    scoped selector."""
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, event_key__startswith=message_event_prefix(thread.pk)
    ).update(read_at=timezone.now())
