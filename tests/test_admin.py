"""The Django admin covers every model of the four apps: each list, one change page and the search
answer a superuser with data present; the review, invitation and belt actions go through the
services (recorded, notified), and rejecting a document asks for its reason."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import BeltEvent, IndustrialBelt, Notification
from suppliers.models import Certification, FactoryInvitation, VerificationEvent
from tests.admin_rows import a_row_of_every_model
from tests.factories import (
    IndustrialBeltFactory,
    StaffFactory,
    UserFactory,
)
from tests.suppliers.factories_profile import (
    CertificationFactory,
)
from tests.suppliers.factories_staff import (
    FactoryInvitationFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("marketplace", "suppliers", "buyers", "orders")
# Not staff screens on purpose: the search table is an unmanaged, PostgreSQL-only copy of the
# products (kept by triggers; SQLite has no such table), searched through the products' admin.
NOT_IN_THE_ADMIN = {"suppliers.ProductSearchRow"}


def our_models() -> list[type[models.Model]]:
    return [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in NOT_IN_THE_ADMIN
    ]


@pytest.fixture
def superuser_client() -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def world(actors: dict) -> dict:
    return a_row_of_every_model(actors)


def test_every_model_of_our_apps_is_in_the_admin() -> None:
    missing = [model._meta.label for model in our_models() if not admin.site.is_registered(model)]
    assert not missing, f"models without a staff screen: {missing}"


def test_every_list_one_change_page_and_the_search_answer_a_superuser(superuser_client: Client, world: dict) -> None:
    empty = []
    for model in our_models():
        if not admin.site.is_registered(model):
            continue  # the test above names it
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        response = superuser_client.get(changelist)
        assert response.status_code == 200, f"{changelist}: {response.status_code}"
        model_admin = admin.site.get_model_admin(model)
        if model_admin.search_fields:
            response = superuser_client.get(changelist, {"q": "Zibo 丁腈"})
            assert response.status_code == 200, f"search {changelist}: {response.status_code}"
        if model_admin.date_hierarchy:
            year = timezone.now().year
            hierarchy = model_admin.date_hierarchy
            response = superuser_client.get(changelist, {f"{hierarchy}__year": year})
            assert response.status_code == 200, f"{changelist} by year: {response.status_code}"
        row = model._default_manager.order_by("pk").first()
        if row is None:
            empty.append(model._meta.label)
            continue
        change = reverse("admin:{}_{}_change".format(*info), args=[row.pk])
        response = superuser_client.get(change)
        assert response.status_code == 200, f"{change}: {response.status_code}"
    assert not empty, f"no row to open for {empty}"


def test_the_search_finds_what_staff_type(superuser_client: Client, world: dict) -> None:
    url = reverse("admin:suppliers_factoryinvitation_changelist")
    response = superuser_client.get(url, {"q": "Nitrile Works"})
    assert "Zibo Nitrile Works" in response.content.decode()
    response = superuser_client.get(url, {"q": "no such factory"})
    assert "Zibo Nitrile Works" not in response.content.decode()

    response = superuser_client.get(reverse("admin:suppliers_certification_changelist"), {"q": "licence Anbao"})
    assert "Business licence Anbao" in response.content.decode()


def test_the_review_queue_filter_lists_pending_documents(superuser_client: Client) -> None:
    CertificationFactory(name="Pending ISO 9001")
    CertificationFactory(name="Approved BSCI", review_status=Certification.Review.APPROVED)
    response = superuser_client.get(
        reverse("admin:suppliers_certification_changelist"), {"review_status__exact": "pending"}
    )
    html = response.content.decode()
    assert "Pending ISO 9001" in html
    assert "Approved BSCI" not in html


def _action(client: Client, url_name: str, action: str, pks: list[int], **extra: str) -> object:
    return client.post(
        reverse(url_name), {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}, follow=True
    )


def test_approving_from_the_admin_goes_through_the_verification_service(superuser_client: Client) -> None:
    document = CertificationFactory(name="Business licence")

    response = _action(superuser_client, "admin:suppliers_certification_changelist", "approve", [document.pk])

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.review_status == Certification.Review.APPROVED
    assert document.reviewed_by is not None
    assert VerificationEvent.objects.filter(document=document, action=VerificationEvent.Action.APPROVED).exists()
    assert "1 document approved." in response.content.decode()


def test_rejecting_from_the_admin_asks_for_a_reason_first(superuser_client: Client) -> None:
    document = CertificationFactory(name="Blurry licence scan")
    url = "admin:suppliers_certification_changelist"

    response = _action(superuser_client, url, "reject", [document.pk])
    html = response.content.decode()
    assert "Reason for rejection" in html
    assert "Blurry licence scan" in html
    document.refresh_from_db()
    assert document.review_status == Certification.Review.PENDING

    response = _action(superuser_client, url, "reject", [document.pk], confirm_reject="yes", reason="  ")
    assert "This field is required." in response.content.decode()
    document.refresh_from_db()
    assert document.review_status == Certification.Review.PENDING

    response = _action(
        superuser_client, url, "reject", [document.pk], confirm_reject="yes", reason="The scan is unreadable."
    )
    document.refresh_from_db()
    assert document.review_status == Certification.Review.REJECTED
    assert document.rejection_reason == "The scan is unreadable."
    assert VerificationEvent.objects.filter(document=document, action=VerificationEvent.Action.REJECTED).exists()
    assert "1 document rejected." in response.content.decode()


def test_a_document_already_reviewed_is_not_reviewed_twice(superuser_client: Client) -> None:
    document = CertificationFactory(review_status=Certification.Review.APPROVED)
    response = _action(superuser_client, "admin:suppliers_certification_changelist", "approve", [document.pk])
    assert response.status_code == 200
    assert "approved." not in response.content.decode()
    assert not VerificationEvent.objects.filter(document=document).exists()


def test_resending_an_invitation_from_the_admin_sends_a_new_link(
    superuser_client: Client, django_capture_on_commit_callbacks: object
) -> None:
    invitation = FactoryInvitationFactory(language="en")
    old_nonce = invitation.token_nonce

    with django_capture_on_commit_callbacks(execute=True):
        response = _action(superuser_client, "admin:suppliers_factoryinvitation_changelist", "resend", [invitation.pk])

    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.token_nonce != old_nonce
    assert [message.to for message in mail.outbox] == [[invitation.email]]


def test_a_claimed_invitation_is_not_sent_again(
    superuser_client: Client, django_capture_on_commit_callbacks: object
) -> None:
    invitation = FactoryInvitationFactory(claimed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(superuser_client, "admin:suppliers_factoryinvitation_changelist", "resend", [invitation.pk])
    assert "already claimed" in response.content.decode()
    assert response.status_code == 200
    assert not mail.outbox
    assert FactoryInvitation.objects.get(pk=invitation.pk).token_nonce == invitation.token_nonce


def test_moving_a_belt_from_the_admin_records_the_transition(superuser_client: Client) -> None:
    belt = IndustrialBeltFactory(status=IndustrialBelt.Status.DRAFT)

    _action(superuser_client, "admin:marketplace_industrialbelt_changelist", "move_to_onboarding", [belt.pk])

    belt.refresh_from_db()
    assert belt.status == IndustrialBelt.Status.ONBOARDING
    event = BeltEvent.objects.get(belt=belt)
    assert (event.from_status, event.to_status) == ("draft", "onboarding")
    assert event.actor is not None


def test_giving_a_belt_a_manager_in_the_admin_tells_them(superuser_client: Client) -> None:
    belt = IndustrialBeltFactory(status=IndustrialBelt.Status.ONBOARDING)
    manager = UserFactory()
    data = {
        "name_en": belt.name_en,
        "name_zh": belt.name_zh,
        "slug": belt.slug,
        "province": belt.province,
        "city": belt.city,
        "number_of_firms": "1000",
        "managers": [str(manager.pk)],
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }

    response = superuser_client.post(reverse("admin:marketplace_industrialbelt_change", args=[belt.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(belt.managers.all()) == [manager]
    assert Notification.objects.filter(recipient=manager, kind="belt_manager_added").exists()
