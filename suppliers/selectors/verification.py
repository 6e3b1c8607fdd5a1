"""Reads of supplier verification.

A supplier reads only its own documents and history; the review queue and any supplier's
documents are read by staff only (anybody else gets an empty queue, and NotFound for one document:
404 on the pages and in the API).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import IndustrialBelt, User
from suppliers.models import Certification, SupplierProfile, VerificationEvent

Review = Certification.Review


def _is_staff(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def verification_documents_of(*, supplier: SupplierProfile) -> QuerySet[Certification]:
    """The supplier's own documents, licence first, then newest first (expired and rejected ones too)."""
    return Certification.objects.filter(supplier=supplier).order_by("-kind", "-created_at", "-id")


def verification_document_of(*, supplier: SupplierProfile, pk: int) -> Certification:
    """One of the supplier's own documents; NotFound for another supplier's."""
    document = Certification.objects.filter(supplier=supplier, pk=pk).first()
    if document is None:
        raise NotFound(_("No such document."))
    return document


def verification_events_of(*, supplier: SupplierProfile) -> QuerySet[VerificationEvent]:
    """The supplier's verification history, newest first, with the document and who acted."""
    return (
        VerificationEvent.objects.filter(supplier=supplier)
        .select_related("document", "actor")
        .order_by("-created_at", "-id")
    )


def verification_queue(
    *, user: User | None, kind: str = "", belt: IndustrialBelt | None = None
) -> QuerySet[Certification]:
    """Pending documents, oldest first, for staff: each with its supplier, the supplier's belt and company.

    Filtered by kind and by the supplier's belt when given. Anybody but staff gets an empty queue.
    """
    if not _is_staff(user):
        return Certification.objects.none()
    documents = Certification.objects.filter(review_status=Review.PENDING)
    if kind:
        documents = documents.filter(kind=kind)
    if belt is not None:
        documents = documents.filter(supplier__belt=belt)
    return documents.select_related("supplier", "supplier__belt", "supplier__company").order_by("created_at", "id")


def verification_document_for_staff(*, user: User | None, pk: int) -> Certification:
    """Any supplier's document, for staff to review (with supplier, belt, submitter, reviewer);
    NotFound for anybody but staff, as for a document that does not exist."""
    documents = Certification.objects.select_related(
        "supplier", "supplier__belt", "supplier__company", "submitted_by", "reviewed_by"
    )
    document = documents.filter(pk=pk).first() if _is_staff(user) else None
    if document is None:
        raise NotFound(_("No such document."))
    return document


def verification_pending_count(*, user: User | None) -> int:
    """How many documents wait for review (for staff dashboards); 0 for anybody else."""
    return verification_queue(user=user).count() if _is_staff(user) else 0


def current_documents_q() -> Q:
    """Documents a buyer may see on the public page: approved and not expired."""
    return Q(review_status=Review.APPROVED) & (Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
