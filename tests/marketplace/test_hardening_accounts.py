"""Accounts under attack (issue 14): lockout, no account enumeration, the security log, password
rules and session timeouts. docs/security.md says what each promises."""

from __future__ import annotations

import logging
import re
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from marketplace.demo.accounts import DEFAULT_PASSWORD
from marketplace.models import ApiToken, Company, User
from marketplace.security.middleware import LAST_SEEN, LOGIN_AT
from marketplace.services.accounts import invitation_create
from marketplace.services.api_tokens import api_token_create, api_token_revoke
from tests.factories import TEST_PASSWORD, CurrencyFactory, MembershipFactory, StaffFactory, UserFactory
from tests.mailbox import emails_to, link_in
from tests.marketplace.test_accounts_signup import buyer_form

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"  # documentation addresses (RFC 5737): only strings in REMOTE_ADDR
OWNER_ADDRESS = "198.51.100.7"
NEW_PASSWORD = "a-brand-new-secret-77"


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "EUR", "CNY", "LKR"):
        CurrencyFactory(code=code)


def client_at(address: str, **headers: str) -> Client:
    return Client(REMOTE_ADDR=address, headers=headers)


def log_in(client: Client, email: str, password: str, url: str = "/login/") -> Any:
    return client.post(url, {"username": email, "password": password})


def security_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, str]]:
    return [record.security for record in caplog.records if record.name == "sourcebelt.security"]  # type: ignore[attr-defined]


# --- Lockout ----------------------------------------------------------------------------------


