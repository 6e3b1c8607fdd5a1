"""Two-factor authentication (issue 14): an authenticator app and recovery codes for anyone, required
for staff when MFA_REQUIRED_FOR_STAFF is on. docs/security.md says what is promised.

The codes are computed from the device's key as the person's authenticator app would (the outside
world); everything else — django-otp, django-axes, the sessions — is real.
"""

from __future__ import annotations

import logging
import re
import time
from base64 import b32encode
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.models import ApiToken, User
from marketplace.services.api_tokens import api_token_create
from marketplace.services.two_factor import two_factor_enable, two_factor_setup_begin
from tests.factories import TEST_PASSWORD, CurrencyFactory, StaffFactory, UserFactory
from tests.test_settings import production_env, run_python

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"  # documentation addresses (RFC 5737)
OWNER_ADDRESS = "198.51.100.7"
PRIVATE_PAGE = "/account/"


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "EUR", "CNY"):
        CurrencyFactory(code=code)


def app_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows, `steps_ahead` time steps from now (the device
    accepts one step either side; each code only once, and never one older than the last used)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {app_code(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def with_two_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor authentication on for `user` as the set-up page does; the recovery codes."""
    device = two_factor_setup_begin(user=user)
    confirmed, codes = two_factor_enable(user=user, code=app_code(device))
    return confirmed, codes


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client: Client, email: str, password: str = TEST_PASSWORD, url: str = "/login/") -> Any:
    return client.post(url, {"username": email, "password": password})


def signed_in_with_code(user: User, device: TOTPDevice) -> Client:
    """A browser at the owner's address that logged in with the password and the app's next code."""
    client = client_at(OWNER_ADDRESS)
    log_in(client, user.email)
    assert client.post("/login/verify/", {"code": app_code(device, steps_ahead=1)}).status_code == 302
    return client


def security_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, str]]:
    return [record.security for record in caplog.records if record.name == "sourcebelt.security"]  # type: ignore[attr-defined]


def events_named(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, str]]:
    return [event for event in security_events(caplog) if event["event"] == name]


# --- Turning it on ----------------------------------------------------------------------------


def test_hardening_a_user_turns_on_two_factor_with_a_qr_code_and_a_first_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    user = UserFactory()
    client = Client()
    client.force_login(user)

    page = client.get("/account/security/")
    assert page.status_code == 200
    assert 'action="/account/security/begin/"' in page.content.decode()
    assert client.post("/account/security/begin/").url == "/account/security/setup/?next=%2F"
    setup = client.get("/account/security/setup/")
    html = setup.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # The QR code is an inline SVG made by the app (no image from elsewhere, no inline style) and
    # the key is there as text to type.
    assert re.search(r'<figure class="qr-code"[^>]*><svg [^>]*viewBox=', html)
    assert "style=" not in html
    assert "<img" not in html
    secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', html)
    assert secret is not None
    assert secret.group(1).replace(" ", "") in device.config_url

    wrong = client.post("/account/security/setup/", {"code": wrong_code(device)})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    time.sleep(1.1)  # django-otp waits a second after a wrong code before it checks another
    confirmed = client.post("/account/security/setup/", {"code": app_code(device)})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", confirmed.content.decode())
    assert len(codes) == 10 == len(set(codes))
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    # Shown once: the security page only counts them.
    later = client.get("/account/security/").content.decode()
    assert "You have 10 unused recovery codes." in later
    assert not any(code in later for code in codes)
    assert [e["user_id"] for e in events_named(caplog, "mfa_enabled")] == [str(user.pk)]
    assert events_named(caplog, "mfa_failed")[0]["stage"] == "setup"


def test_hardening_the_account_menu_links_to_the_security_page() -> None:
    client = Client()
    client.force_login(UserFactory())
    assert 'href="/account/security/"' in client.get("/account/").content.decode()


# --- Logging in --------------------------------------------------------------------------------


def test_hardening_logging_in_asks_for_the_code_after_the_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    user = UserFactory()
    device, _codes = with_two_factor(user)
    client = client_at(OWNER_ADDRESS)

    assert log_in(client, user.email).status_code == 302
    # Signed in with the password only: every page sends to the second step, the API refuses.
    held = client.get(PRIVATE_PAGE)
    assert held.status_code == 302
    assert held.url == "/login/verify/?next=%2Faccount%2F"
    assert client.get("/account/tokens/").url.startswith("/login/verify/")
    api = client.get("/api/v1/tokens/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"
    # Another kind of Authorization header does not get the session past the gate.
    assert client.get("/api/v1/tokens/", headers={"Authorization": "Basic eDp5"}).status_code == 403
    step = client.get(held.url)
    assert step.status_code == 200
    assert 'autocomplete="one-time-code"' in step.content.decode()
    # The code's page asks nothing of the account (its unread count, loaded with the page, would be
    # sent back here, and its answer could set the session cookie the code just replaced).
    assert 'id="unread-count"' not in step.content.decode()

    verified = client.post("/login/verify/", {"code": app_code(device, steps_ahead=1), "next": "/account/"})
    assert verified.status_code == 302
    assert verified.url == "/account/"
    assert 'id="unread-count"' in client.get(PRIVATE_PAGE).content.decode()
    assert client.get("/api/v1/tokens/").status_code == 200
    assert events_named(caplog, "mfa_verified")[0]["user_id"] == str(user.pk)


def test_hardening_a_code_is_accepted_once(caplog: pytest.LogCaptureFixture) -> None:
    user = UserFactory()
    device, _codes = with_two_factor(user)
    code = app_code(device, steps_ahead=1)
    first = client_at(OWNER_ADDRESS)
    log_in(first, user.email)
    assert first.post("/login/verify/", {"code": code}).status_code == 302
    replay = client_at(ATTACKER)
    log_in(replay, user.email)
    assert replay.post("/login/verify/", {"code": code}).status_code == 400
    assert replay.get(PRIVATE_PAGE).status_code == 302


def test_hardening_wrong_codes_count_toward_the_lockout(caplog: pytest.LogCaptureFixture) -> None:
    """Someone with the password cannot try codes without end: each wrong code is a failed log-in."""
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    user = UserFactory()
    device, _codes = with_two_factor(user)
    attacker = client_at(ATTACKER)
    assert log_in(attacker, user.email).status_code == 302

    limit = settings.AXES_FAILURE_LIMIT
    answers = [attacker.post("/login/verify/", {"code": wrong_code(device)}) for _ in range(limit)]
    assert [a.status_code for a in answers[: limit - 1]] == [400] * (limit - 1)
    assert answers[-1].status_code == 429
    assert "Logging in is paused" in answers[-1].content.decode()
    # The half-done log-in has ended, and the right password is refused too, from anywhere.
    assert "_auth_user_id" not in attacker.session
    owner = client_at(OWNER_ADDRESS)
    assert log_in(owner, user.email).status_code == 429
    failed = events_named(caplog, "mfa_failed")
    assert len(failed) == limit
    assert {e["user_id"] for e in failed} == {str(user.pk)}
    assert [e["username"] for e in events_named(caplog, "account_locked")] == [user.email]


def test_hardening_a_recovery_code_logs_in_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    user = UserFactory()
    _device, codes = with_two_factor(user)
    client = client_at(OWNER_ADDRESS)
    log_in(client, user.email)
    # Typed as people type: upper case, with a space.
    typed = f"{codes[3][:4].upper()} {codes[3][4:]}"
    assert client.post("/login/verify/", {"code": typed}).status_code == 302
    assert client.get(PRIVATE_PAGE).status_code == 200
    assert client.get("/account/security/").content.decode().count("You have 9 unused recovery codes.") == 1
    client.post("/logout/")

    log_in(client, user.email)
    again = client.post("/login/verify/", {"code": codes[3]})
    assert again.status_code == 400
    assert client.get(PRIVATE_PAGE).status_code == 302
    assert [e["codes_left"] for e in events_named(caplog, "recovery_code_used")] == ["9"]


# --- The admin and staff ----------------------------------------------------------------------


def test_hardening_the_admin_log_in_asks_for_the_second_factor() -> None:
    staff = StaffFactory()
    device, _codes = with_two_factor(staff)
    client = client_at(OWNER_ADDRESS)

    assert log_in(client, staff.email, url="/admin/login/").status_code == 302
    held = client.get("/admin/")
    assert held.status_code == 302
    assert held.url == "/login/verify/?next=%2Fadmin%2F"
    assert client.get("/admin/marketplace/user/").status_code == 302
    assert client.post("/login/verify/", {"code": app_code(device, steps_ahead=1), "next": "/admin/"}).url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_hardening_the_admin_lists_devices_but_never_shows_their_keys() -> None:
    user = UserFactory()
    device, codes = with_two_factor(user)
    staff = StaffFactory()
    client = signed_in_with_code(staff, with_two_factor(staff)[0])
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert device.key not in html
    assert b32encode(device.bin_key).decode() not in html
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    recovery = StaticToken.objects.filter(device__user=user).values_list("device_id", flat=True).first()
    static = client.get(f"/admin/otp_static/staticdevice/{recovery}/change/")
    assert static.status_code == 200
    assert not any(code in static.content.decode() for code in codes)


def test_hardening_staff_without_two_factor_must_set_it_up_when_required(settings: Any) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True
    staff = StaffFactory()
    client = client_at(OWNER_ADDRESS)
    log_in(client, staff.email)

    for page in ("/admin/", "/staff/", PRIVATE_PAGE, "/account/tokens/"):
        answer = client.get(page)
        assert answer.status_code == 302, page
        assert answer.url.startswith("/account/security/?next="), page
    security = client.get("/account/security/?next=/admin/")
    assert "Staff accounts must use two-factor authentication" in security.content.decode()
    setup = client.post("/account/security/begin/", {"next": "/admin/"}).url
    assert setup == "/account/security/setup/?next=%2Fadmin%2F"
    assert 'name="next" value="/admin/"' in client.get(setup).content.decode()
    device = TOTPDevice.objects.get(user=staff)
    codes = client.post("/account/security/setup/", {"code": app_code(device), "next": "/admin/"})
    assert codes.status_code == 200
    assert 'href="/admin/"' in codes.content.decode()  # "Continue" goes where the staff member was going
    # Done: the session is verified by the first code, and everything opens.
    assert client.get("/admin/").status_code == 200
    assert client.get("/staff/").status_code == 200


def test_hardening_staff_with_a_device_need_a_verified_session_when_required(settings: Any) -> None:
    """A staff session that did not prove its device (one from before the rule) is sent to the
    second step on its next request; one logged in elsewhere before the device was set up ended then."""
    staff = StaffFactory()
    elsewhere = client_at(OWNER_ADDRESS)
    log_in(elsewhere, staff.email)
    assert elsewhere.get("/admin/").status_code == 200  # the demo's rule: not required
    device, _codes = with_two_factor(staff)
    assert elsewhere.get("/admin/").url.startswith("/admin/login/")
    client = client_at(OWNER_ADDRESS)
    client.force_login(staff)
    session = client.session
    session.pop("two_factor_state", None)  # as a session from before the rule: it owes nothing
    session.save()
    assert client.get("/admin/").status_code == 200

    settings.MFA_REQUIRED_FOR_STAFF = True
    assert client.get("/admin/").url == "/login/verify/?next=%2Fadmin%2F"
    client.post("/login/verify/", {"code": app_code(device, steps_ahead=1)})
    assert client.get("/admin/").status_code == 200


def required_for_staff(**env: str) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.MFA_REQUIRED_FOR_STAFF)"
    result = run_python(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_hardening_staff_must_use_two_factor_in_production_but_not_in_the_demo() -> None:
    assert required_for_staff(**production_env()) == "True"
    assert required_for_staff(DEBUG="true") == "False"
    assert required_for_staff(DEBUG="true", MFA_REQUIRED_FOR_STAFF="true") == "True"


def test_hardening_without_the_requirement_staff_work_without_two_factor(settings: Any) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = False
    client = client_at(OWNER_ADDRESS)
    log_in(client, StaffFactory().email)
    assert client.get("/admin/").status_code == 200
    assert client.get("/staff/").status_code == 200


# --- Changing it ------------------------------------------------------------------------------


def test_hardening_turning_two_factor_off_needs_the_password_or_a_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    user = UserFactory()
    client = signed_in_with_code(user, with_two_factor(user)[0])

    refused = client.post("/account/security/disable/", {"disable-proof": "not-my-password"}, follow=True)
    assert "Nothing was changed" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert len(events_named(caplog, "mfa_failed")) == 1

    assert client.post("/account/security/disable/", {"disable-proof": TEST_PASSWORD}).url == "/account/security/"
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert [e["user_id"] for e in events_named(caplog, "mfa_disabled")] == [str(user.pk)]
    # The next log-in needs only the password.
    fresh = client_at(OWNER_ADDRESS)
    log_in(fresh, user.email)
    assert fresh.get(PRIVATE_PAGE).status_code == 200


def test_hardening_new_recovery_codes_replace_the_old_ones(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sourcebelt.security")
    user = UserFactory()
    device, old_codes = with_two_factor(user)
    client = signed_in_with_code(user, device)

    answer = client.post("/account/security/recovery-codes/", {"codes-proof": TEST_PASSWORD})
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", answer.content.decode())
    assert len(new_codes) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new_codes)
    assert len(events_named(caplog, "recovery_codes_regenerated")) == 1
    client.post("/logout/")
    log_in(client, user.email)
    assert client.post("/login/verify/", {"code": old_codes[0]}).status_code == 400
    time.sleep(1.1)  # django-otp waits a second after a wrong code before it checks another
    assert client.post("/login/verify/", {"code": new_codes[0]}).status_code == 302


# --- API tokens -------------------------------------------------------------------------------


def test_hardening_api_tokens_need_no_second_factor_but_making_one_needs_a_verified_session() -> None:
    user = UserFactory()
    _token, key = api_token_create(user=user, name="erp")
    with_two_factor(user)
    # A token is its own credential.
    assert Client().get("/api/v1/tokens/", headers={"Authorization": f"Token {key}"}).status_code == 200
    # A session logged in before two-factor authentication was turned on has not proved it.
    client = Client()
    client.force_login(user)
    session = client.session
    session.pop("two_factor_state", None)
    session.save()
    form = {"name": "laptop", "scope": "read", "expiry": "30"}
    page = client.post("/account/tokens/", form)
    assert page.status_code == 400
    assert "log in again with your two-factor code" in page.content.decode()
    api = client.post("/api/v1/tokens/", {"name": "laptop", "scope": "read"}, content_type="application/json")
    assert api.status_code == 403
    assert ApiToken.objects.filter(user=user).count() == 1


# --- The other sessions end (OWASP ASVS 3.3.3) ----------------------------------------------------


def two_browsers(user: User) -> tuple[Client, Client]:
    """The user logged in with the password in two browsers (say a laptop and a lost phone)."""
    browsers = client_at(OWNER_ADDRESS), client_at(ATTACKER)
    for browser in browsers:
        assert log_in(browser, user.email).status_code == 302
        assert browser.get(PRIVATE_PAGE).status_code == 200
    return browsers


def signed_in(browser: Client) -> bool:
    page = browser.get(PRIVATE_PAGE)
    assert page.status_code in (200, 302)
    return page.status_code == 200 and "_auth_user_id" in browser.session


def test_hardening_turning_two_factor_on_ends_the_users_other_sessions() -> None:
    user = UserFactory()
    this, other = two_browsers(user)

    this.post("/account/security/begin/")
    device = TOTPDevice.objects.get(user=user)
    assert this.post("/account/security/setup/", {"code": app_code(device)}).status_code == 200

    assert signed_in(this)
    assert not signed_in(other)
    assert other.get(PRIVATE_PAGE).url.startswith("/login/")


def test_hardening_changing_the_password_ends_the_users_other_sessions() -> None:
    user = UserFactory()
    this, other = two_browsers(user)
    new_password = "a much longer new passphrase 7"

    changed = this.post(
        "/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert changed.status_code == 302
    assert signed_in(this)
    assert not signed_in(other)


@pytest.mark.parametrize(
    ("change", "form", "answer"),
    [
        ("/account/security/recovery-codes/", {"codes-proof": TEST_PASSWORD}, 200),  # the new codes
        ("/account/security/disable/", {"disable-proof": TEST_PASSWORD}, 302),
    ],
    ids=["new recovery codes", "turning it off"],
)
def test_hardening_a_change_to_two_factor_ends_the_users_other_sessions(
    change: str, form: dict[str, str], answer: int
) -> None:
    user = UserFactory()
    device, codes = with_two_factor(user)
    this = signed_in_with_code(user, device)
    other = client_at(ATTACKER)
    log_in(other, user.email)
    assert other.post("/login/verify/", {"code": codes[0]}).status_code == 302
    assert signed_in(other)

    assert this.post(change, form).status_code == answer

    assert signed_in(this)
    assert not signed_in(other)


def test_hardening_ending_other_sessions_leaves_other_users_signed_in() -> None:
    user, colleague = UserFactory(), UserFactory()
    this, _other = two_browsers(user)
    theirs = client_at(OWNER_ADDRESS)
    log_in(theirs, colleague.email)

    this.post("/account/security/begin/")
    this.post("/account/security/setup/", {"code": app_code(TOTPDevice.objects.get(user=user))})

    assert signed_in(theirs)
