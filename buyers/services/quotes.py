"""Sealed quotes: submit, revise, withdraw, expire.

A quote is one row per RFQ and supplier; each submission or revision adds a QuoteVersion with
the terms as they were. Only the quoting supplier and the RFQ's buyer ever read a quote
(buyers.selectors.quotes); the RFQ's `quote_count` counts its active quotes, and the buyer's
list shows it — suppliers never see it.

Bids are final at the deadline: a quote is submitted, revised or withdrawn only while its RFQ is
open and before its quote deadline (`quote_change_window`, the one rule the page, the API and the
admin go through). After it, only a negotiation round the buyer opens (buyers.services.rounds)
lets the quotes it names be revised, until the round's deadline; each such revision is a version
tied to the round.

Locks: the RFQ row first, then the quote row (one order everywhere, so two writers never wait
on each other crosswise).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buyers.models import Match, NegotiationRound, Quote, QuoteAttachment, QuoteVersion, SourcingRequest
from buyers.quote_rules import QuoteTerms
from buyers.selectors.rfqs import rfq_for_supplier
from buyers.services.quote_states import (
    MatchAction,
    QuoteAction,
    match_sources,
    match_target,
    quote_may,
    quote_move,
    quote_sources,
    quote_target,
)
from buyers.services.rfqs import rfq_transition
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Membership, User
from marketplace.private_files import CheckedUpload, StoredFiles, checked_documents
from marketplace.services.notifications import notify
from marketplace.services.translation_requests import translations_request
from suppliers.models import SupplierProfile

EXPIRE_BATCH_SIZE = 500
MAX_ATTACHMENTS = 10
RfqStatus = SourcingRequest.Status


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def open_round_of(rfq: SourcingRequest, *, now: datetime) -> NegotiationRound | None:
    """The RFQ's negotiation round open at `now`, if any (at most one is open at a time)."""
    return NegotiationRound.objects.filter(rfq=rfq, ended_at__isnull=True, deadline__gt=now).order_by("-number").first()


def quote_change_window(
    rfq: SourcingRequest, quote: Quote | None, *, now: datetime, revising: bool = False
) -> NegotiationRound | None:
    """May this quote change now? None while the RFQ is open before its quote deadline; the open
    negotiation round that names the quote when `revising` after it; otherwise Conflict with the
    reason a person understands. Call with the RFQ row locked."""
    if rfq.status == RfqStatus.OPEN and now < rfq.quote_deadline:
        return None
    if rfq.status not in {RfqStatus.OPEN, RfqStatus.CLOSED}:
        raise Conflict(
            _("This request is %(status)s: its quotes can no longer change.")
            % {"status": rfq.get_status_display().lower()}
        )
    current = open_round_of(rfq, now=now)
    if current is not None and quote is not None and current.quotes.filter(pk=quote.pk).exists():
        if revising:
            return current
        raise Conflict(_("In a negotiation round a quote can be revised, not withdrawn; leave it as it is to keep it."))
    if current is not None:
        raise Conflict(
            _("Negotiation round %(number)s is open only to the suppliers the buyer asked; bids are final.")
            % {"number": current.number}
        )
    if rfq.status == RfqStatus.CLOSED and rfq.closed_at is not None and rfq.closed_at < rfq.quote_deadline:
        reason = _("This request was closed on %(when)s: bids are final.") % {"when": _when(rfq.closed_at)}
    else:
        reason = _("The quote deadline passed on %(when)s: bids are final.") % {"when": _when(rfq.quote_deadline)}
    raise Conflict(reason + " " + _("The buyer may ask you to revise in a negotiation round."))


def _apply_terms(quote: Quote, terms: QuoteTerms) -> None:
    quote.unit_price = terms.unit_price
    quote.tiers = [[quantity, str(price)] for quantity, price in terms.tiers]
    quote.currency_id = terms.currency
    quote.quantity = terms.quantity
    quote.min_order_quantity = terms.min_order_quantity
    quote.freight_basis = terms.freight_basis
    quote.lead_time_days = terms.lead_time_days
    quote.valid_until = terms.valid_until
    quote.incoterm = terms.incoterm
    quote.port = terms.port
    quote.freight = terms.freight
    quote.sample_available = terms.sample_available
    quote.sample_price = terms.sample_price if terms.sample_available else None
    quote.sample_days = terms.sample_days if terms.sample_available else None
    quote.notes = terms.notes