def test_hardening_30_wrong_passwords_lock_the_account_and_tell_its_owner(
    django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    owner = UserFactory(email="li.wei@baigou-bags.cn", preferred_language="zh-hans")
    attacker = client_at(ATTACKER)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [log_in(attacker, "Li.Wei@baigou-bags.cn", f"guess-number-{n}") for n in range(30)]

    limit = settings.AXES_FAILURE_LIMIT
    assert [a.status_code for a in answers[: limit - 1]] == [200] * (limit - 1)
    assert {a.status_code for a in answers[limit - 1 :]} == {429}
    # The right password is refused while the account is locked, from anywhere, with the reason.
    right = log_in(client_at(OWNER_ADDRESS, **{"Accept-Language": "en"}), owner.email, TEST_PASSWORD)
    page = right.content.decode()
    assert right.status_code == 429
    assert right["Retry-After"] == str(settings.AXES_COOLOFF_TIME.seconds)
    assert "Logging in is paused" in page
    assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in Client().session
    # One e-mail, in the owner's language, however many attempts followed.
    (locked,) = emails_to(owner.email)
    assert "暂停" in locked.subject
    assert ATTACKER in locked.body
    assert reverse("password_reset") in locked.body
    events = security_events(caplog)
    failed = [e for e in events if e["event"] == "login_failed"]
    assert len(failed) == 31
    assert failed[0] == {
        "event": "login_failed",
        "outcome": "refused",
        "user_id": str(owner.pk),
        "address": ATTACKER,
        "username": "li.wei@baigou-bags.cn",
        "path": "/login/",
    }
    assert failed[-1]["outcome"] == "locked"
    assert [e["user_id"] for e in events if e["event"] == "account_locked"] == [str(owner.pk)]


def test_hardening_a_locked_page_says_the_same_for_an_address_without_an_account() -> None:
    attacker = client_at(ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        answer = log_in(attacker, "nobody@example.com", f"guess-number-{n}")
    assert answer.status_code == 429
    assert "If the account exists, we have e-mailed its owner." in answer.content.decode()
    assert mail.outbox == []


def test_hardening_one_address_trying_many_accounts_is_locked_out() -> None:
    victim = UserFactory()
    attacker = client_at(ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, f"someone{n}@example.com", "guess-number-1")

    assert log_in(attacker, victim.email, TEST_PASSWORD).status_code == 429
    # The accounts were not locked: their owners elsewhere still log in.
    assert log_in(client_at(OWNER_ADDRESS), victim.email, TEST_PASSWORD).status_code == 302


def test_hardening_the_admin_login_is_locked_out_too() -> None:
    staff = StaffFactory(email="staff@example.com")
    attacker = client_at(ATTACKER)
    answers = [log_in(attacker, staff.email, f"guess-{n}-admin", "/admin/login/") for n in range(10)]

    assert answers[-1].status_code == 429
    right = log_in(client_at(OWNER_ADDRESS), staff.email, TEST_PASSWORD, "/admin/login/")
    assert right.status_code == 429
    assert "Logging in is paused" in right.content.decode()


def test_hardening_choosing_a_new_password_from_the_emailed_link_ends_the_lockout(
    django_capture_on_commit_callbacks: Any,
) -> None:
    owner = UserFactory(email="li.wei@baigou-bags.cn")
    attacker = client_at(ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, owner.email, f"guess-number-{n}")
    me = client_at(OWNER_ADDRESS)
    assert log_in(me, owner.email, TEST_PASSWORD).status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        me.post(reverse("password_reset"), {"email": owner.email})
    reset = next(m for m in emails_to(owner.email) if "/password/reset/" in m.body)
    form = me.get(link_in(reset, "/password/reset/"), follow=True)
    me.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert log_in(me, owner.email, NEW_PASSWORD).status_code == 302
    assert log_in(attacker, owner.email, NEW_PASSWORD).status_code == 429  # the address stays locked


def test_hardening_wrong_api_tokens_lock_out_their_address(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    _token, key = api_token_create(user=MembershipFactory().user, name="Script")
    answers = [
        client_at(ATTACKER, Authorization=f"Token sb_guess{n}").get("/api/v1/me/")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert [a.status_code for a in answers[:-1]] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1].status_code == 429
    assert answers[-1].json()["error"]["code"] == "locked_out"
    # Even a valid token is refused from that address until the cool-off has passed.
    refused = client_at(ATTACKER, Authorization=f"Token {key}").get("/api/v1/me/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert client_at(OWNER_ADDRESS, Authorization=f"Token {key}").get("/api/v1/me/").status_code == 200
    failed = [e for e in security_events(caplog) if e["event"] == "token_auth_failed"]
    assert len(failed) == settings.AXES_FAILURE_LIMIT
    assert {e["address"] for e in failed} == {ATTACKER}


def test_hardening_a_request_without_a_client_address_is_counted_without_an_error() -> None:
    """A request made in-process (no REMOTE_ADDR) counts as one unknown address, never a 500."""
    answers = [client_at("").get("/api/v1/me/", headers={"Authorization": f"Token sb_guess{n}"}) for n in range(2)]
    assert [a.status_code for a in answers] == [401, 401]
    assert (
        client_at("").post("/login/", {"username": "x@example.com", "password": "wrong-password-1"}).status_code == 200
    )


# --- Sign-up and reset never tell whether an address has an account -----------------------------


def signup_form(email: str) -> dict[str, str]:
    return buyer_form(email=email)


def answer_of(client: Client, url: str, data: dict[str, str], capture: Any) -> tuple[int, str, str, int, int]:
    """What a visitor sees (status, where it leads, that page's text) and what the request did
    before answering: tasks queued (x100) plus e-mails sent, and password hashes computed."""
    mailed = len(mail.outbox)
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode) as hashes:
        with capture() as queued:
            response = client.post(url, data)
        sent_before_answer = len(mail.outbox) - mailed
    page = re.sub(
        r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", client.get(response["Location"]).content.decode()
    )
    for callback in queued:
        callback()
    return response.status_code, response["Location"], page, len(queued) * 100 + sent_before_answer, hashes.call_count


def test_hardening_sign_up_answers_the_same_for_a_taken_and_a_new_address(
    django_capture_on_commit_callbacks: Any,
) -> None:
    UserFactory(email="taken@example.com")

    taken = answer_of(
        Client(), reverse("signup_buyer"), signup_form("taken@example.com"), django_capture_on_commit_callbacks
    )
    new = answer_of(
        Client(), reverse("signup_buyer"), signup_form("new@example.com"), django_capture_on_commit_callbacks
    )

    assert taken == new
    assert taken[:2] == (302, reverse("signup_sent"))
    assert "Check your e-mail" in taken[2]
    assert "already exists" not in taken[2]
    assert Company.objects.filter(name="Lanka School Supplies").count() == 1  # the new address's only
    (existing,) = emails_to("taken@example.com")
    assert existing.subject == "You already have a SourceBelt account"
    assert reverse("password_reset") in existing.body
    (confirmation,) = emails_to("new@example.com")
    assert "/signup/confirm/" in confirmation.body


def test_hardening_password_reset_answers_the_same_for_a_known_and_an_unknown_address(
    django_capture_on_commit_callbacks: Any,
) -> None:
    UserFactory(email="known@example.com")

    known = answer_of(
        Client(), reverse("password_reset"), {"email": "known@example.com"}, django_capture_on_commit_callbacks
    )
    unknown = answer_of(
        Client(), reverse("password_reset"), {"email": "unknown@example.com"}, django_capture_on_commit_callbacks
    )

    assert known == unknown
    assert known[3] == 100  # one task queued, no e-mail sent while the visitor waits
    assert len(emails_to("known@example.com")) == 1
    assert emails_to("unknown@example.com") == []


def test_hardening_an_address_gets_at_most_a_few_reset_emails_an_hour_and_the_answer_does_not_change(
    django_capture_on_commit_callbacks: Any,
) -> None:
    UserFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client_at(f"198.51.100.{n}").post(reverse("password_reset"), {"email": "known@example.com"})
            for n in range(settings.ACCOUNT_EMAILS_PER_RECIPIENT_PER_HOUR + 3)
        ]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert len(emails_to("known@example.com")) == settings.ACCOUNT_EMAILS_PER_RECIPIENT_PER_HOUR


def test_hardening_one_address_asking_for_too_many_account_emails_is_told_to_wait() -> None:
    client = client_at(ATTACKER)
    for n in range(settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR):
        assert client.post(reverse("password_reset"), {"email": f"someone{n}@example.com"}).status_code == 302
    refused = client.post(reverse("password_reset"), {"email": "one-more@example.com"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many requests" in refused.content.decode()
    for n in range(settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR):
        client.post(reverse("signup_buyer"), signup_form(f"new{n}@example.com"))
    assert client.post(reverse("signup_buyer"), signup_form("last@example.com")).status_code == 429


def test_hardening_resets_and_sign_ups_still_work_when_the_cache_is_down(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    UserFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        reset = Client().post(reverse("password_reset"), {"email": "known@example.com"})
        signup = Client().post(reverse("signup_buyer"), signup_form("new@example.com"))
    assert reset["Location"] == reverse("password_reset_done")
    assert signup["Location"] == reverse("signup_sent")
    assert len(emails_to("known@example.com")) == 1
    assert len(emails_to("new@example.com")) == 1


# --- The security log ---------------------------------------------------------------------------


def test_hardening_security_events_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    owner = MembershipFactory(user=UserFactory(email="owner@example.com"))
    stranger = MembershipFactory()
    invitation, _token = invitation_create(membership=stranger, email="x@example.com", role="member")
    staff = StaffFactory()

    client = client_at(OWNER_ADDRESS)
    assert log_in(client, owner.user.email, TEST_PASSWORD).status_code == 302
    # A page refused: another company's invitation is "not found".
    assert client.post(reverse("invitation_revoke", kwargs={"pk": invitation.pk})).status_code == 404
    # The API refused: a company that only buys may not add products.
    api = client_at(OWNER_ADDRESS)
    api.force_login(owner.user)
    assert api.post("/api/v1/catalog/products/", {}, content_type="application/json").status_code == 403
    token, _key = api_token_create(user=owner.user, name="Script")
    api_token_revoke(user=owner.user, token_id=token.pk)
    admin = client_at(OWNER_ADDRESS)
    admin.force_login(staff)
    deleted = admin.post(reverse("admin:marketplace_invitation_delete", args=[invitation.pk]), {"post": "yes"})
    assert deleted.status_code == 302

    events: dict[str, dict[str, str]] = {}
    for event in security_events(caplog):
        events.setdefault(event["event"], event)  # the first of each kind
    assert events["login_succeeded"]["user_id"] == str(owner.user.pk)
    assert events["login_succeeded"]["address"] == OWNER_ADDRESS
    assert events["not_found"]["path"] == reverse("invitation_revoke", kwargs={"pk": invitation.pk})
    assert events["not_found"]["user_id"] == str(owner.user.pk)
    assert events["permission_refused"]["path"] == "/api/v1/catalog/products/"
    assert (events["token_created"]["token_id"], events["token_revoked"]["token_id"]) == (str(token.pk),) * 2
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert events["staff_action"]["user_id"] == str(staff.pk)
    assert events["staff_action"]["outcome"] == "ok"
    assert events["staff_action"]["path"] == reverse("admin:marketplace_invitation_delete", args=[invitation.pk])


def test_hardening_what_a_client_sends_cannot_forge_a_log_record(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    client = Client()
    client.force_login(UserFactory())
    caplog.clear()
    forged = "/invitations/x%0Aevent=login_succeeded%20outcome=ok%22/"
    assert client.get(forged).status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "sourcebelt.security"]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert lines[0].startswith("event=not_found outcome=refused ")
    assert "path=/invitations/x_event=login_succeeded_outcome=ok_/" in lines[0]


# --- Passwords and sessions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("eleven-char", "at least 12 characters"),
        ("qwerty123456", "too common"),
        ("827364519203", "entirely numeric"),
    ],
)
def test_hardening_passwords_need_12_characters_and_must_not_be_common(password: str, message: str) -> None:
    response = Client().post(
        reverse("signup_buyer"), {**signup_form("new@example.com"), "password1": password, "password2": password}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["password1"])


def test_hardening_the_demo_and_test_passwords_pass_the_rules() -> None:
    for password in (DEFAULT_PASSWORD, TEST_PASSWORD):
        validate_password(password)
    with pytest.raises(ValidationError):
        validate_password("sourcebelt1")


def test_hardening_an_idle_session_ends_and_says_why(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("company_detail")).status_code == 200
    session = client.session
    session[LAST_SEEN] -= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 1
    session.save()

    response = client.get(reverse("company_detail"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert "without activity" in response.content.decode()


def test_hardening_a_busy_session_still_ends_at_its_maximum_age(client: Client) -> None:
    client.force_login(UserFactory())
    session = client.session
    session[LOGIN_AT] -= settings.SESSION_MAX_AGE_HOURS * 3600 + 1
    session.save()

    response = client.get(reverse("company_detail"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_AGE_HOURS * 3600


def test_hardening_an_active_session_goes_on(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session[LAST_SEEN] -= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 120
    session.save()
    assert client.get(reverse("company_detail")).status_code == 200
    assert client.session[LAST_SEEN] >= client.session[LOGIN_AT]
    assert User.objects.get(pk=user.pk).is_active
