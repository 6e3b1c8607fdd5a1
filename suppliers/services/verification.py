"""Supplier verification: documents submitted, reviewed by staff, the verified badge, expiry.

A verification document is a `Certification` row: the supplier's business licence or one of its
certifications. Its lifecycle is written here and nowhere else:

    submitted (PENDING) --staff approve--> APPROVED --expires_on passes--> expired (expired_at)
                        --staff reject (reason)--> REJECTED

Every step is recorded as a `VerificationEvent` (who, when, which document, why) and the people
concerned are told through the notification outbox: staff when a document is submitted, the
supplier's members (each in their own language) when it is approved, rejected, about to expire or
expired, and when the badge is granted or removed.

The badge rule (`supplier_verification_refresh`, the one place it is decided):

    A supplier is VERIFIED while it has an approved business licence that has not expired, and
    none of its approved documents has expired without being renewed. A document is renewed by
    another approved, unexpired document of the same kind and name (compared without case).

So an expired certificate removes the badge until the supplier submits the new one and staff
approve it. A supplier that does not meet the rule and was verified goes back to "awaiting
verification"; one that staff marked "rejected" by hand stays so until it earns the badge.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Final

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.formatting import date_text
from marketplace.models import Membership, User
from marketplace.private_files import CheckedUpload, StoredFiles, checked_document, delete_after_commit
from marketplace.services.notifications import notify
from suppliers.models import Certification, SupplierProfile, VerificationEvent

logger = logging.getLogger(__name__)

Kind = Certification.Kind
Review = Certification.Review
Action = VerificationEvent.Action

MAX_DOCUMENTS: Final = 50
MAX_REASON_LENGTH: Final = 2000
# The expiry run handles at most this many documents per step and call; beat runs it daily, and
# the next run goes on where this one stopped.
EXPIRY_BATCH_SIZE: Final = 500


# --- Helpers --------------------------------------------------------------------------------------


def _members(supplier: SupplierProfile) -> list[User]:
    """The active people of the supplier's company: whom its verification news goes to."""
    return [
        membership.user
        for membership in Membership.objects.filter(company_id=supplier.company_id, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _document_context(document: Certification, supplier: SupplierProfile) -> dict[str, object]:
    """The facts the notification templates show (as typed; never pre-translated)."""
    return {
        "supplier": supplier.name,
        "supplier_zh": supplier.name_zh,
        "document": document.name,
        "issuer": document.issuer,
        "kind": document.kind,
        "expires_on": document.expires_on.isoformat() if document.expires_on else "",
    }


def _record(
    *,
    supplier: SupplierProfile,
    action: str,
    document: Certification | None = None,
    actor: User | None = None,
    reason: str = "",
) -> VerificationEvent:
    return VerificationEvent.objects.create(
        supplier=supplier, document=document, actor=actor, action=action, reason=reason
    )


def _require_staff(actor: User | None) -> User:
    if actor is None or not actor.is_authenticated or not actor.is_staff:
        raise PermissionDenied(_("Only platform staff review verification documents."))
    return actor


def _locked_pending(certification: Certification) -> Certification:
    """The document's row, locked; only a pending document may be reviewed."""
    locked = Certification.objects.select_for_update().select_related("supplier").filter(pk=certification.pk).first()
    if locked is None:
        raise NotFound(_("No such verification document."))
    if locked.review_status != Review.PENDING:
        raise Conflict(
            _("This document was already reviewed: it is %(status)s.") % {"status": locked.get_review_status_display()}
        )
    return locked


# --- Submitting -----------------------------------------------------------------------------------


def _checked_document(
    *, kind: str, name: str, issuer: str, number: str, expires_on: date | None, file: UploadedFile | None
) -> tuple[str, str, str, str, CheckedUpload]:
    kind = kind or Kind.CERTIFICATION
    if kind not in Kind.values:
        raise InvalidInput(_("Choose whether this is your business licence or a certification."), field="kind")
    name, issuer, number = (name or "").strip(), (issuer or "").strip(), (number or "").strip()
    if not name:
        raise InvalidInput(_("Name the document, e.g. “ISO 9001” or “Business licence”."), field="name")
    if not issuer:
        raise InvalidInput(_("Say who issued the document."), field="issuer")
    for field, value, limit in (("name", name, 200), ("issuer", issuer, 200), ("number", number, 100)):
        if len(value) > limit:
            raise InvalidInput(_("At most %(limit)s characters.") % {"limit": limit}, field=field)
    if expires_on is None and kind == Kind.CERTIFICATION:
        raise InvalidInput(_("Give the date the certificate expires."), field="expires_on")
    if expires_on is not None and expires_on < timezone.localdate():
        raise InvalidInput(_("This certificate has already expired."), field="expires_on")
    if file is None:
        raise InvalidInput(_("Upload the document: a PDF or an image."), field="file")
    return kind, name, issuer, number, checked_document(file, field="file")


def certification_submit(
    *,
    supplier: SupplierProfile,
    actor: User | None,
    kind: str,
    name: str,
    issuer: str,
    number: str = "",
    expires_on: date | None,
    file: UploadedFile | None,
) -> Certification:
    """Submit a verification document; it waits for staff review (PENDING).

    The file must be a PDF or an image (checked by its content and size) and is private to the
    supplier and staff. A certification needs its expiry date, a licence only if it has one; the
    date may not be in the past. Records SUBMITTED and tells staff. At most MAX_DOCUMENTS per
    supplier (its row is locked, so two uploads at once cannot pass the limit together).
    """
    kind, name, issuer, number, checked = _checked_document(
        kind=kind, name=name, issuer=issuer, number=number, expires_on=expires_on, file=file
    )
    with StoredFiles() as stored, transaction.atomic():
        locked = SupplierProfile.objects.select_for_update().get(pk=supplier.pk)
        if Certification.objects.filter(supplier=locked).count() >= MAX_DOCUMENTS:
            raise InvalidInput(
                _("A supplier can keep at most %(limit)s documents; delete a rejected one first.")
                % {"limit": MAX_DOCUMENTS}
            )
        document = Certification(
            supplier=locked,
            kind=kind,
            name=name,
            issuer=issuer,
            number=number,
            expires_on=expires_on,
            review_status=Review.PENDING,
            submitted_by=actor if actor is not None and actor.is_authenticated else None,
        )
        stored.store(document.file, checked)
        document.save()
        _record(supplier=locked, action=Action.SUBMITTED, document=document, actor=document.submitted_by)
        staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk")
        notify(
            recipients=staff,
            kind="verification_submitted",
            event_key=f"verification:{document.pk}:submitted",
            context=_document_context(document, locked),
            url=reverse("verification:review", kwargs={"pk": document.pk}),
        )
    return document


def certification_delete(*, supplier: SupplierProfile, certification_id: int, actor: User | None = None) -> None:
    """Delete one of the supplier's documents, and its file once the deletion commits.

    The supplier may delete a pending or rejected document; an approved one is the record the
    badge rests on, so only staff may delete it, and the badge is then decided again. Another
    supplier's document is NotFound.
    """
    with transaction.atomic():
        document = Certification.objects.select_for_update().filter(supplier=supplier, pk=certification_id).first()
        if document is None:
            raise NotFound(_("No such document."))
        was_approved = document.review_status == Review.APPROVED
        if was_approved and not (actor is not None and actor.is_staff):
            raise Conflict(
                _(
                    "An approved document stays on record. When it is renewed, submit the new one; "
                    "it replaces this one once approved."
                )
            )
        document.delete()
        delete_after_commit([document.file.name])
        if was_approved:
            supplier_verification_refresh(supplier=supplier, actor=actor)


# --- Reviewing (staff) ----------------------------------------------------------------------------


def certification_approve(*, certification: Certification, actor: User) -> Certification:
    """Staff approve a pending document; the badge is then decided again.

    Locks the document's row, so two reviewers at once give one result (the second gets a
    Conflict). A document whose expiry date passed while it waited cannot be approved.
    """
    _require_staff(actor)
    with transaction.atomic():
        document = _locked_pending(certification)
        if document.expires_on is not None and document.expires_on < timezone.localdate():
            raise Conflict(
                _("This document expired on %(date)s while it waited; reject it and ask for the current one.")
                % {"date": date_text(document.expires_on)}
            )
        document.review_status = Review.APPROVED
        document.reviewed_by = actor
        document.reviewed_at = timezone.now()
        document.rejection_reason = ""
        document.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "rejection_reason"])
        supplier = document.supplier
        _record(supplier=supplier, action=Action.APPROVED, document=document, actor=actor)
        notify(
            recipients=_members(supplier),
            kind="verification_approved",
            event_key=f"verification:{document.pk}:approved",
            context=_document_context(document, supplier),
            url=reverse("verification:status"),
        )
        supplier_verification_refresh(supplier=supplier, actor=actor)
    certification.refresh_from_db()
    return document


