"""Supplier verification: documents submitted, reviewed by staff, the verified badge, expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.errors import Conflict, InvalidInput, PermissionDenied
from marketplace.models import Notification
from marketplace.notification_texts import notification_render
from suppliers.models import Certification, SupplierProfile, VerificationEvent
from suppliers.services.verification import (
    certification_approve,
    certification_delete,
    certification_reject,
    certifications_expiry_run,
    supplier_verification_refresh,
)
from suppliers.tasks.verification import certifications_expiry_task
from tests.conftest import Actor
from tests.factories import IndustrialBeltFactory, NotificationFactory, StaffFactory, SupplierProfileFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.builders_verification import member_of, verified_supplier
from tests.suppliers.factories_catalog import image_bytes
from tests.suppliers.factories_profile import PDF_BYTES
from tests.suppliers.factories_verification import (
    ApprovedDocumentFactory,
    ApprovedLicenceFactory,
    DocumentFactory,
    LicenceFactory,
)

Review = Certification.Review
Action = VerificationEvent.Action


def pdf(name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def licence_form(**overrides: object) -> dict[str, object]:
    return {
        "kind": "licence",
        "name": "Business licence",
        "issuer": "Baoding Administration for Market Regulation",
        "number": "91130600MA0000000X",
        "expires_on": "",
        "file": pdf(),
        **overrides,
    }


def certificate_form(**overrides: object) -> dict[str, object]:
    return {
        **licence_form(),
        "kind": "certification",
        "name": "ISO 9001",
        "issuer": "SGS",
        "number": "CN-2026-0001",
        "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "file": pdf("iso.pdf"),
        **overrides,
    }


def actions_of(supplier: SupplierProfile) -> list[str]:
    return list(VerificationEvent.objects.filter(supplier=supplier).order_by("id").values_list("action", flat=True))


def kinds_for(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def staff() -> Actor:
    user = StaffFactory(name="Li Review")
    client = Client()
    client.force_login(user)
    return Actor("staff", user, None, client)


# --- Submit → queue → approve → badge -------------------------------------------------------------


def test_a_licence_submitted_reviewed_and_approved_earns_the_verified_badge(
    actors: dict[str, Actor], staff: Actor
) -> None:
    supplier = actors["supplier"]
    profile = supplier.supplier
    status_url = reverse("verification:status")

    submitted = supplier.client.post(status_url, licence_form())

    assert submitted["Location"] == status_url
    document = Certification.objects.get(supplier=profile)
    assert (document.kind, document.review_status, document.submitted_by) == ("licence", "pending", supplier.user)
    assert "verification_submitted" in kinds_for(staff.user)
    page = supplier.client.get(status_url).content.decode()
    assert "Business licence" in page
    assert 'data-review="pending"' in page

    queue = staff.client.get(reverse("verification:queue")).content.decode()
    assert f'data-document="{document.pk}"' in queue
    assert profile.name in queue
    review = staff.client.get(reverse("verification:review", kwargs={"pk": document.pk}))
    assert review.status_code == 200
    assert reverse("verification:document_file", kwargs={"pk": document.pk}) in review.content.decode()
    download = staff.client.get(reverse("verification:document_file", kwargs={"pk": document.pk}))
    assert b"".join(download.streaming_content) == PDF_BYTES

    approved = staff.client.post(reverse("verification:approve", kwargs={"pk": document.pk}))

    assert approved["Location"] == reverse("verification:queue")
    profile.refresh_from_db()
    assert profile.is_verified
    document.refresh_from_db()
    assert (document.review_status, document.reviewed_by) == ("approved", staff.user)
    assert actions_of(profile) == [Action.SUBMITTED, Action.APPROVED, Action.BADGE_GRANTED]
    assert kinds_for(supplier.user) == ["verification_approved", "verification_badge_granted"]
    assert f'data-document="{document.pk}"' not in staff.client.get(reverse("verification:queue")).content.decode()
    public = Client().get(reverse("suppliers:detail", kwargs={"pk": profile.pk})).content.decode()
    assert 'data-verification="verified"' in public
    assert "Business licence" in public


def test_an_approved_certificate_without_a_licence_does_not_earn_the_badge(staff: Actor) -> None:
    supplier = SupplierProfileFactory()
    document = DocumentFactory(supplier=supplier)

    certification_approve(certification=document, actor=staff.user)

    supplier.refresh_from_db()
    assert not supplier.is_verified
    assert Action.BADGE_GRANTED not in actions_of(supplier)


def test_the_supplier_page_shows_only_approved_current_documents() -> None:
    supplier = SupplierProfileFactory()
    ApprovedDocumentFactory(supplier=supplier, name="ISO 14001")
    DocumentFactory(supplier=supplier, name="Pending BSCI")
    DocumentFactory(supplier=supplier, name="Refused CE", review_status=Review.REJECTED)
    ApprovedDocumentFactory(
        supplier=supplier, name="Lapsed SA8000", expires_on=timezone.localdate() - timedelta(days=1)
    )

    page = Client().get(reverse("suppliers:detail", kwargs={"pk": supplier.pk})).content.decode()

    assert "ISO 14001" in page
    for hidden in ("Pending BSCI", "Refused CE", "Lapsed SA8000"):
        assert hidden not in page


# --- Rejection --------------------------------------------------------------------------------------


def test_a_rejected_document_tells_the_supplier_why_in_its_language(
    actors: dict[str, Actor], staff: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]  # prefers Chinese
    document = LicenceFactory(supplier=supplier.supplier)
    reason = "The scan is unreadable: please upload a sharper copy."

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.client.post(reverse("verification:reject", kwargs={"pk": document.pk}), {"reason": reason})

    assert answer["Location"] == reverse("verification:queue")
    document.refresh_from_db()
    assert (document.review_status, document.rejection_reason) == ("rejected", reason)
    event = VerificationEvent.objects.get(document=document, action=Action.REJECTED)
    assert (event.actor, event.reason) == (staff.user, reason)
    [message] = [m for m in mail.outbox if supplier.user.email in m.to]
    assert reason in message.body
    assert message.extra_headers["Content-Language"] == "zh-hans"
    page = supplier.client.get(reverse("verification:status")).content.decode()
    assert reason in page
    assert 'data-review="rejected"' in page


def test_a_rejection_needs_a_reason(actors: dict[str, Actor], staff: Actor) -> None:
    document = LicenceFactory(supplier=actors["supplier"].supplier)

    answer = staff.client.post(reverse("verification:reject", kwargs={"pk": document.pk}), {"reason": "   "})

    assert answer.status_code == 400
    assert "Say why" in answer.content.decode()
    document.refresh_from_db()
    assert document.review_status == Review.PENDING
    with pytest.raises(InvalidInput):
        certification_reject(certification=document, actor=staff.user, reason="")
    assert not VerificationEvent.objects.filter(document=document, action=Action.REJECTED).exists()


def test_a_document_is_reviewed_once(staff: Actor) -> None:
    document = LicenceFactory()
    certification_approve(certification=document, actor=staff.user)

    with pytest.raises(Conflict):
        certification_reject(certification=document, actor=staff.user, reason="Too late")
    with pytest.raises(Conflict):
        certification_approve(certification=document, actor=staff.user)

    answer = staff.client.post(reverse("verification:approve", kwargs={"pk": document.pk}), follow=True)
    assert "already reviewed" in answer.content.decode()
    assert VerificationEvent.objects.filter(document=document, action=Action.APPROVED).count() == 1


def test_only_staff_review(actors: dict[str, Actor]) -> None:
    document = LicenceFactory(supplier=actors["supplier"].supplier)
    with pytest.raises(PermissionDenied):
        certification_approve(certification=document, actor=actors["supplier"].user)
    assert (
        actors["supplier"].client.post(reverse("verification:approve", kwargs={"pk": document.pk})).status_code == 404
    )
    document.refresh_from_db()
    assert document.review_status == Review.PENDING


# --- Expiry -----------------------------------------------------------------------------------------


def test_the_supplier_is_warned_once_30_days_before_a_document_expires() -> None:
    today = timezone.localdate()
    supplier = verified_supplier(expires_in_days=30)
    member = member_of(supplier)
    later = ApprovedDocumentFactory(supplier=supplier, name="BSCI", expires_on=today + timedelta(days=31))

    first = certifications_expiry_run(today=today)
    second = certifications_expiry_run(today=today)

    assert first == {"warned": 1, "expired": 0}
    assert second == {"warned": 0, "expired": 0}
    assert kinds_for(member) == ["verification_expiry_warning"]
    warned = Certification.objects.get(supplier=supplier, name="ISO 9001")
    assert warned.expiry_warned_at is not None
    later.refresh_from_db()
    assert later.expiry_warned_at is None
    assert actions_of(supplier) == [Action.EXPIRY_WARNED]


def test_an_expired_certificate_drops_the_badge_until_it_is_renewed(actors: dict[str, Actor], staff: Actor) -> None:
    today = timezone.localdate()
    supplier = actors["supplier"]
    profile = supplier.supplier
    profile.verification_status = SupplierProfile.Verification.VERIFIED
    profile.save()
    ApprovedLicenceFactory(supplier=profile)
    ApprovedDocumentFactory(supplier=profile, name="ISO 9001", expires_on=today - timedelta(days=1))

    certifications_task_result = certifications_expiry_task.delay().get()

    assert certifications_task_result == {"warned": 0, "expired": 1}
    profile.refresh_from_db()
    assert not profile.is_verified
    assert actions_of(profile) == [Action.EXPIRED, Action.BADGE_REMOVED]
    assert kinds_for(supplier.user) == ["verification_expired", "verification_badge_removed"]
    assert certifications_expiry_run(today=today) == {"warned": 0, "expired": 0}

    supplier.client.post(reverse("verification:status"), certificate_form())
    renewal = Certification.objects.get(supplier=profile, review_status=Review.PENDING)
    certification_approve(certification=renewal, actor=staff.user)

    profile.refresh_from_db()
    assert profile.is_verified
    assert actions_of(profile)[-1] == Action.BADGE_GRANTED


def test_an_expired_business_licence_drops_the_badge() -> None:
    today = timezone.localdate()
    supplier = SupplierProfileFactory(verification_status=SupplierProfile.Verification.VERIFIED)
    ApprovedLicenceFactory(supplier=supplier, expires_on=today - timedelta(days=2))

    certifications_expiry_run(today=today)

    supplier.refresh_from_db()
    assert supplier.verification_status == SupplierProfile.Verification.PENDING


def test_the_badge_refresh_changes_nothing_when_the_rule_still_holds() -> None:
    supplier = verified_supplier()
    supplier_verification_refresh(supplier=supplier)
    supplier.refresh_from_db()
    assert supplier.is_verified
    assert actions_of(supplier) == []


# --- Deleting ---------------------------------------------------------------------------------------


def test_a_supplier_deletes_pending_and_rejected_documents_but_not_approved_ones(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    pending = DocumentFactory(supplier=supplier.supplier)
    rejected = DocumentFactory(supplier=supplier.supplier, review_status=Review.REJECTED)
    approved = ApprovedDocumentFactory(supplier=supplier.supplier)

    for document in (pending, rejected, approved):
        supplier.client.post(reverse("suppliers:certification_delete", kwargs={"pk": document.pk}))

    assert list(Certification.objects.filter(supplier=supplier.supplier)) == [approved]
    answer = supplier.client.post(reverse("suppliers:certification_delete", kwargs={"pk": approved.pk}), follow=True)
    assert "stays on record" in answer.content.decode()


def test_staff_deleting_an_approved_licence_removes_the_badge(staff: Actor) -> None:
    supplier = verified_supplier()
    licence = Certification.objects.get(supplier=supplier, kind="licence")

    certification_delete(supplier=supplier, certification_id=licence.pk, actor=staff.user)

    supplier.refresh_from_db()
    assert not supplier.is_verified
    assert actions_of(supplier) == [Action.BADGE_REMOVED]


# --- Privacy ----------------------------------------------------------------------------------------


def test_a_supplier_never_sees_another_suppliers_documents(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    theirs = DocumentFactory(supplier=actors["other_supplier"].supplier, name="Their secret licence")
    client = supplier.client

    assert "Their secret licence" not in client.get(reverse("verification:status")).content.decode()
    for name in ("verification:review", "verification:document_file"):
        assert client.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("suppliers:certification_file", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("verification:queue")).status_code == 404
    listed = client.get(reverse("api-verification-document-list")).json()
    assert [item["name"] for item in listed["results"]] == []


# --- Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (certificate_form(file=SimpleUploadedFile("iso.pdf", b"MZ\x90\x00 a program")), "file", "PDF"),
        (certificate_form(file=SimpleUploadedFile("notes.txt", b"just text")), "file", "PDF"),
        (certificate_form(expires_on=(timezone.localdate() - timedelta(days=1)).isoformat()), "expires_on", "expired"),
        (certificate_form(expires_on=""), "expires_on", "expires"),
        (certificate_form(kind="passport"), "kind", "valid choice"),
        (certificate_form(name=""), "name", "required"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_message(
    actors: dict[str, Actor], form: dict[str, object], field: str, message: str
) -> None:
    for value in form.values():
        if hasattr(value, "seek"):
            value.seek(0)
    answer = actors["supplier"].client.post(reverse("verification:status"), form)

    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Certification.objects.exists()


def test_a_licence_without_an_expiry_date_is_accepted_and_an_image_is_stored_as_what_it_is(
    actors: dict[str, Actor],
) -> None:
    scan = SimpleUploadedFile("licence.png", image_bytes(size=(300, 400), image_format="PNG"))
    actors["supplier"].client.post(reverse("verification:status"), licence_form(file=scan))
    document = Certification.objects.get()
    assert document.expires_on is None
    assert document.file.name.endswith(".png")


# --- The queue --------------------------------------------------------------------------------------


def test_the_queue_lists_pending_documents_oldest_first_and_filters_by_kind_and_belt(staff: Actor) -> None:
    baigou, taizhou = IndustrialBeltFactory(name_en="Baigou bags"), IndustrialBeltFactory(name_en="Taizhou plastics")
    old = LicenceFactory(supplier=SupplierProfileFactory(belt=baigou))
    new = DocumentFactory(supplier=SupplierProfileFactory(belt=taizhou))
    Certification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    ApprovedLicenceFactory(supplier=SupplierProfileFactory(belt=baigou))
    url = reverse("verification:queue")

    page = staff.client.get(url).content.decode()
    assert page.index(f'data-document="{old.pk}"') < page.index(f'data-document="{new.pk}"')
    assert page.count("data-document=") == 2
    licences = staff.client.get(url, {"kind": "licence"}).content.decode()
    assert f'data-document="{old.pk}"' in licences
    assert f'data-document="{new.pk}"' not in licences
    taizhou_page = staff.client.get(url, {"belt": taizhou.pk}).content.decode()
    assert f'data-document="{new.pk}"' in taizhou_page
    assert f'data-document="{old.pk}"' not in taizhou_page
    unknown = staff.client.get(url, {"kind": "passport", "belt": "x", "page": "0"})
    assert unknown.status_code == 200
    assert "showing all kinds" in unknown.content.decode()


def test_the_queue_makes_the_same_queries_for_any_page_size(staff: Actor) -> None:
    for _number in range(12):
        DocumentFactory(supplier=SupplierProfileFactory())
    url = reverse("verification:queue")

    assert_same_queries_for_page_sizes(lambda size: staff.client.get(url, {"page_size": size}), expected=7)


# --- API --------------------------------------------------------------------------------------------


def test_the_api_submits_lists_and_reviews_documents(actors: dict[str, Actor], staff: Actor) -> None:
    supplier = actors["supplier"]
    url = reverse("api-verification-document-list")

    created = supplier.client.post(url, licence_form())

    assert created.status_code == 201
    body = created.json()
    assert (body["kind"], body["review_status"]) == ("licence", "pending")
    assert [item["id"] for item in supplier.client.get(url).json()["results"]] == [body["id"]]
    refused = staff.client.post(
        reverse("api-verification-document-reject", kwargs={"pk": body["id"]}),
        {"reason": ""},
        content_type="application/json",
    )
    assert refused.status_code == 400
    approve_url = reverse("api-verification-document-approve", kwargs={"pk": body["id"]})
    assert supplier.client.post(approve_url).status_code == 404
    assert staff.client.post(approve_url).json()["review_status"] == "approved"
    assert staff.client.post(approve_url).status_code == 409
    supplier.supplier.refresh_from_db()
    assert supplier.supplier.is_verified


def test_the_api_refuses_a_bad_document_field_by_field(actors: dict[str, Actor]) -> None:
    answer = actors["supplier"].client.post(
        reverse("api-verification-document-list"), certificate_form(file=SimpleUploadedFile("a.exe", b"MZ\x90"))
    )
    assert answer.status_code == 400
    assert "file" in answer.json()["error"]["fields"]


# --- Notifications ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "verification_submitted",
        "verification_approved",
        "verification_rejected",
        "verification_expiry_warning",
        "verification_expired",
        "verification_badge_granted",
        "verification_badge_removed",
    ],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_verification_notification_has_its_own_text(kind: str, language: str) -> None:
    context = {
        "supplier": "Xinda Bags",
        "document": "ISO 9001",
        "issuer": "SGS",
        "kind": "certification",
        "expires_on": "2027-01-31",
        "reason": "Unreadable scan",
    }
    notification = NotificationFactory(kind=kind, context=context)

    rendered = notification_render(notification=notification, language=language)

    assert "Xinda Bags" in rendered.subject + rendered.body
    assert "\n" not in rendered.subject
    if kind == "verification_rejected":
        assert "Unreadable scan" in rendered.body


# --- Demo -------------------------------------------------------------------------------------------


def test_the_demo_has_a_review_queue_a_rejection_and_a_certificate_about_to_expire(
    staff: Actor, settings: Any, tmp_path: Any
) -> None:
    from marketplace.demo.accounts import SUPPLIER
    from marketplace.demo.seed import seed_demo
    from suppliers.demo.factories import seed_demo_suppliers
    from suppliers.demo.verification import seed_demo_verification

    settings.MEDIA_ROOT = tmp_path
    seed_demo(password="demo-password-123")
    seed_demo_suppliers(password="demo-password-123")

    created = seed_demo_verification()

    assert created > 0
    assert seed_demo_verification() == 0
    assert Certification.objects.filter(review_status=Review.PENDING).count() >= 3
    rejected = Certification.objects.get(review_status=Review.REJECTED)
    assert "cut off" in rejected.rejection_reason
    expiring = Certification.objects.get(supplier__company__name=SUPPLIER.company, kind="certification")
    assert 19 <= (expiring.expires_on - timezone.localdate()).days <= 21
    assert expiring.expiry_warned_at is not None
    assert certifications_expiry_run(today=timezone.localdate()) == {"warned": 0, "expired": 0}
    for supplier in SupplierProfile.objects.filter(verification_status="verified"):
        supplier_verification_refresh(supplier=supplier)
        supplier.refresh_from_db()
        assert supplier.is_verified, supplier.name
    page = staff.client.get(reverse("verification:queue")).content.decode()
    assert page.count("data-document=") >= 3
