"""Two-factor authentication at log-in: which sessions still owe a second factor, and the gate that
keeps them on its page.

A log-in with the password (the log-in page, the admin's, a confirmation or invitation link) signs
the user in, but when the account has two-factor authentication on, the session is marked
`verify`: until a code from the app or a recovery code is typed on the second step, every page
(the admin too) sends there and the API answers 403. Staff without two-factor authentication, when
MFA_REQUIRED_FOR_STAFF is on, are marked `setup`: they reach only the page that sets it up. The
mark lives in the session, so a request costs no query for it; django-otp's OTPMiddleware then
tells whether the session was verified (`request.user.is_verified()`). docs/security.md has the
whole story.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from marketplace.models import User
from marketplace.security.events import security_event
from marketplace.selectors.two_factor import two_factor_enabled

# Session key: what the signed-in session still owes before it may go anywhere.
STATE = "two_factor_state"
VERIFY = "verify"
SETUP = "setup"
# The pages each state may reach (URL names); everything else is sent to the first one.
_ALLOWED = {
    VERIFY: ("login_verify", "logout", "login", "set_language"),
    SETUP: ("two_factor", "two_factor_begin", "two_factor_setup", "logout", "login", "set_language"),
}


def staff_must_use_two_factor(user: Any) -> bool:
    return bool(settings.MFA_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser))


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    """user_logged_in receiver: mark the new session with what it still owes."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if getattr(user, "otp_device", None) is not None:  # this log-in already proved a device
        session.pop(STATE, None)
    elif two_factor_enabled(user=user):
        session[STATE] = VERIFY
    elif staff_must_use_two_factor(user):
        session[STATE] = SETUP
    else:
        session.pop(STATE, None)


def session_state(request: HttpRequest) -> str | None:
    return request.session.get(STATE)


def session_verified(request: HttpRequest, device: Device) -> None:
    """The session proved `device`: it may go anywhere, under a new session key."""
    if request.session.get(STATE) == VERIFY:
        method = "recovery_code" if isinstance(device, StaticDevice) else "app"
        security_event("mfa_verified", outcome="ok", user_id=device.user_id, method=method)
    otp_login(request, device)
    request.session.pop(STATE, None)
    request.session.cycle_key()


def session_needs_setup(request: HttpRequest) -> None:
    """Two-factor authentication was turned off for a staff user who must have it."""
    request.session[STATE] = SETUP


def token_creation_allowed(user: Any, *, by_session: bool) -> bool:
    """An API token is a lasting credential: with two-factor authentication on, a browser session
    makes one only once it proved the second factor (a session logged in elsewhere before it was
    turned on may not). A request made with a token is its own credential."""
    if not by_session:
        return True
    verified = getattr(user, "is_verified", None)
    return bool(verified is not None and verified()) or not two_factor_enabled(user=user)


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class TwoFactorGateMiddleware:
    """Keeps a session that owes a second factor (or a staff member's set-up) on the page that takes it.

    With MFA_REQUIRED_FOR_STAFF, a staff session not verified and not yet marked (one from before
    this rule, or whose device was turned off elsewhere) is marked on its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY not in session:
            return self.get_response(request)
        state = session.get(STATE)
        if state is None and settings.MFA_REQUIRED_FOR_STAFF:
            user: Any = request.user
            if staff_must_use_two_factor(user) and not user.is_verified():
                state = VERIFY if two_factor_enabled(user=user) else SETUP
                session[STATE] = state
        if state not in _ALLOWED or _url_name(request) in _ALLOWED[state]:
            return self.get_response(request)
        return self._refuse(request, state)

    def _refuse(self, request: HttpRequest, state: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            # A token is its own credential: with `Authorization: Token …` the API never looks at
            # the session (any other header would let it fall back to the session).
            scheme = request.META.get("HTTP_AUTHORIZATION", "").split()[:1]
            if scheme and scheme[0].lower() == "token":
                return self.get_response(request)
            message = (
                _("Type the code from your authenticator app on the log-in page first.")
                if state == VERIFY
                else _("Set up two-factor authentication on your account's security page first.")
            )
            return JsonResponse({"error": {"code": "two_factor_required", "message": message}}, status=403)
        target = reverse("login_verify" if state == VERIFY else "two_factor")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