def certification_reject(*, certification: Certification, actor: User, reason: str) -> Certification:
    """Staff reject a pending document with a reason the supplier's members are told, in their language.

    The reason is required (what to fix). Locks the document's row; a document already reviewed
    is a Conflict.
    """
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the document is rejected, so the supplier can fix it."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            _("The reason can be at most %(limit)s characters.") % {"limit": MAX_REASON_LENGTH}, field="reason"
        )
    with transaction.atomic():
        document = _locked_pending(certification)
        document.review_status = Review.REJECTED
        document.reviewed_by = actor
        document.reviewed_at = timezone.now()
        document.rejection_reason = reason
        document.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "rejection_reason"])
        supplier = document.supplier
        _record(supplier=supplier, action=Action.REJECTED, document=document, actor=actor, reason=reason)
        notify(
            recipients=_members(supplier),
            kind="verification_rejected",
            event_key=f"verification:{document.pk}:rejected",
            context={**_document_context(document, supplier), "reason": reason},
            url=reverse("verification:status"),
        )
        supplier_verification_refresh(supplier=supplier, actor=actor)
    certification.refresh_from_db()
    return document


# --- The badge ------------------------------------------------------------------------------------


def _renewal_key(document: Certification) -> tuple[str, str]:
    return document.kind, document.name.strip().casefold()


