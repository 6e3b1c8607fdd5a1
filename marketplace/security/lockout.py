"""Log-in lockout with django-axes: who is counted, what a locked-out person sees, whom we tell.

Every failed log-in (the log-in page, the admin's, and a request with a wrong API token) is counted
for the address it came from and, when an e-mail address was typed, for that account. At
AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME, axes refuses every further log-in of that
account or from that address, the right password too, until the cool-off has passed since the last
attempt. The person sees the "locked" page (429) saying when to try again; the account's owner is
e-mailed once, when its own count reaches the limit. docs/security.md has the whole story.

The functions named in settings (AXES_*_CALLABLE, AXES_LOCKOUT_PARAMETERS) are here, and the
receivers of the log-in signals (connected in marketplace/security/receivers.py).
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import CharField, Sum, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.models import User
from marketplace.security.events import security_event
from marketplace.tasks.accounts import account_email_enqueue, account_locked_send_task

# The `sender` of the user_login_failed signal for a refused API token (see `token_failure_record`).
TOKEN_SENDER = "marketplace.api.token"  # noqa: S105 - a signal sender name, not a secret
# What axes records as "typed" for a token failure: no account, so only the address counts.
_NO_ACCOUNT: dict[str, Any] = {"username": None}


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a log-in attempt was for: the typed e-mail address, as stored (lower-case)."""
    if credentials is not None and "username" in credentials:
        raw = credentials["username"]
    else:
        raw = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) if request.method == "POST" else None
    text = str(raw or "").strip().lower()
    return text[:255] or None


def lockout_parameters(request: Any, credentials: dict[str, Any] | None) -> list[str]:
    """Count per account and per address; an attempt without an account (a token) per address only."""
    if isinstance(request, AccessAttempt):
        return ["username", "ip_address"] if request.username else ["ip_address"]
    return ["username", "ip_address"] if attempted_username(request, credentials) else ["ip_address"]


def cool_off_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def _retry_message(minutes: int) -> str:
    return ngettext(
        "Try again in %(minutes)d minute.",
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """What axes answers a locked-out attempt: 429 with Retry-After; the page says when to retry.

    The same answer whether or not the typed address has an account.
    """
    minutes = cool_off_minutes(request)
    retry_after = str(minutes * 60)
    if request.path.startswith("/api/"):
        message = _("Too many failed authentication attempts from your address.") + " " + _retry_message(minutes)
        response: HttpResponse = JsonResponse({"error": {"code": "locked_out", "message": message}}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"retry_message": _retry_message(minutes), "minutes": minutes},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


def lockout_clear(*, user: User) -> None:
    """Forget the failed log-ins counted for this account (its owner proved it holds the mailbox by
    choosing a new password from an e-mailed link).

    They still count for the addresses they came from, so the attacker's address stays locked: the
    attempts are kept under a name that is no account's ("reset:<id>"), not deleted.
    """
    AccessAttempt.objects.filter(username=user.email).update(
        username=Concat(Value("reset:"), Cast("pk", output_field=CharField()))
    )
    security_event("password_reset_completed", outcome="ok", user_id=user.pk)


# --- API tokens (marketplace/api/authentication.py) ---------------------------------------------


def token_attempt_allowed(request: HttpRequest) -> bool:
    """False when the request's address is locked out: too many failed log-ins or wrong tokens."""
    return bool(AxesProxyHandler.is_allowed(request, dict(_NO_ACCOUNT)))


def token_failure_record(request: HttpRequest) -> None:
    """Count a refused API token against the request's address, as a failed log-in."""
    user_login_failed.send(sender=TOKEN_SENDER, credentials=dict(_NO_ACCOUNT), request=request)


# --- The second factor (marketplace/security/two_factor.py) ---------------------------------------

# The `sender` of the user_login_failed signal for a wrong two-factor code.
SECOND_FACTOR_SENDER = "marketplace.two_factor"


def second_factor_attempt_allowed(request: HttpRequest, user: User) -> bool:
    """False when the account or the request's address is locked out: a wrong code counts as a
    failed log-in, so someone who knows the password cannot try codes without end."""
    return bool(AxesProxyHandler.is_allowed(request, {"username": user.email}))


def second_factor_failure_record(request: HttpRequest, user: User) -> None:
    """Count a wrong two-factor code against the account and the request's address, as a failed log-in."""
    user_login_failed.send(sender=SECOND_FACTOR_SENDER, credentials={"username": user.email}, request=request)


# --- Signal receivers -------------------------------------------------------------------------

# Set on a request that logged someone in (its POST is the log-in, not a staff action).
LOGGED_IN_NOW = "security_logged_in_now"


def _user_id(email: str | None) -> int | None:
    if not email:
        return None
    return User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()


def _failures(**lookup: Any) -> int:
    threshold = timezone.now() - (get_cool_off() or timedelta(0))
    found = AccessAttempt.objects.filter(attempt_time__gte=threshold, **lookup).aggregate(
        total=Sum("failures_since_start")
    )
    return int(found["total"] or 0)


def on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    if request is None:
        return
    locked = bool(getattr(request, "axes_locked_out", False))
    outcome = "locked" if locked else "refused"
    if sender == TOKEN_SENDER:
        security_event("token_auth_failed", outcome=outcome, path=request.path)
        return
    username = attempted_username(request, credentials)
    if sender == SECOND_FACTOR_SENDER:
        security_event("mfa_failed", outcome=outcome, user_id=_user_id(username), path=request.path)
        return
    security_event(
        "login_failed",
        outcome=outcome,
        user_id=_user_id(username),
        username=username,
        path=request.path,
    )


def on_locked_out(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any) -> None:
    """Log when an account or an address reaches the limit (once, not on every attempt after), and
    e-mail the account's owner."""
    limit = get_failure_limit(request, getattr(request, "axes_credentials", None))
    username = (username or "").strip().lower() or None
    if username and _failures(username=username) == limit:
        user_id = _user_id(username)
        security_event(
            "account_locked", outcome="locked", user_id=user_id, username=username, minutes=cool_off_minutes(request)
        )
        if user_id is not None:
            minutes = cool_off_minutes(request)
            address = ip_address or "unknown"
            transaction.on_commit(
                functools.partial(account_email_enqueue, account_locked_send_task, user_id, address, minutes)
            )
    if _failures(ip_address=ip_address) == limit:
        security_event("address_locked", outcome="locked", address=ip_address, minutes=cool_off_minutes(request))


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    if request is None:
        return
    security_event("login_succeeded", outcome="ok", user_id=user.pk, path=request.path)
    setattr(request, LOGGED_IN_NOW, True)


def on_logged_out(sender: Any, request: HttpRequest | None, user: User | None, **_: Any) -> None:
    security_event("logout", outcome="ok", user_id=user.pk if user else None)
