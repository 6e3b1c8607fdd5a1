"""Sign-ups never confirmed are removed once old, with the company only they belonged to; nothing
else is: confirmed accounts, invited ones, recent ones, one whose link still works, one that holds
anything beyond its sign-up."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import ApiToken, Company, Membership, User
from marketplace.services.account_emails import signup_confirmation_tokens
from marketplace.services.notifications import notify
from marketplace.services.unconfirmed_accounts import unconfirmed_signup_age, unconfirmed_signups_discard
from marketplace.tasks.accounts import signup_confirmation_send_task
from marketplace.tasks.unconfirmed_accounts import unconfirmed_signups_discard_task
from suppliers.models import SupplierProfile
from tests.factories import CategoryFactory, CurrencyFactory, IndustrialBeltFactory, MembershipFactory, UserFactory
from tests.mailbox import emails_to, link_in
from tests.marketplace.test_accounts_signup import buyer_form
from tests.suppliers.test_supplier_signup import supplier_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)


def sign_up(capture: Any, email: str, *, days_ago: float = 0, e_mailed: bool = True) -> User:
    """Sign up as a buyer through the page, `days_ago`, e-mailed the link at that moment too."""
    form = buyer_form(email=email, company_name=f"Company of {email}", preferred_currency="USD")
    ago = timedelta(days=days_ago)
    made = signup_confirmation_tokens._now
    signup_confirmation_tokens._now = lambda: made() - ago  # type: ignore[method-assign]
    try:
        with capture(execute=e_mailed):
            assert Client().post(reverse("signup_buyer"), form).status_code == 302
        User.objects.filter(email=email).update(date_joined=timezone.now() - ago)
    finally:
        signup_confirmation_tokens._now = made  # type: ignore[method-assign]
    return User.objects.get(email=email)


def company_of(user: User) -> Company:
    return Membership.objects.select_related("company").get(user=user).company


def old() -> float:
    """Days ago that an unconfirmed sign-up is old enough to be removed."""
    return unconfirmed_signup_age().total_seconds() / 86400 + 0.01


def test_an_old_sign_up_never_confirmed_goes_with_its_company_and_a_recent_one_stays(
    django_capture_on_commit_callbacks: Any,
) -> None:
    stale = sign_up(django_capture_on_commit_callbacks, "stale@example.lk", days_ago=old())
    stale_company = company_of(stale)
    recent = sign_up(django_capture_on_commit_callbacks, "recent@example.lk", days_ago=old() - 0.1)

    assert unconfirmed_signups_discard_task.delay().get() == 1

    assert not User.objects.filter(pk=stale.pk).exists()
    assert not Company.objects.filter(pk=stale_company.pk).exists()
    assert User.objects.get(pk=recent.pk).awaits_confirmation
    assert Membership.objects.filter(user=recent).exists()
    # Run again (beat's next hour, or a second worker): nothing more to do.
    assert unconfirmed_signups_discard_task.delay().get() == 0
    # The address is free: its owner signs up again and confirms.
    again = sign_up(django_capture_on_commit_callbacks, "stale@example.lk")
    assert again.awaits_confirmation


def test_the_default_waits_seven_days_and_never_less_than_a_link_works_and_a_day(settings: Any) -> None:
    assert settings.UNCONFIRMED_SIGNUP_DAYS == 7
    assert unconfirmed_signup_age() == timedelta(days=7)
    settings.UNCONFIRMED_SIGNUP_DAYS = 1
    assert unconfirmed_signup_age() == timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) + timedelta(days=1)


def test_an_account_is_kept_while_its_link_works_and_the_link_confirms_it(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.UNCONFIRMED_SIGNUP_DAYS = 1  # shorter than the link's three days
    user = sign_up(django_capture_on_commit_callbacks, "slow@example.lk", days_ago=2)
    (confirmation,) = emails_to("slow@example.lk")

    assert unconfirmed_signups_discard() == 0

    assert client.get(link_in(confirmation, "/signup/confirm/"), follow=True).context["user"] == user
    user.refresh_from_db()
    assert user.is_active


def test_no_link_is_e_mailed_that_would_outlive_its_account(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.UNCONFIRMED_SIGNUP_DAYS = 1
    # The confirmation task runs two days after the sign-up (a worker was down): a link made now
    # would work for three more days, past the account's removal after four.
    late = sign_up(django_capture_on_commit_callbacks, "late@example.lk", days_ago=2, e_mailed=False)

    assert signup_confirmation_send_task.delay(late.pk).get() is False
    assert emails_to("late@example.lk") == []


def test_confirmed_invited_and_staff_made_accounts_stay_however_old(django_capture_on_commit_callbacks: Any) -> None:
    long_ago = timezone.now() - timedelta(days=365)
    confirmed = sign_up(django_capture_on_commit_callbacks, "confirmed@example.lk")
    Client().get(link_in(emails_to("confirmed@example.lk")[0], "/signup/confirm/"))
    confirmed.refresh_from_db()
    assert confirmed.is_active
    # Confirmed a year ago, then deactivated by staff.
    User.objects.filter(pk=confirmed.pk).update(date_joined=long_ago, is_active=False)
    invited = UserFactory(date_joined=long_ago)  # invitations and the admin confirm on creation
    MembershipFactory(user=invited)
    staff_disabled = UserFactory(date_joined=long_ago, is_active=False)

    assert unconfirmed_signups_discard() == 0

    assert User.objects.filter(pk__in=[confirmed.pk, invited.pk, staff_disabled.pk]).count() == 3
    assert Membership.objects.filter(user__in=[confirmed, invited]).count() == 2


def test_a_company_with_another_member_stays_when_its_unconfirmed_member_goes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    stale = sign_up(django_capture_on_commit_callbacks, "stale@example.lk", days_ago=old())
    company = company_of(stale)
    colleague = MembershipFactory(company=company, role=Membership.Role.OWNER)

    assert unconfirmed_signups_discard() == 1

    assert not User.objects.filter(pk=stale.pk).exists()
    assert list(Membership.objects.filter(company=company)) == [colleague]


def test_a_supplier_sign_up_goes_with_its_profile(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    bags = CategoryFactory(name_en="Backpacks", name_zh="双肩包")
    baigou = IndustrialBeltFactory(specialties=[bags])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("suppliers:signup"), supplier_form(bags, baigou)).status_code == 302
    user = User.objects.get(email="li.wei@baigou-bags.cn")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=old()))
    assert SupplierProfile.objects.filter(company=company_of(user)).exists()

    assert unconfirmed_signups_discard() == 1

    assert not SupplierProfile.objects.exists()
    assert not Company.objects.exists()


@pytest.mark.parametrize("attached", ["api_token", "notification", "belt", "staff", "rfq_author"])
def test_an_unconfirmed_account_holding_anything_beyond_its_sign_up_stays(
    django_capture_on_commit_callbacks: Any, attached: str
) -> None:
    stale = sign_up(django_capture_on_commit_callbacks, "held@example.lk", days_ago=old())
    bare = sign_up(django_capture_on_commit_callbacks, "bare@example.lk", days_ago=old())  # in the same batch
    if attached == "api_token":
        ApiToken.objects.create(user=stale, name="made by staff", prefix="sb_held1", key_hash="x" * 64)
    elif attached == "notification":
        with transaction.atomic():
            notify(recipients=[stale], kind="test", event_key="held", context={"message": "hello"})
    elif attached == "belt":
        IndustrialBeltFactory().managers.add(stale)
    elif attached == "staff":
        User.objects.filter(pk=stale.pk).update(is_staff=True)
    elif attached == "rfq_author":
        from tests.buyers.factories import SourcingRequestFactory

        SourcingRequestFactory(created_by=stale)  # another company's RFQ it is named on

    assert unconfirmed_signups_discard() == 1

    assert User.objects.filter(pk=stale.pk).exists()
    assert Company.objects.filter(pk=company_of(stale).pk).exists()
    assert not User.objects.filter(pk=bare.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runs_side_by_side_skip_what_the_other_holds(django_capture_on_commit_callbacks: Any) -> None:
    first = sign_up(django_capture_on_commit_callbacks, "first@example.lk", days_ago=old())
    second = sign_up(django_capture_on_commit_callbacks, "second@example.lk", days_ago=old())
    held, release = threading.Event(), threading.Event()

    def other_run_holding_first() -> None:
        try:
            with transaction.atomic():
                User.objects.select_for_update().get(pk=first.pk)
                held.set()
                release.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=other_run_holding_first)
    other.start()
    try:
        assert held.wait(30)
        started = time.monotonic()
        assert unconfirmed_signups_discard() == 1  # the second, without waiting for the first
        assert time.monotonic() - started < 10
    finally:
        release.set()
        other.join(30)
    assert list(User.objects.values_list("email", flat=True)) == ["first@example.lk"]
    assert not User.objects.filter(pk=second.pk).exists()
    assert unconfirmed_signups_discard() == 1


def test_beat_removes_unconfirmed_sign_ups_every_quarter_hour_with_the_periodic_jobs() -> None:
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "marketplace.tasks.unconfirmed_signups_discard_task"
    ]
    assert entry["schedule"].minute == {7, 22, 37, 52}  # beside the minute jobs, never on the hour
    assert settings.TASK_KINDS["marketplace.tasks.unconfirmed_signups_discard_task"] == "periodic"