def verification_badge_earned(*, documents: list[Certification], today: date) -> bool:
    """The badge rule (see the module's docstring) over a supplier's documents."""
    approved = [document for document in documents if document.review_status == Review.APPROVED]
    current = [document for document in approved if document.expires_on is None or document.expires_on >= today]
    if not any(document.kind == Kind.BUSINESS_LICENCE for document in current):
        return False
    renewed = {_renewal_key(document) for document in current}
    return all(
        _renewal_key(document) in renewed
        for document in approved
        if document.expires_on is not None and document.expires_on < today
    )


def supplier_verification_refresh(*, supplier: SupplierProfile, actor: User | None = None) -> SupplierProfile:
    """Decide the supplier's badge by the one rule; record and announce a change.

    Locks the supplier's row. Granting records BADGE_GRANTED, removing BADGE_REMOVED, and the
    supplier's members are told either way; no change records nothing. Idempotent.
    """
    today = timezone.localdate()
    with transaction.atomic():
        locked = SupplierProfile.objects.select_for_update().get(pk=supplier.pk)
        earned = verification_badge_earned(documents=list(Certification.objects.filter(supplier=locked)), today=today)
        was_verified = locked.verification_status == SupplierProfile.Verification.VERIFIED
        if earned == was_verified:
            supplier.verification_status = locked.verification_status
            return locked
        if earned:
            locked.verification_status = SupplierProfile.Verification.VERIFIED
            action, kind = Action.BADGE_GRANTED, "verification_badge_granted"
        else:
            locked.verification_status = SupplierProfile.Verification.PENDING
            action, kind = Action.BADGE_REMOVED, "verification_badge_removed"
        locked.save(update_fields=["verification_status"])
        event = _record(supplier=locked, action=action, actor=actor)
        notify(
            recipients=_members(locked),
            kind=kind,
            event_key=f"verification:supplier:{locked.pk}:{action}:{event.pk}",
            context={"supplier": locked.name, "supplier_zh": locked.name_zh},
            url=reverse("verification:status"),
        )
    supplier.verification_status = locked.verification_status
    return locked


