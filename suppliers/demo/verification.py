"""The demo's supplier verification: a queue to review, a rejection, a certificate about to expire.

`seed_demo_verification()` runs after `suppliers.demo.factories.seed_demo_suppliers` (which
creates the demo suppliers, some verified and some awaiting verification). It adds:

- to every verified demo supplier, its approved business licence (the badge rule's ground);
- to the first three demo suppliers awaiting verification, a pending business licence (and to the
  first of them a pending ISO 9001 too): the staff's review queue;
- to the fourth, a business licence rejected with a reason;
- to the demo supplier account (a verified Baigou bag factory), an approved ISO 9001 certificate
  that expires in about 20 days, already warned about.

Documents are keyed by (supplier, kind, name), so seeding again adds nothing. Rows are written
directly, with their recorded events, rather than through the services: the demo must not send
staff a notification per seeded document. Returns how many documents this call created.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from marketplace.demo.accounts import SUPPLIER
from marketplace.demo.belts import BELTS
from marketplace.models import User
from suppliers.models import Certification, SupplierProfile, VerificationEvent

Kind = Certification.Kind
Review = Certification.Review
Action = VerificationEvent.Action

QUEUE_SIZE = 3
EXPIRING_IN_DAYS = 20
REJECTION_REASON = (
    "The scan of the business licence is cut off at the bottom: the registration number and the seal "
    "cannot be read. Please upload a complete, readable copy. / "
    "营业执照扫描件底部被截断，统一社会信用代码和公章无法辨认，请上传完整清晰的扫描件。"
)
_DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _document(
    supplier: SupplierProfile,
    *,
    kind: str,
    name: str,
    issuer: str,
    review_status: str,
    staff: User | None,
    expires_in_days: int | None = None,
    reason: str = "",
    age_days: int = 0,
) -> tuple[Certification, bool]:
    """One demo document and the events of its review; (document, created)."""
    existing = Certification.objects.filter(supplier=supplier, kind=kind, name=name).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    submitted_at = now - timedelta(days=age_days)
    reviewed_at = submitted_at + timedelta(hours=6)
    document = Certification(
        supplier=supplier,
        kind=kind,
        name=name,
        issuer=issuer,
        number=f"DEMO-{supplier.pk:05d}-{kind[:3].upper()}",
        expires_on=timezone.localdate() + timedelta(days=expires_in_days) if expires_in_days is not None else None,
        review_status=review_status,
        rejection_reason=reason,
    )
    document.file.save(f"{kind}-{supplier.pk}.pdf", ContentFile(_DEMO_PDF), save=False)
    if review_status != Review.PENDING:
        document.reviewed_by, document.reviewed_at = staff, reviewed_at
    document.save()
    Certification.objects.filter(pk=document.pk).update(created_at=submitted_at)
    events = [VerificationEvent(supplier=supplier, document=document, action=Action.SUBMITTED, created_at=submitted_at)]
    if review_status == Review.APPROVED:
        events.append(
            VerificationEvent(
                supplier=supplier,
                document=document,
                actor=staff,
                action=Action.APPROVED,
                created_at=reviewed_at,
            )
        )
    elif review_status == Review.REJECTED:
        events.append(
            VerificationEvent(
                supplier=supplier,
                document=document,
                actor=staff,
                action=Action.REJECTED,
                reason=reason,
                created_at=reviewed_at,
            )
        )
    VerificationEvent.objects.bulk_create(events)
    return document, True


def seed_demo_verification() -> int:
    """Add the demo's verification documents (see the module's docstring); returns how many were created."""
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    slugs = [belt.slug for belt in BELTS]
    demo = SupplierProfile.objects.filter(belt__slug__in=slugs).order_by("belt__slug", "pk")
    created = 0
    with transaction.atomic():
        for supplier in demo.filter(verification_status=SupplierProfile.Verification.VERIFIED):
            _doc, new = _document(
                supplier,
                kind=Kind.BUSINESS_LICENCE,
                name="Business licence / 营业执照",
                issuer="Administration for Market Regulation / 市场监督管理局",
                review_status=Review.APPROVED,
                staff=staff,
                age_days=120,
            )
            created += new
        waiting = list(demo.filter(verification_status=SupplierProfile.Verification.PENDING)[: QUEUE_SIZE + 1])
        for position, supplier in enumerate(waiting[:QUEUE_SIZE]):
            _doc, new = _document(
                supplier,
                kind=Kind.BUSINESS_LICENCE,
                name="Business licence / 营业执照",
                issuer="Administration for Market Regulation / 市场监督管理局",
                review_status=Review.PENDING,
                staff=staff,
                age_days=QUEUE_SIZE - position,
            )
            created += new
            if position == 0:
                _doc, new = _document(
                    supplier,
                    kind=Kind.CERTIFICATION,
                    name="ISO 9001",
                    issuer="SGS",
                    review_status=Review.PENDING,
                    staff=staff,
                    expires_in_days=700,
                )
                created += new
        if len(waiting) > QUEUE_SIZE:
            _doc, new = _document(
                waiting[QUEUE_SIZE],
                kind=Kind.BUSINESS_LICENCE,
                name="Business licence / 营业执照",
                issuer="Administration for Market Regulation / 市场监督管理局",
                review_status=Review.REJECTED,
                staff=staff,
                reason=REJECTION_REASON,
                age_days=5,
            )
            created += new
        own = SupplierProfile.objects.filter(company__name=SUPPLIER.company).first()
        if own is not None:
            certificate, new = _document(
                own,
                kind=Kind.CERTIFICATION,
                name="ISO 9001",
                issuer="SGS",
                review_status=Review.APPROVED,
                staff=staff,
                expires_in_days=EXPIRING_IN_DAYS,
                age_days=345,
            )
            if new:
                warned_at = timezone.now() - timedelta(days=30 - EXPIRING_IN_DAYS)
                Certification.objects.filter(pk=certificate.pk).update(expiry_warned_at=warned_at)
                VerificationEvent.objects.create(
                    supplier=own, document=certificate, action=Action.EXPIRY_WARNED, created_at=warned_at
                )
            created += new
    return created
