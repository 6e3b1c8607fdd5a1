"""Writes of the buyer's side of posting: create and edit RFQs, their attachments and invitations.

Every write here:

- acts on the buyer company's own RFQs only (another company's RFQ is NotFound);
- changes an RFQ only while it is editable (`SourcingRequest.is_editable`: a draft, or open
  before the first quote), else Conflict — under the RFQ's row lock, so a quote arriving at the
  same moment cannot slip between the check and the change;
- takes data validated by `buyers.rfq_rules` and keeps `search_text` current (with the stored
  translations of the title and description, `buyers.services.rfq_index`);
- checks uploads by content and size before writing anything, stores them under names of its
  own, removes them again when the write fails and deletes removed attachments' files after
  commit (`marketplace.private_files`).

Publishing (`rfq_publish`, here: it queues matching and the demand aggregation, and asks for the
title and description in every site language, so matching reads them in each) checks its
transition through `buyers.services.rfqs`, where the other transitions are;
`rfq_create(..., publish=True)` creates and publishes in one transaction, so a refusal leaves no
half-made draft behind.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buyers.models import Match, RfqAttachment, SourcingRequest
from buyers.rfq_rules import RfqData, invited_suppliers_from
from buyers.services.matching import rfqs_matching_due_now
from buyers.services.rfq_index import rfq_index_text, rfq_translations_request
from buyers.services.rfqs import rfq_locked, rfq_record_created, rfq_refused, rfq_transition
from buyers.tasks.insights import demand_enqueue_aggregation
from buyers.tasks.matching import rfq_enqueue_matching
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Company, User
from marketplace.private_files import CheckedUpload, StoredFiles, checked_documents, delete_after_commit
from suppliers.models import SupplierProfile

MAX_ATTACHMENTS = 10
Status = SourcingRequest.Status


# --- Helpers -----------------------------------------------------------------------------------


def _locked_own_rfq(*, rfq_id: int, buyer: Company) -> SourcingRequest:
    rfq = SourcingRequest.objects.select_for_update().filter(pk=rfq_id, buyer=buyer).first()
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    return rfq


def _refuse_unless_editable(rfq: SourcingRequest) -> None:
    if rfq.is_editable:
        return
    if rfq.first_quote_at is not None and rfq.status == Status.OPEN:
        raise Conflict(_("A supplier has quoted on this request: it can no longer be changed."))
    raise Conflict(
        _("This request is %(status)s: it can no longer be changed.") % {"status": rfq.get_status_display().lower()}
    )


def _checked_attachments(uploads: Sequence[UploadedFile], *, keeping: int) -> list[CheckedUpload]:
    """Check every upload before anything is written; return each with its real extension."""
    if keeping + len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(
            ngettext(
                "A request can have at most %(max)s attachment; it would have %(count)s.",
                "A request can have at most %(max)s attachments; it would have %(count)s.",
                MAX_ATTACHMENTS,
            )
            % {"max": MAX_ATTACHMENTS, "count": keeping + len(uploads)},
            field="attachments",
        )
    return checked_documents(uploads, field="attachments")


def _store_attachments(rfq: SourcingRequest, checked: list[CheckedUpload], stored: StoredFiles) -> None:
    for upload in checked:
        stored.save(RfqAttachment(rfq=rfq), upload)


def _apply(rfq: SourcingRequest, data: RfqData) -> None:
    """Copy validated data onto `rfq` (not saved). Where a request came from (its source product)
    is set once: an edit that names none keeps it."""
    for attribute, value in data.column_values().items():
        if attribute == "source_product" and value is None:
            continue
        setattr(rfq, attribute, value)
    rfq.search_text = rfq_index_text(title=data.title, description=data.description)


INVITED_REASON = {"code": "invited"}


def _set_invitations(rfq: SourcingRequest, suppliers: Sequence[SupplierProfile]) -> bool:
    """Make the invited suppliers exactly `suppliers`. Call holding the RFQ's lock.

    A draft's invitations change freely. Once the request is open, suppliers may have been told
    of it, so invitations are only added. Returns whether a supplier was newly invited to an
    open request (who must then be notified).
    """
    current = set(rfq.matches.filter(source=Match.Source.INVITED).values_list("supplier_id", flat=True))
    wanted = [supplier.pk for supplier in suppliers]
    removed = current - set(wanted)
    if removed and rfq.status != Status.DRAFT:
        raise InvalidInput(
            _("Suppliers invited to an open request stay invited: you can add suppliers, not remove them."),
            field="invited_suppliers",
        )
    if removed:
        Match.objects.filter(rfq=rfq, source=Match.Source.INVITED, supplier_id__in=removed).delete()
    added = [pk for pk in wanted if pk not in current]
    existing = {match.supplier_id: match for match in Match.objects.filter(rfq=rfq, supplier_id__in=added)}
    for pk in added:
        match = existing.get(pk)
        if match is None:
            Match.objects.create(rfq=rfq, supplier_id=pk, source=Match.Source.INVITED, reasons=[INVITED_REASON])
        else:  # matched by the engine (or chosen from the board) before: the buyer now invites it too
            reasons = list(match.reasons or [])
            if INVITED_REASON not in reasons:
                reasons.insert(0, INVITED_REASON)
            Match.objects.filter(pk=match.pk).update(source=Match.Source.INVITED, reasons=reasons)
    return bool(added) and rfq.status == Status.OPEN


def _notify_new_invitations_after_commit(rfq: SourcingRequest) -> None:
    """Matching notifies invited suppliers not yet notified (once: one Notification per event key):
    it is due from now, and queued after commit (the relay runs it if the queueing is lost)."""
    rfqs_matching_due_now(rfq_ids=[rfq.pk])
    transaction.on_commit(functools.partial(rfq_enqueue_matching, rfq.pk))


# --- Services ----------------------------------------------------------------------------------


def rfq_create(
    *,
    buyer: Company,
    actor: User,
    data: RfqData,
    attachments: Sequence[UploadedFile] = (),
    publish: bool = False,
) -> SourcingRequest:
    """Create a draft RFQ with its invitations and attachments, recording its first event; with
    `publish`, open it in the same transaction (matching is queued after commit). All or nothing."""
    checked = _checked_attachments(attachments, keeping=0)
    with StoredFiles() as stored, transaction.atomic():
        rfq = SourcingRequest(buyer=buyer, created_by=actor, status=Status.DRAFT)
        _apply(rfq, data)
        rfq.save()
        rfq_record_created(rfq, actor=actor)
        _set_invitations(rfq, data.invited_suppliers)
        _store_attachments(rfq, checked, stored)
        if publish:
            rfq = rfq_publish(rfq_id=rfq.pk, buyer=buyer, actor=actor)
    return rfq


def rfq_update(
    *,
    rfq_id: int,
    buyer: Company,
    actor: User,
    data: RfqData,
    new_attachments: Sequence[UploadedFile] = (),
    removed_attachment_ids: Iterable[int] = (),
    publish: bool = False,
) -> SourcingRequest:
    """Replace an editable RFQ's data and invitations, add and remove attachments; with `publish`,
    open a draft in the same transaction. Conflict once the request is no longer editable."""
    removed_ids = set(removed_attachment_ids)
    with StoredFiles() as stored, transaction.atomic():
        rfq = _locked_own_rfq(rfq_id=rfq_id, buyer=buyer)
        _refuse_unless_editable(rfq)
        attachments = list(rfq.attachments.all())
        unknown = removed_ids - {attachment.pk for attachment in attachments}
        if unknown:
            raise InvalidInput(_("An attachment to remove is not on this request."), field="attachments")
        checked = _checked_attachments(new_attachments, keeping=len(attachments) - len(removed_ids))
        _apply(rfq, data)
        rfq.save()
        newly_invited = _set_invitations(rfq, data.invited_suppliers)
        gone = [attachment for attachment in attachments if attachment.pk in removed_ids]
        RfqAttachment.objects.filter(pk__in=[attachment.pk for attachment in gone]).delete()
        delete_after_commit(attachment.file.name for attachment in gone)
        _store_attachments(rfq, checked, stored)
        if publish and rfq.status == Status.DRAFT:
            rfq = rfq_publish(rfq_id=rfq.pk, buyer=buyer, actor=actor)
        else:
            if rfq.status == Status.OPEN:
                rfq_translations_request(rfq)  # an edited title or description, read in every language
            if newly_invited:
                _notify_new_invitations_after_commit(rfq)
    return rfq


def rfq_attachments_add(
    *, rfq_id: int, buyer: Company, actor: User, uploads: Sequence[UploadedFile]
) -> list[RfqAttachment]:
    """Attach drawings, specifications or photos to an editable RFQ. All or nothing."""
    if not uploads:
        raise InvalidInput(_("Choose one or more files to attach."), field="attachments")
    with StoredFiles() as stored, transaction.atomic():
        rfq = _locked_own_rfq(rfq_id=rfq_id, buyer=buyer)
        _refuse_unless_editable(rfq)
        checked = _checked_attachments(uploads, keeping=rfq.attachments.count())
        _store_attachments(rfq, checked, stored)
        rfq.save(update_fields=["updated_at"])
    return list(RfqAttachment.objects.filter(file__in=stored.names).order_by("created_at", "id"))


def rfq_attachment_remove(*, rfq_id: int, attachment_id: int, buyer: Company, actor: User) -> None:
    """Remove one attachment of an editable RFQ (its file goes after commit)."""
    with transaction.atomic():
        rfq = _locked_own_rfq(rfq_id=rfq_id, buyer=buyer)
        attachment = rfq.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound(_("No such attachment on this request."))
        _refuse_unless_editable(rfq)
        attachment.delete()
        delete_after_commit([attachment.file.name])


def rfq_invitations_set(*, rfq_id: int, buyer: Company, actor: User, supplier_ids: Sequence[int]) -> SourcingRequest:
    """Make the invited suppliers of an editable RFQ exactly these (an open one: only additions).
    Suppliers newly invited to an open request are notified after commit."""
    try:
        suppliers = invited_suppliers_from(list(supplier_ids), buyer=buyer)
    except ValueError as error:
        raise InvalidInput(str(error), field="invited_suppliers") from error
    with transaction.atomic():
        rfq = _locked_own_rfq(rfq_id=rfq_id, buyer=buyer)
        _refuse_unless_editable(rfq)
        if not suppliers and rfq.visibility == SourcingRequest.Visibility.PRIVATE and rfq.status == Status.OPEN:
            raise InvalidInput(
                _("An open private request needs at least one invited supplier."), field="invited_suppliers"
            )
        if _set_invitations(rfq, suppliers):
            _notify_new_invitations_after_commit(rfq)
    return rfq


# --- Publishing ---------------------------------------------------------------------------------


def rfq_publish(*, rfq_id: int, buyer: Company, actor: User) -> SourcingRequest:
    """Open a draft to quotes. The quote deadline must still be ahead, and a private RFQ needs at
    least one invited supplier. Matching and notifications run after commit."""
    with transaction.atomic():
        rfq = rfq_locked(rfq_id=rfq_id, buyer=buyer)
        if rfq.status != Status.DRAFT:
            raise rfq_refused(rfq, Status.OPEN)
        if rfq.quote_deadline <= timezone.now():
            raise InvalidInput(
                _("The quote deadline has passed; set a later one before publishing."), field="quote_deadline"
            )
        if (
            rfq.visibility == SourcingRequest.Visibility.PRIVATE
            and not rfq.matches.filter(source=Match.Source.INVITED).exists()
        ):
            raise InvalidInput(_("A private request needs at least one invited supplier."), field="invited_suppliers")
        rfq_transition(rfq, to_status=Status.OPEN, actor=actor)
        # Matched at once in the language it is written in; its translations, made after commit,
        # add their words and it is matched again then (buyers.receivers).
        rfq_translations_request(rfq)
        transaction.on_commit(functools.partial(rfq_enqueue_matching, rfq.pk))
        transaction.on_commit(demand_enqueue_aggregation)  # a surge is alerted at once
    return rfq