# --- Expiry (Celery beat, daily) ------------------------------------------------------------------


def _claim_expiry_step(*, document_id: int, now: datetime, stamp: str, action: str, kind: str) -> bool:
    """One expiry step of one approved document, once: the conditional update of `stamp`
    (expiry_warned_at, expired_at) claims it, so a second run finds it claimed. Records the step,
    tells the supplier's members; an expiry also decides the badge again."""
    with transaction.atomic():
        claimed = Certification.objects.filter(
            pk=document_id, review_status=Review.APPROVED, **{f"{stamp}__isnull": True}
        ).update(**{stamp: now})
        if not claimed:
            return False
        document = Certification.objects.select_related("supplier").get(pk=document_id)
        supplier = document.supplier
        _record(supplier=supplier, action=action, document=document)
        notify(
            recipients=_members(supplier),
            kind=kind,
            event_key=f"verification:{document.pk}:{action}",
            context=_document_context(document, supplier),
            url=reverse("verification:status"),
        )
        if action == Action.EXPIRED:
            supplier_verification_refresh(supplier=supplier)
    return True


def _expiry_warn_one(*, document_id: int, now: datetime) -> bool:
    """Warn about one document once, CERTIFICATE_EXPIRY_WARNING_DAYS before it expires."""
    return _claim_expiry_step(
        document_id=document_id,
        now=now,
        stamp="expiry_warned_at",
        action=Action.EXPIRY_WARNED,
        kind="verification_expiry_warning",
    )


def _expire_one(*, document_id: int, now: datetime) -> bool:
    """Record one document's expiry once and decide the badge again."""
    return _claim_expiry_step(
        document_id=document_id, now=now, stamp="expired_at", action=Action.EXPIRED, kind="verification_expired"
    )


def certifications_expiry_run(*, today: date) -> dict[str, int]:
    """Warn before approved documents expire, and record those that expired.

    A document expiring within CERTIFICATE_EXPIRY_WARNING_DAYS of `today` (and not yet warned)
    gets one warning: `expiry_warned_at` is claimed by a conditional update, so a second run, or
    two workers at once, warn nobody twice. A document whose `expires_on` is before `today` is
    recorded EXPIRED once (`expired_at` claimed the same way) and its supplier's badge is decided
    again. Each document is its own short transaction; at most EXPIRY_BATCH_SIZE of each per run.
    Returns how many were warned and expired.
    """
    now = timezone.now()
    warn_until = today + timedelta(days=settings.CERTIFICATE_EXPIRY_WARNING_DAYS)
    approved = Certification.objects.filter(review_status=Review.APPROVED)
    to_warn = list(
        approved.filter(expiry_warned_at__isnull=True, expires_on__gte=today, expires_on__lte=warn_until)
        .order_by("expires_on", "pk")
        .values_list("pk", flat=True)[:EXPIRY_BATCH_SIZE]
    )
    to_expire = list(
        approved.filter(expired_at__isnull=True, expires_on__lt=today)
        .order_by("expires_on", "pk")
        .values_list("pk", flat=True)[:EXPIRY_BATCH_SIZE]
    )
    warned = sum(_expiry_warn_one(document_id=pk, now=now) for pk in to_warn)
    expired = sum(_expire_one(document_id=pk, now=now) for pk in to_expire)
    if warned or expired:
        logger.info("Certificate expiry: %s warned, %s expired.", warned, expired)
    return {"warned": warned, "expired": expired}
