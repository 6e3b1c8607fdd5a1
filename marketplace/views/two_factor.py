"""Pages of two-factor authentication: the second step of a log-in, and the account's security page
where a user turns it on (QR code, first code, recovery codes shown once) or off.

marketplace/security/two_factor.py keeps a session that owes a second factor on these pages.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.errors import DomainError
from marketplace.forms.two_factor import AppCodeForm, SecondFactorForm, TwoFactorProofForm
from marketplace.middleware import returns_to
from marketplace.security.lockout import (
    locked_out_response,
    second_factor_attempt_allowed,
    second_factor_failure_record,
)
from marketplace.security.two_factor import (
    SETUP,
    VERIFY,
    session_needs_setup,
    session_state,
    session_verified,
    staff_must_use_two_factor,
)
from marketplace.selectors.two_factor import app_device_pending, recovery_codes_left, two_factor_enabled
from marketplace.services.two_factor import (
    recovery_codes_regenerate,
    two_factor_check,
    two_factor_disable,
    two_factor_enable,
    two_factor_proof_check,
    two_factor_setup_begin,
)
from marketplace.tenancy import AuthenticatedHttpRequest

CODES_PREFIX, DISABLE_PREFIX = "codes", "disable"


def _next_url(request: HttpRequest) -> str:
    """Where to go once the session is verified: the `next` asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked_out(request: HttpRequest, user: Any) -> HttpResponse:
    """Refuse a code while the account or address is locked out, and end the half-done log-in."""
    logout(request)
    return locked_out_response(request, None, {"username": user.email})


# --- The second step of a log-in -----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app or a recovery code. A wrong one counts as a failed
    log-in (django-axes), so the lockout stops anyone who has only the password."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("login")
    if session_state(request) != VERIFY:
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not second_factor_attempt_allowed(request, user):
            return _locked_out(request, user)
        check = two_factor_check(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            session_verified(request, check.device)
            return redirect(_next_url(request))
        # A code typed while django-otp makes the device wait counts too: it is one more guess.
        second_factor_failure_record(request, user)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, user)
        form.add_error(
            "code",
            _("Too many wrong codes: wait %(seconds)d seconds, then try again.") % {"seconds": check.wait_seconds}
            if check.wait_seconds
            else _("That code is not right. Try the code your app shows now, or a recovery code."),
        )
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/login_verify.html", context, status=status)


# --- The account's security page -------------------------------------------------------------------


def _qr_code_svg(device: TOTPDevice) -> SafeString:
    """The app's set-up link as an inline SVG QR code (made here: no image from elsewhere)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    # The SVG is made from our own link by qrcode: paths only, no text of anyone's.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


def _secret_text(device: TOTPDevice) -> str:
    """The key as an app takes it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, first_time: bool) -> HttpResponse:
    context = {"codes": codes, "first_time": first_time, "next": _next_url(request)}
    return render(request, "marketplace/accounts/two_factor_codes.html", context)


@never_cache
@login_required
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account's security page: whether two-factor authentication is on, and what to do next."""
    user = request.user
    enabled = two_factor_enabled(user=user)
    context = {
        "enabled": enabled,
        "codes_left": recovery_codes_left(user=user) if enabled else 0,
        "required": staff_must_use_two_factor(user),
        "setup_required": session_state(request) == SETUP,
        # Two forms on one page: their prefixes keep their fields' ids apart.
        "codes_form": TwoFactorProofForm(prefix=CODES_PREFIX),
        "disable_form": TwoFactorProofForm(prefix=DISABLE_PREFIX),
        "next": _next_url(request),
    }
    return render(request, "marketplace/accounts/two_factor.html", context)


@returns_to("two_factor")
@login_required
@require_POST
def two_factor_begin(request: AuthenticatedHttpRequest) -> HttpResponse:
    two_factor_setup_begin(user=request.user)
    return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The QR code and key of the app being set up; the first code from the app turns it on and
    shows the recovery codes, in this one answer only."""
    device = app_device_pending(user=request.user)
    if device is None:
        return redirect("two_factor")
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = two_factor_enable(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            update_session_auth_hash(request, request.user)  # this session stays; the others ended
            session_verified(request, confirmed)
            return _recovery_codes_page(request, codes, first_time=True)
    context = {
        "form": form,
        "qr_code": _qr_code_svg(device),
        "secret": _secret_text(device),
        "next": _next_url(request),
    }
    return render(request, "marketplace/accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


def _refusal_unless_proven(request: AuthenticatedHttpRequest, prefix: str) -> HttpResponse | None:
    """None when the proof form holds the user's password or a current code; otherwise the answer
    (back to the security page with why, or the "locked" page). A wrong one counts as a failed log-in."""
    user = request.user
    form = TwoFactorProofForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, _("Type your password or a current code to confirm."))
        return redirect("two_factor")
    if not second_factor_attempt_allowed(request, user):
        return _locked_out(request, user)
    if two_factor_proof_check(user=user, proof=form.cleaned_data["proof"]):
        return None
    second_factor_failure_record(request, user)
    if getattr(request, "axes_locked_out", False):
        return _locked_out(request, user)
    messages.error(request, _("That is neither your password nor a current code. Nothing was changed."))
    return redirect("two_factor")


@never_cache
@returns_to("two_factor")
@login_required
@require_POST
def two_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if refusal := _refusal_unless_proven(request, CODES_PREFIX):
        return refusal
    codes = recovery_codes_regenerate(user=request.user)
    update_session_auth_hash(request, request.user)  # this session stays; the others ended
    return _recovery_codes_page(request, codes, first_time=False)


@returns_to("two_factor")
@login_required
@require_POST
def two_factor_disable_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if refusal := _refusal_unless_proven(request, DISABLE_PREFIX):
        return refusal
    two_factor_disable(user=request.user)
    update_session_auth_hash(request, request.user)  # this session stays; the others ended
    if staff_must_use_two_factor(request.user):
        session_needs_setup(request)
    messages.success(request, _("Two-factor authentication is off. Logging in now needs only your password."))
    return redirect("two_factor")