def _refuse_too_many(total: int) -> None:
    if total > MAX_ATTACHMENTS:
        raise InvalidInput(
            ngettext(
                "A quote can have at most %(max)s attachment; it would have %(count)s.",
                "A quote can have at most %(max)s attachments; it would have %(count)s.",
                MAX_ATTACHMENTS,
            )
            % {"max": MAX_ATTACHMENTS, "count": total},
            field="attachments",
        )


def _checked_attachments(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Check every upload (PDF or image, by content and size) before anything is written."""
    _refuse_too_many(len(uploads))
    return checked_documents(uploads, field="attachments")


def _store_attachments(quote: Quote, checked: list[CheckedUpload], stored: StoredFiles) -> None:
    for upload in checked:
        stored.save(QuoteAttachment(quote=quote), upload)


def _locked_rfq_for_supplier(*, supplier: SupplierProfile, rfq_id: int) -> SourcingRequest:
    rfq_for_supplier(supplier=supplier, pk=rfq_id)  # NotFound when the supplier may not see it
    return SourcingRequest.objects.select_for_update().get(pk=rfq_id)


def _notify_buyer(
    quote: Quote, rfq: SourcingRequest, *, kind: str, negotiation: NegotiationRound | None = None
) -> list[User]:
    recipients = [m.user for m in Membership.objects.filter(company_id=rfq.buyer_id).select_related("user")]
    notify(
        recipients=recipients,
        kind=kind,
        event_key=f"quote:{quote.pk}:{kind}:v{quote.version}",
        context={
            "title": rfq.title,
            "reference": rfq.reference,
            "supplier": quote.supplier.name,
            "supplier_zh": quote.supplier.name_zh,
            "version": quote.version,
            "round": negotiation.number if negotiation is not None else None,
        },
        url=reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}),
    )
    return recipients


def _terms_to_buyer(
    quote: Quote, rfq: SourcingRequest, *, kind: str, negotiation: NegotiationRound | None = None
) -> None:
    """Tell the buyer of new terms, and ask for what the supplier wrote on them (notes, port) in
    the languages of the buyer's people, who read them on the comparison (docs/translation.md)."""
    recipients = _notify_buyer(quote, rfq, kind=kind, negotiation=negotiation)
    translations_request(texts=[quote.notes, quote.port], languages={user.preferred_language for user in recipients})


def _record_answer(*, rfq: SourcingRequest, supplier: SupplierProfile, now: datetime) -> None:
    """Quoting answers the RFQ for the supplier's response figures (the first answer counts)."""
    match, _created = Match.objects.get_or_create(
        rfq=rfq, supplier=supplier, defaults={"source": Match.Source.BOARD, "created_at": now}
    )
    Match.objects.filter(pk=match.pk, status__in=match_sources(MatchAction.QUOTE)).update(
        status=match_target(MatchAction.QUOTE)
    )
    Match.objects.filter(pk=match.pk, responded_at__isnull=True).update(responded_at=now)


def quote_submit(
    *,
    rfq_id: int,
    supplier: SupplierProfile,
    actor: User,
    terms: QuoteTerms,
    attachments: Sequence[UploadedFile] = (),
) -> Quote:
    """Submit the supplier's quote on an RFQ it may see.

    The RFQ must be open with its deadline ahead, not the supplier's own company's, and below its
    quote cap; a supplier has one quote per RFQ (revise it instead), but may quote again after
    withdrawing. Raises NotFound for an RFQ the supplier may not see, Conflict otherwise.
    """
    now = timezone.now()
    checked = _checked_attachments(attachments)
    with StoredFiles() as stored:
        return _submit(
            rfq_id=rfq_id, supplier=supplier, actor=actor, terms=terms, checked=checked, stored=stored, now=now
        )


def _submit(
    *,
    rfq_id: int,
    supplier: SupplierProfile,
    actor: User,
    terms: QuoteTerms,
    checked: list[CheckedUpload],
    stored: StoredFiles,
    now: datetime,
) -> Quote:
    with transaction.atomic():
        rfq = _locked_rfq_for_supplier(supplier=supplier, rfq_id=rfq_id)
        if rfq.status != SourcingRequest.Status.OPEN or rfq.quote_deadline <= now:
            try:
                quote_change_window(rfq, None, now=now)
            except Conflict as refused:
                raise Conflict(_("This request no longer takes quotes.") + " " + refused.message) from refused
            raise Conflict(_("This request no longer takes quotes."))
        if rfq.max_quotes is not None and rfq.quote_count >= rfq.max_quotes:
            raise Conflict(_("This request has received all the quotes its buyer asked for."))
        quote = Quote.objects.select_for_update().filter(rfq=rfq, supplier=supplier).first()
        status = quote_move(
            QuoteAction.SUBMIT,
            quote.status if quote is not None else None,
            refusal=_("You have already quoted on this request: revise your quote instead."),
        )
        if quote is None:
            quote = Quote(rfq=rfq, supplier=supplier, version=1)
        else:
            quote.version += 1
            quote.withdrawn_at = None
        quote.status = status
        quote.created_by = actor
        quote.submitted_at = now
        _apply_terms(quote, terms)
        quote.save()
        QuoteVersion.objects.create(quote=quote, number=quote.version, terms=terms.as_json(), created_by=actor)
        if checked:
            _refuse_too_many(quote.attachments.count() + len(checked))
            _store_attachments(quote, checked, stored)
        first = rfq.first_quote_at is None
        SourcingRequest.objects.filter(pk=rfq.pk).update(
            quote_count=F("quote_count") + 1, first_quote_at=rfq.first_quote_at or now, updated_at=now
        )
        if rfq.max_quotes is not None and rfq.quote_count + 1 >= rfq.max_quotes:
            # The buyer asked for this many quotes: the request closes, and the buyer can award.
            rfq.refresh_from_db()
            rfq_transition(
                rfq,
                to_status=SourcingRequest.Status.CLOSED,
                actor=None,
                reason=_("All the quotes asked for have arrived."),
            )
        _record_answer(rfq=rfq, supplier=supplier, now=now)
        _terms_to_buyer(quote, rfq, kind="quote_received")
    if first:
        rfq.first_quote_at = now
    return quote


def _locked_own_quote(*, supplier: SupplierProfile, quote_id: int) -> tuple[SourcingRequest, Quote]:
    rfq_id = Quote.objects.filter(pk=quote_id, supplier=supplier).values_list("rfq_id", flat=True).first()
    if rfq_id is None:
        raise NotFound(_("No such quote."))
    rfq = SourcingRequest.objects.select_for_update().get(pk=rfq_id)
    quote = Quote.objects.select_for_update().get(pk=quote_id)
    return rfq, quote


def quote_revise(
    *,
    quote_id: int,
    supplier: SupplierProfile,
    actor: User,
    terms: QuoteTerms,
    attachments: Sequence[UploadedFile] = (),
) -> Quote:
    """Replace the terms of an active quote with a new version (the old ones stay for the buyer);
    new attachments are added to the ones it has. Only before the quote deadline, or after it in
    an open negotiation round that names the quote (Conflict otherwise)."""
    now = timezone.now()
    checked = _checked_attachments(attachments)
    with StoredFiles() as stored:
        return _revise(
            quote_id=quote_id, supplier=supplier, actor=actor, terms=terms, checked=checked, stored=stored, now=now
        )


def _revise(
    *,
    quote_id: int,
    supplier: SupplierProfile,
    actor: User,
    terms: QuoteTerms,
    checked: list[CheckedUpload],
    stored: StoredFiles,
    now: datetime,
) -> Quote:
    with transaction.atomic():
        rfq, quote = _locked_own_quote(supplier=supplier, quote_id=quote_id)
        quote.status = quote_move(
            QuoteAction.REVISE,
            quote.status,
            refusal=_("Only a submitted quote can be revised; this one is %(status)s.")
            % {"status": quote.get_status_display().lower()},
        )
        negotiation = quote_change_window(rfq, quote, now=now, revising=True)
        quote.version += 1
        quote.revised_at = now
        _apply_terms(quote, terms)
        quote.save()
        QuoteVersion.objects.create(
            quote=quote,
            number=quote.version,
            terms=terms.as_json(),
            created_by=actor,
            created_at=now,
            round=negotiation,
        )
        if checked:
            _refuse_too_many(quote.attachments.count() + len(checked))
            _store_attachments(quote, checked, stored)
        _terms_to_buyer(quote, rfq, kind="quote_revised", negotiation=negotiation)
    return quote


def quote_withdraw(*, quote_id: int, supplier: SupplierProfile, actor: User) -> Quote:
    """Take an active quote back, while the RFQ is open before its quote deadline."""
    now = timezone.now()
    with transaction.atomic():
        rfq, quote = _locked_own_quote(supplier=supplier, quote_id=quote_id)
        status = quote_move(
            QuoteAction.WITHDRAW,
            quote.status,
            refusal=_("Only a submitted quote can be withdrawn; this one is %(status)s.")
            % {"status": quote.get_status_display().lower()},
        )
        quote_change_window(rfq, quote, now=now)
        quote.status = status
        quote.withdrawn_at = now
        quote.save(update_fields=["status", "withdrawn_at"])
        SourcingRequest.objects.filter(pk=rfq.pk).update(quote_count=F("quote_count") - 1, updated_at=now)
        _notify_buyer(quote, rfq, kind="quote_withdrawn")
    return quote


def quotes_expire_due(*, today: date | None = None) -> int:
    """Expire active quotes whose valid-until date has passed (periodic). Returns how many."""
    today = today or timezone.localdate()
    expired = 0
    while True:
        ids = list(
            Quote.objects.filter(status__in=quote_sources(QuoteAction.EXPIRE), valid_until__lt=today)
            .order_by("pk")
            .values_list("pk", "rfq_id")[:EXPIRE_BATCH_SIZE]
        )
        if not ids:
            return expired
        for quote_id, rfq_id in ids:
            with transaction.atomic():
                SourcingRequest.objects.select_for_update().filter(pk=rfq_id).first()
                changed = Quote.objects.filter(
                    pk=quote_id, status__in=quote_sources(QuoteAction.EXPIRE), valid_until__lt=today
                ).update(status=quote_target(QuoteAction.EXPIRE))
                if changed:
                    SourcingRequest.objects.filter(pk=rfq_id).update(quote_count=F("quote_count") - 1)
                    expired += 1
        if len(ids) < EXPIRE_BATCH_SIZE:
            return expired


def quote_attachments_add(
    *, quote_id: int, supplier: SupplierProfile, actor: User, uploads: Sequence[UploadedFile]
) -> list[QuoteAttachment]:
    """Attach files to the supplier's active quote (all or nothing; at most MAX_ATTACHMENTS in all)."""
    if not uploads:
        raise InvalidInput(_("Choose one or more files to attach."), field="attachments")
    checked = _checked_attachments(uploads)
    with StoredFiles() as stored, transaction.atomic():
        rfq, quote = _locked_own_quote(supplier=supplier, quote_id=quote_id)
        if not quote_may(QuoteAction.REVISE, quote.status):  # new files are a change of the quote
            raise Conflict(_("Files can be added only to a submitted quote."))
        quote_change_window(rfq, quote, now=timezone.now(), revising=True)
        _refuse_too_many(quote.attachments.count() + len(checked))
        _store_attachments(quote, checked, stored)
    return list(QuoteAttachment.objects.filter(file__in=stored.names).order_by("created_at", "id"))


def quote_decide(*, accepted: Sequence[int], declined: Sequence[int], at: datetime) -> None:
    """The award's decision on an RFQ's active quotes: the awarded ones accepted, the others not
    chosen. Call inside the award's transaction, holding the RFQ's and the quotes' row locks."""
    Quote.objects.filter(pk__in=accepted, status__in=quote_sources(QuoteAction.ACCEPT)).update(
        status=quote_target(QuoteAction.ACCEPT), decided_at=at
    )
    Quote.objects.filter(pk__in=declined, status__in=quote_sources(QuoteAction.DECLINE)).update(
        status=quote_target(QuoteAction.DECLINE), decided_at=at
    )
