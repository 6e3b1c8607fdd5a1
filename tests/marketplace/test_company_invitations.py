"""Inviting a colleague by e-mail, end to end, and every way an invitation link can be wrong."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.errors import DomainError
from marketplace.models import Invitation, Membership, Notification, User
from marketplace.services.accounts import invitation_accept, invitation_create
from marketplace.services.invitation_emails import invitation_send
from tests.factories import (
    TEST_PASSWORD,
    CompanyFactory,
    CurrencyFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CURRENCY_CODES = ("USD", "EUR", "CNY", "LKR", "RUB")


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    """The currencies offered at sign-up. Seeded by a migration, but a transactional test elsewhere may flush them."""
    for code in CURRENCY_CODES:
        CurrencyFactory(code=code)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(message: mail.EmailMessage) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    assert url.startswith(settings.SITE_URL)
    return url.removeprefix(settings.SITE_URL)


def invite(owner: Membership, email: str = "kamala@example.com", role: str = "member") -> Client:
    client = logged_in(owner.user)
    response = client.post(reverse("company_invite"), {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.fixture
def owner() -> Membership:
    return MembershipFactory(
        user=UserFactory(name="Nimal Perera", email="nimal@example.com"),
        company=CompanyFactory(name="Lanka School Supplies"),
    )


def test_an_invited_colleague_opens_an_account_from_the_emailed_link_and_joins(
    owner: Membership, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner, email="Kamala@Example.com", role="admin")

    invitation = Invitation.objects.get(company=owner.company)
    assert invitation.email == "kamala@example.com"
    assert invitation.expires_at > timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS - 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kamala@example.com"]
    assert "Lanka School Supplies" in message.subject
    assert "Nimal Perera" in message.body
    path = link_in(message)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash

    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200
    assert "kamala@example.com" in page.content.decode()
    response = newcomer.post(
        path,
        {"name": "Kamala Silva", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD, "preferred_language": "en"},
    )
    assert response.status_code == 302

    kamala = User.objects.get(email="kamala@example.com")
    assert Membership.objects.get(user=kamala).company == owner.company
    assert Membership.objects.get(user=kamala).role == Membership.Role.ADMIN
    assert newcomer.get(reverse("company_detail")).context["company"] == owner.company
    told = Notification.objects.get(recipient=owner.user, kind="member_joined")
    assert told.event_key == f"member_joined:{invitation.pk}"
    assert told.context == {"member": "Kamala Silva", "email": "kamala@example.com", "company": "Lanka School Supplies"}
    assert told.url == reverse("company_detail")

    invitation.refresh_from_db()
    assert invitation.accepted_by == kamala
    assert newcomer.get(path).status_code == 404


def test_the_invitation_email_is_written_in_the_inviters_language(owner: Membership) -> None:
    """Dates come out in the inviter's language (Django's own Chinese date format: 2025年3月1日)."""
    User.objects.filter(pk=owner.user_id).update(preferred_language="zh-hans")
    owner.user.refresh_from_db()
    invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")

    assert invitation_send(invitation_id=invitation.pk, token=token)

    expires = timezone.localtime(invitation.expires_at)
    assert f"{expires.year}年{expires.month}月{expires.day}日" in mail.outbox[0].body


def test_an_existing_user_logs_in_and_accepts_with_one_click(
    owner: Membership, django_capture_on_commit_callbacks: object
) -> None:
    kamala = MembershipFactory(user=UserFactory(email="kamala@example.com", name="Kamala Silva")).user
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner)
    path = link_in(mail.outbox[0])

    anonymous_page = Client().get(path).content.decode()
    assert "Log in to accept" in anonymous_page

    client = logged_in(kamala)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response["Location"] == reverse("company_detail")
    assert Membership.objects.filter(user=kamala, company=owner.company, role="member").exists()
    assert client.get(reverse("company_detail")).context["company"] == owner.company
    assert Notification.objects.filter(recipient=owner.user, kind="member_joined").count() == 1


def test_someone_signed_in_with_another_address_is_told_whom_the_invitation_is_for(owner: Membership) -> None:
    _invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    other = UserFactory(email="someone.else@example.com")
    client = logged_in(other)
    path = reverse("invitation_accept", kwargs={"token": token})

    page = client.get(path)
    assert page.status_code == 403
    assert "this invitation is for kamala@example.com" in page.content.decode()
    assert client.post(path).status_code == 403
    assert not Membership.objects.filter(user=other, company=owner.company).exists()


def test_an_unknown_or_tampered_token_answers_404_with_an_explanation(owner: Membership) -> None:
    _invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    for bad in ("nonsense", token[:-1] + ("A" if token[-1] != "A" else "B")):
        response = Client().get(reverse("invitation_accept", kwargs={"token": bad}))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()


def test_an_expired_invitation_answers_410_and_cannot_be_used(owner: Membership) -> None:
    invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    path = reverse("invitation_accept", kwargs={"token": token})
    before = User.objects.count()

    assert Client().get(path).status_code == 410
    response = Client().post(
        path, {"name": "Late", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD, "preferred_language": "en"}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert User.objects.count() == before


def test_a_revoked_invitation_link_stops_working(owner: Membership) -> None:
    invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    response = logged_in(owner.user).post(reverse("invitation_revoke", kwargs={"pk": invitation.pk}))
    assert response["Location"] == reverse("company_detail")
    response = Client().get(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 404
    assert "withdrawn" in response.content.decode()


def test_revoking_another_companys_invitation_answers_404(owner: Membership) -> None:
    theirs = InvitationFactory()
    response = logged_in(owner.user).post(reverse("invitation_revoke", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_an_expired_unused_invitation_may_be_sent_again(owner: Membership) -> None:
    InvitationFactory(company=owner.company, email="kamala@example.com", expires_at=timezone.now() - timedelta(days=1))
    invite(owner)
    assert Invitation.objects.filter(company=owner.company, email="kamala@example.com").count() == 2
    assert len([i for i in Invitation.objects.filter(company=owner.company) if i.is_open]) == 1


def test_a_member_cannot_be_invited_twice_nor_an_address_with_an_open_invitation(owner: Membership) -> None:
    member = MembershipFactory(company=owner.company, role=Membership.Role.MEMBER)
    client = logged_in(owner.user)

    response = client.post(reverse("company_invite"), {"email": member.user.email.upper(), "role": "member"})
    assert response.status_code == 400
    assert "already a member" in response.content.decode()

    invite(owner, email="kamala@example.com")
    response = client.post(reverse("company_invite"), {"email": "kamala@example.com", "role": "member"})
    assert response.status_code == 400
    assert "already waiting" in response.content.decode()
    assert Invitation.objects.filter(company=owner.company).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"email": "not-an-address", "role": "member"}, "email"), ({"email": "a@example.com", "role": "king"}, "role")],
)
def test_bad_invitation_input_is_explained(owner: Membership, data: dict[str, str], field: str) -> None:
    response = logged_in(owner.user).post(reverse("company_invite"), data)
    assert response.status_code == 400
    assert field in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


def test_a_plain_member_cannot_invite(owner: Membership) -> None:
    member = MembershipFactory(company=owner.company, role=Membership.Role.MEMBER)
    response = logged_in(member.user).post(
        reverse("company_invite"), {"email": "kamala@example.com", "role": "member"}, follow=True
    )
    assert "Only the company's owners and admins" in response.content.decode().replace("&#x27;", "'")
    assert not Invitation.objects.exists()


def test_an_admin_cannot_invite_an_owner(owner: Membership) -> None:
    admin = MembershipFactory(company=owner.company, role=Membership.Role.ADMIN)
    response = logged_in(admin.user).post(
        reverse("company_invite"), {"email": "kamala@example.com", "role": "owner"}, follow=True
    )
    assert "Only an owner can invite another owner" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_weak_password_on_the_invitation_sign_up_is_explained_and_nothing_is_created(owner: Membership) -> None:
    _invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    before = (User.objects.count(), Membership.objects.count())
    response = Client().post(
        reverse("invitation_accept", kwargs={"token": token}),
        {"name": "Kamala", "password1": "short", "password2": "short", "preferred_language": "en"},
    )
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    assert (User.objects.count(), Membership.objects.count()) == before


def test_no_email_goes_out_for_an_invitation_revoked_before_sending(owner: Membership) -> None:
    invitation, token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert invitation_send(invitation_id=invitation.pk, token=token) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_at_once_on_accept_join_once_and_tell_the_inviter_once() -> None:
    """Real threads against PostgreSQL: the locked invitation lets one acceptance through."""
    owner = MembershipFactory()
    kamala = UserFactory(email="kamala@example.com")
    invitation, _token = invitation_create(membership=owner, email="kamala@example.com", role="member")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def click() -> None:
        try:
            barrier.wait()
            invitation_accept(invitation_id=invitation.pk, user=kamala)
            outcomes.append("joined")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["joined", "refused"]
    assert Membership.objects.filter(user=kamala, company=owner.company).count() == 1
    assert Notification.objects.filter(recipient=owner.user, kind="member_joined").count() == 1
