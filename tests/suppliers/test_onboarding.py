"""Belt onboarding: staff import a belt's factories, each gets a signed link, claims its account; reminders."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import IndustrialBelt, Membership, User
from suppliers.models import FactoryImport, FactoryInvitation, ProductLineCapacity, SupplierProfile
from suppliers.selectors.funnel import belt_funnel
from suppliers.services.onboarding import (
    factory_import_run,
    factory_invitation_token,
    factory_invitations_remind,
)
from suppliers.tasks.onboarding import factory_invitation_enqueue_email
from suppliers.views import onboarding as onboarding_views
from tests.factories import CategoryFactory, StaffFactory, UserFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.builders_onboarding import factory_csv, factory_row, factory_xlsx
from tests.suppliers.factories_onboarding import FactoryInvitationFactory, OnboardingBeltFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/onboarding/claim/\S+/")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def luggage(db: None) -> Any:
    return CategoryFactory(slug="luggage", name_en="Luggage & travel bags", name_zh="旅行箱包")


@pytest.fixture
def backpacks(db: None) -> Any:
    return CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="双肩包")


@pytest.fixture
def belt(luggage: Any, backpacks: Any) -> IndustrialBelt:
    return OnboardingBeltFactory(slug="pinghu-luggage", name_en="Pinghu luggage", name_zh="平湖箱包")


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


def upload(client: Client, belt: IndustrialBelt, content: bytes, capture: Any, name: str = "factories.csv") -> Any:
    """Upload a factory list; the import task and the e-mail tasks run when the request commits."""
    with capture(execute=True):
        return client.post(
            reverse("onboarding:import_list", args=[belt.slug]), {"file": SimpleUploadedFile(name, content)}
        )


def latest_import(belt: IndustrialBelt) -> FactoryImport:
    return FactoryImport.objects.filter(belt=belt).latest("id")


def link_in(message: Any) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return urlsplit(found.group(0)).path


def claim_data(**values: Any) -> dict[str, Any]:
    data = {
        "company_name": "Pinghu Hengda Luggage Co., Ltd.",
        "name": "Li Wei",
        "phone": "+86 573 8512 0001",
        "city": "Pinghu",
        "main_categories": [],
        "monthly_capacity": "60000",
        "business_type": "manufacturer",
        "preferred_language": "zh-hans",
        "password1": "a-long-factory-password",
        "password2": "a-long-factory-password",
    }
    data.update(values)
    return data


# --- Importing ---------------------------------------------------------------------------------------


def test_a_csv_of_factories_invites_every_row_and_emails_each_a_working_link(
    staff: Client, belt: IndustrialBelt, luggage: Any, backpacks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [
        factory_row("li.wei@hengda-luggage.cn"),
        factory_row(
            "Wang.Fang@Meida-Bags.cn",
            company="平湖美达箱包有限公司",
            contact_name="王芳",
            categories="旅行箱包、Backpacks",
            monthly_capacity="120,000",
            language="en",
        ),
    ]

    response = upload(staff, belt, factory_csv(rows), django_capture_on_commit_callbacks)

    factory_import = latest_import(belt)
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:import_detail", args=[factory_import.pk])
    assert (factory_import.status, factory_import.total_rows, factory_import.processed_rows) == ("done", 2, 2)
    assert factory_import.invited_count == 2
    assert factory_import.errors == []
    second = FactoryInvitation.objects.get(email="wang.fang@meida-bags.cn")
    assert (second.company_name, second.contact_name, second.monthly_capacity) == (
        "平湖美达箱包有限公司",
        "王芳",
        120_000,
    )
    assert set(second.categories.all()) == {luggage, backpacks}
    assert second.language == "en"
    assert second.belt == belt
    assert second.expires_at > timezone.now() + timedelta(days=29)

    assert sorted(message.to[0] for message in mail.outbox) == ["li.wei@hengda-luggage.cn", "wang.fang@meida-bags.cn"]
    english = next(message for message in mail.outbox if message.to == ["wang.fang@meida-bags.cn"])
    assert "Pinghu luggage" in english.subject
    page = Client().get(link_in(english))
    assert page.status_code == 200
    assert "平湖美达箱包有限公司" in page.content.decode()

    detail = staff.get(response["Location"]).content.decode()
    assert "2 factories invited" in detail


def test_an_xlsx_with_chinese_column_names_imports_like_a_csv(
    staff: Client, belt: IndustrialBelt, luggage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    columns = ["公司名称", "联系人", "邮箱", "电话", "主营类目", "月产能"]
    values = {
        "公司名称": "平湖恒达箱包厂",
        "联系人": "李伟",
        "邮箱": "liwei@hengda.cn",
        "电话": "0573-85120001",
        "主营类目": "旅行箱包",
        "月产能": 80000,
    }

    upload(staff, belt, factory_xlsx([values], columns=columns), django_capture_on_commit_callbacks, "工厂.xlsx")

    factory_import = latest_import(belt)
    assert (factory_import.file_format, factory_import.status, factory_import.invited_count) == ("xlsx", "done", 1)
    invitation = FactoryInvitation.objects.get(email="liwei@hengda.cn")
    assert (invitation.company_name, invitation.phone, invitation.monthly_capacity) == (
        "平湖恒达箱包厂",
        "0573-85120001",
        80_000,
    )
    assert list(invitation.categories.all()) == [luggage]
    assert invitation.language == "zh-hans", "the belts' factories get Chinese unless the file says otherwise"
    assert len(mail.outbox) == 1


def test_every_bad_row_is_reported_with_its_number_and_the_good_rows_are_still_invited(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    FactoryInvitationFactory(email="invited@before.cn")
    UserFactory(email="has-an-account@factory.cn")
    rows = [
        factory_row("good@factory.cn"),  # row 2
        factory_row("not-an-address"),  # row 3
        factory_row("good@factory.cn", company="Copy"),  # row 4: duplicate of row 2
        factory_row("bags@factory.cn", categories="luggage; space-suits"),  # row 5
        factory_row("cap@factory.cn", monthly_capacity="-5"),  # row 6
        factory_row("half@factory.cn", monthly_capacity="1.5"),  # row 7
        factory_row("INVITED@before.cn"),  # row 8
        factory_row("has-an-account@factory.cn"),  # row 9
        factory_row("nobody@factory.cn", contact_name="", categories=""),  # row 10
        factory_row("also-good@factory.cn", categories="backpacks"),  # row 11
    ]

    upload(staff, belt, factory_csv(rows), django_capture_on_commit_callbacks)

    factory_import = latest_import(belt)
    assert factory_import.status == "done"
    assert factory_import.invited_count == 2
    assert sorted(FactoryInvitation.objects.filter(belt=belt).values_list("email", flat=True)) == [
        "also-good@factory.cn",
        "good@factory.cn",
    ]
    problems = {entry["row"]: [p["message"] for p in entry["problems"]] for entry in factory_import.errors}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert problems[3] == ["“not-an-address” is not a valid e-mail address."]
    assert problems[4] == ["The e-mail address good@factory.cn is already on row 2."]
    assert "Unknown category “space-suits”" in problems[5][0]
    assert problems[6] == ["Enter a positive whole number."]  # as the claim form says it
    assert problems[7] == ["The monthly capacity must be a whole number."]
    assert problems[8] == ["This e-mail address was already invited."]
    assert "already an account" in problems[9][0]
    assert problems[10] == ["The contact name is missing.", "Name at least one category the factory makes."]
    assert len(mail.outbox) == 2

    page = staff.get(reverse("onboarding:import_detail", args=[factory_import.pk])).content.decode()
    assert 'data-row="5"' in page
    assert "space-suits" in page


def test_the_rows_with_problems_download_as_a_csv_that_can_be_corrected_and_uploaded_again(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [factory_row("ok@factory.cn"), factory_row("=cmd|' /C calc'!A0", company="Evil")]
    upload(staff, belt, factory_csv(rows), django_capture_on_commit_callbacks)
    factory_import = latest_import(belt)

    response = staff.get(reverse("onboarding:import_errors", args=[factory_import.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == [
        "row",
        "company",
        "contact_name",
        "email",
        "phone",
        "categories",
        "monthly_capacity",
        "language",
        "problems",
    ]
    assert lines[1][0] == "3"
    assert lines[1][1] == "Evil"
    assert lines[1][3].startswith("'="), "a cell that starts like a formula is written as text"
    assert "not a valid e-mail address" in lines[1][-1]
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The submitted file is empty."),
        (b"\n\n  \n", "blank.csv", "The file is empty."),
        (b"company,contact_name,email,phone\n", "header.csv", "The file has no column categories."),
        (b"company,contact_name,email,categories\n", "no-rows.csv", "The file has column names but no factories."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.csv", "This file is neither a CSV nor an XLSX file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "old Excel (.xls) file"),
        (b"PK\x03\x04broken zip", "broken.xlsx", "This file is not an XLSX workbook we can read."),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_clear_message(
    staff: Client,
    belt: IndustrialBelt,
    django_capture_on_commit_callbacks: Any,
    content: bytes,
    name: str,
    message: str,
) -> None:
    response = upload(staff, belt, content, django_capture_on_commit_callbacks, name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FactoryImport.objects.exists()


def test_a_draft_belt_cannot_invite_factories_yet(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    IndustrialBelt.objects.filter(pk=belt.pk).update(status=IndustrialBelt.Status.DRAFT)

    response = upload(staff, belt, factory_csv([factory_row()]), django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert "still a draft" in response.content.decode()
    assert not FactoryInvitation.objects.exists()


def test_the_progress_fragment_polls_while_the_import_runs_and_stops_when_it_is_done(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No worker yet.
    monkeypatch.setattr("suppliers.services.onboarding_queue.factory_import_enqueue_run", lambda import_id: None)
    upload(
        staff,
        belt,
        factory_csv([factory_row(f"f{n}@factory.cn") for n in range(4)]),
        django_capture_on_commit_callbacks,
    )
    factory_import = latest_import(belt)
    FactoryImport.objects.filter(pk=factory_import.pk).update(status="running", processed_rows=1)
    url = reverse("onboarding:import_progress", args=[factory_import.pk])

    running = staff.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in running
    assert '<progress value="1" max="4"' in running
    assert "25%" in running

    FactoryImport.objects.filter(pk=factory_import.pk).update(status="queued", processed_rows=0)
    with django_capture_on_commit_callbacks(execute=True):
        factory_import_run(import_id=factory_import.pk, queue_email=factory_invitation_enqueue_email)
    done = staff.get(url).content.decode()

    assert "hx-trigger" not in done
    assert '<progress value="4" max="4"' in done
    assert "4 factories invited" in done


def test_the_import_runs_once_when_its_task_is_delivered_twice(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    upload(staff, belt, factory_csv([factory_row("a@f.cn"), factory_row("b@f.cn")]), django_capture_on_commit_callbacks)
    factory_import = latest_import(belt)

    with django_capture_on_commit_callbacks(execute=True):
        again = factory_import_run(import_id=factory_import.pk, queue_email=factory_invitation_enqueue_email)

    assert again is None
    assert FactoryInvitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_an_import_reclaimed_after_a_lost_worker_counts_its_own_invitations_once(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    upload(staff, belt, factory_csv([factory_row("a@f.cn"), factory_row("b@f.cn")]), django_capture_on_commit_callbacks)
    factory_import = latest_import(belt)
    FactoryImport.objects.filter(pk=factory_import.pk).update(
        status="running", started_at=timezone.now() - timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = factory_import_run(import_id=factory_import.pk, queue_email=factory_invitation_enqueue_email)

    assert result is not None
    assert (result.status, result.invited_count, result.errors) == ("done", 2, [])
    assert len(mail.outbox) == 2, "no second e-mail"


def test_an_unexpected_error_marks_the_import_failed_with_the_reason(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("suppliers.services.onboarding_queue.factory_import_enqueue_run", lambda import_id: None)
    upload(staff, belt, factory_csv([factory_row()]), django_capture_on_commit_callbacks)
    factory_import = latest_import(belt)
    factory_import.file.storage.delete(factory_import.file.name)

    result = factory_import_run(import_id=factory_import.pk, queue_email=factory_invitation_enqueue_email)

    assert result is not None
    assert result.status == "failed"
    assert "unexpected error" in result.failure_reason
    page = staff.get(reverse("onboarding:import_progress", args=[factory_import.pk])).content.decode()
    assert "Failed" in page


def test_the_sample_file_uses_the_belts_specialties_and_imports_cleanly(
    staff: Client, belt: IndustrialBelt, luggage: Any, backpacks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    belt.specialties.set([luggage, backpacks])
    response = staff.get(reverse("onboarding:import_sample", args=[belt.slug]))
    content = b"".join(response.streaming_content)
    assert b"luggage" in content

    upload(staff, belt, content, django_capture_on_commit_callbacks, "sample.csv")

    factory_import = latest_import(belt)
    assert (factory_import.invited_count, factory_import.errors) == (3, [])


# --- Claiming --------------------------------------------------------------------------------------


def test_a_factory_claims_its_account_from_the_link_with_its_profile_prefilled(
    belt: IndustrialBelt, luggage: Any, backpacks: Any
) -> None:
    invitation = FactoryInvitationFactory(
        belt=belt, company_name="Pinghu Hengda Luggage Co., Ltd.", contact_name="Li Wei", categories=[luggage]
    )
    url = reverse("onboarding:claim", args=[factory_invitation_token(invitation)])
    client = Client()

    page = client.get(url).content.decode()
    assert 'value="Pinghu Hengda Luggage Co., Ltd."' in page
    assert 'value="Li Wei"' in page
    assert invitation.email in page
    assert 'value="50000"' in page
    assert f'value="{luggage.pk}" selected' in page

    response = client.post(url, claim_data(main_categories=[luggage.pk, backpacks.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:profile_edit")
    user = User.objects.get(email=invitation.email)
    assert (user.name, user.preferred_language) == ("Li Wei", "zh-hans")
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    profile = SupplierProfile.objects.get(company=membership.company)
    assert (profile.belt, profile.province, profile.city) == (belt, belt.province, "Pinghu")
    assert profile.verification_status == SupplierProfile.Verification.PENDING
    assert set(profile.main_categories.all()) == {luggage, backpacks}
    capacity = ProductLineCapacity.objects.get(supplier=profile)
    assert (capacity.category, capacity.monthly_capacity) == (luggage, 60_000)
    invitation.refresh_from_db()
    assert invitation.claimed_at is not None
    assert invitation.supplier == profile
    assert client.get(reverse("suppliers:profile_edit")).status_code == 200, "the factory is logged in"
    assert belt_funnel(belt).claimed == 1


def test_a_claim_with_bad_input_says_what_to_fix_and_opens_nothing(belt: IndustrialBelt, luggage: Any) -> None:
    invitation = FactoryInvitationFactory(belt=belt, categories=[luggage], language="en")  # the page speaks it
    url = reverse("onboarding:claim", args=[factory_invitation_token(invitation)])

    response = Client().post(url, claim_data(main_categories=[], password2="something-else", monthly_capacity="0"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one category you make or sell." in page
    assert "The two passwords do not match." in page
    assert "Enter a positive whole number." in page
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_tampered_link_is_refused(belt: IndustrialBelt) -> None:
    invitation = FactoryInvitationFactory(belt=belt)
    token = factory_invitation_token(invitation)
    forged = token.replace(token.split(":")[0], "eyJpIjoxLCJuIjoiYWJjIn0")

    for bad in (token + "x", forged, "nonsense"):
        response = Client().get(reverse("onboarding:claim", args=[bad]))
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.content.decode()


def test_an_expired_link_says_to_ask_for_a_new_one(belt: IndustrialBelt, luggage: Any) -> None:
    invitation = FactoryInvitationFactory(belt=belt, categories=[luggage])
    url = reverse("onboarding:claim", args=[factory_invitation_token(invitation)])
    FactoryInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    for response in (Client().get(url), Client().post(url, claim_data(main_categories=[luggage.pk]))):
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert "SourceBelt team for a new link" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_claimed_link_cannot_open_a_second_account(belt: IndustrialBelt, luggage: Any) -> None:
    invitation = FactoryInvitationFactory(belt=belt, categories=[luggage])
    url = reverse("onboarding:claim", args=[factory_invitation_token(invitation)])
    assert Client().post(url, claim_data(main_categories=[luggage.pk])).status_code == 302

    again = Client().post(url, claim_data(main_categories=[luggage.pk], company_name="Second"))

    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert SupplierProfile.objects.filter(belt=belt).count() == 1


def test_a_withdrawn_invitation_link_stops_working(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = FactoryInvitationFactory(belt=belt)
    url = reverse("onboarding:claim", args=[factory_invitation_token(invitation)])

    response = staff.post(reverse("onboarding:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 302
    assert "withdrawn" in Client().get(url).content.decode()
    assert Client().get(url).status_code == 404
    assert staff.post(reverse("onboarding:invitation_resend", args=[invitation.pk]), follow=True).status_code == 200
    assert not mail.outbox, "a withdrawn invitation is not sent again"


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    staff: Client, belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = FactoryInvitationFactory(belt=belt, sent_at=timezone.now() - timedelta(days=40))
    FactoryInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=10))
    old = reverse("onboarding:claim", args=[factory_invitation_token(invitation)])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("onboarding:invitation_resend", args=[invitation.pk]), follow=True)

    assert f"A new link was sent to {invitation.email}" in response.content.decode()
    assert len(mail.outbox) == 1
    assert Client().get(link_in(mail.outbox[0])).status_code == 200
    stale = Client().get(old)
    assert stale.status_code == 410
    assert "replaced by a newer one" in stale.content.decode()


# --- Reminders -------------------------------------------------------------------------------------


def test_unclaimed_factories_are_reminded_once_per_period_with_a_fresh_link(
    belt: IndustrialBelt, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.FACTORY_INVITATION_REMIND_AFTER_DAYS = 7
    settings.FACTORY_INVITATION_MAX_REMINDERS = 2
    now = timezone.now()
    due = FactoryInvitationFactory(belt=belt, sent_at=now - timedelta(days=8), language="en")
    FactoryInvitationFactory(belt=belt, sent_at=now - timedelta(days=3))  # too recent
    FactoryInvitationFactory(belt=belt, sent_at=now - timedelta(days=8), claimed_at=now)  # claimed
    FactoryInvitationFactory(belt=belt, sent_at=now - timedelta(days=8), revoked_at=now)  # withdrawn
    FactoryInvitationFactory(belt=belt, sent_at=now - timedelta(days=30), reminder_count=2)  # reminded enough
    old_link = reverse("onboarding:claim", args=[factory_invitation_token(due)])

    with django_capture_on_commit_callbacks(execute=True):
        first = factory_invitations_remind(queue_email=factory_invitation_enqueue_email)
    with django_capture_on_commit_callbacks(execute=True):
        second = factory_invitations_remind(queue_email=factory_invitation_enqueue_email)  # a second run the same day

    assert (first, second) == (1, 0)
    assert [message.to for message in mail.outbox] == [[due.email]]
    assert "Reminder" in mail.outbox[0].subject
    assert Client().get(link_in(mail.outbox[0])).status_code == 200
    assert Client().get(old_link).status_code == 410
    due.refresh_from_db()
    assert due.reminder_count == 1

    for days in (8, 30, 60):
        with django_capture_on_commit_callbacks(execute=True):
            factory_invitations_remind(queue_email=factory_invitation_enqueue_email, now=now + timedelta(days=days))
    due.refresh_from_db()
    assert due.reminder_count == 2, "at most FACTORY_INVITATION_MAX_REMINDERS reminders"
    assert [message.to for message in mail.outbox].count([due.email]) == 2


def test_the_reminder_task_runs_from_the_beat_schedule(belt: IndustrialBelt, settings: Any) -> None:
    from suppliers.tasks.onboarding import factory_invitations_remind_task

    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == factory_invitations_remind_task.name
    )
    FactoryInvitationFactory(belt=belt, sent_at=timezone.now() - timedelta(days=30))

    assert entry["task"] == "suppliers.tasks_onboarding.factory_invitations_remind_task"
    assert factory_invitations_remind_task.delay().get() == 1


# --- Who may see what ------------------------------------------------------------------------------


def test_a_belt_manager_runs_their_belt_but_gets_404_for_another_belt(
    belt: IndustrialBelt, django_capture_on_commit_callbacks: Any
) -> None:
    manager = UserFactory()
    belt.managers.add(manager)
    client = Client()
    client.force_login(manager)
    other_belt = OnboardingBeltFactory()
    others = FactoryImport.objects.create(
        belt=other_belt, file="belt-imports/x.csv", original_name="theirs.csv", file_format="csv", status="done"
    )
    their_invitation = FactoryInvitationFactory(belt=other_belt)

    upload(client, belt, factory_csv([factory_row("mine@factory.cn")]), django_capture_on_commit_callbacks)
    mine = latest_import(belt)

    assert client.get(reverse("onboarding:import_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("onboarding:invitation_list", args=[belt.slug])).status_code == 200
    for name, args in [
        ("onboarding:import_list", [other_belt.slug]),
        ("onboarding:invitation_list", [other_belt.slug]),
        ("onboarding:import_sample", [other_belt.slug]),
        ("onboarding:import_detail", [others.pk]),
        ("onboarding:import_progress", [others.pk]),
        ("onboarding:import_errors", [others.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("onboarding:invitation_resend", "onboarding:invitation_revoke"):
        assert client.post(reverse(name, args=[their_invitation.pk])).status_code == 404
    their_invitation.refresh_from_db()
    assert their_invitation.revoked_at is None
    assert mail.outbox[0].to == ["mine@factory.cn"]
    assert len(mail.outbox) == 1


def test_the_invitations_list_filters_by_state(staff: Client, belt: IndustrialBelt) -> None:
    now = timezone.now()
    invited = FactoryInvitationFactory(belt=belt, company_name="Waiting Co")
    FactoryInvitationFactory(belt=belt, company_name="Claimed Co", claimed_at=now)
    FactoryInvitationFactory(belt=belt, company_name="Late Co", expires_at=now - timedelta(days=1))
    FactoryInvitationFactory(belt=belt, company_name="Gone Co", revoked_at=now)
    url = reverse("onboarding:invitation_list", args=[belt.slug])

    every = staff.get(url).content.decode()
    waiting = staff.get(url, {"state": "invited"}).content.decode()
    expired = staff.get(url, {"state": "expired"}).content.decode()
    claimed = staff.get(url, {"state": "claimed"}).content.decode()

    assert all(name in every for name in ("Waiting Co", "Claimed Co", "Late Co", "Gone Co"))
    assert "Waiting Co" in waiting
    assert "Late Co" not in waiting
    assert "Claimed Co" not in waiting
    assert f'data-invitation="{invited.pk}"' in waiting
    assert "Late Co" in expired
    assert "Waiting Co" not in expired
    assert "Claimed Co" in claimed
    assert "Send a new link" not in claimed
    assert staff.get(url, {"state": "bogus"}).status_code == 200


def test_the_invitations_list_makes_the_same_queries_for_two_page_sizes(
    staff: Client, belt: IndustrialBelt, luggage: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _n in range(12):
        FactoryInvitationFactory(belt=belt, categories=[luggage])

    def fetch(size: int) -> Any:
        monkeypatch.setattr(onboarding_views, "INVITATIONS_PAGE_SIZE", size)
        response = staff.get(reverse("onboarding:invitation_list", args=[belt.slug]))
        assert response.content.decode().count("data-invitation=") == size
        return response

    assert_same_queries_for_page_sizes(fetch)


def test_the_import_history_makes_the_same_queries_for_two_page_sizes(
    staff: Client, belt: IndustrialBelt, monkeypatch: pytest.MonkeyPatch
) -> None:
    FactoryImport.objects.bulk_create(
        FactoryImport(belt=belt, file="belt-imports/x.csv", original_name=f"file-{n}.csv", file_format="csv")
        for n in range(12)
    )

    def fetch(size: int) -> Any:
        monkeypatch.setattr(onboarding_views, "HISTORY_PAGE_SIZE", size)
        response = staff.get(reverse("onboarding:import_list", args=[belt.slug]))
        assert response.content.decode().count("file-") == size
        return response

    assert_same_queries_for_page_sizes(fetch)
