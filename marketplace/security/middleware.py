"""Middleware of the accounts' defences: the security log's view of every request, and session timeouts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from marketplace.security.addresses import client_address
from marketplace.security.events import current_address, security_event
from marketplace.security.lockout import LOGGED_IN_NOW

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Set on a request whose refusal was already logged (DomainErrorMiddleware logs a page's refusal).
REFUSAL_LOGGED = "security_refusal_logged"
# Session keys: when the user logged in, and when it was last seen (Unix seconds).
LOGIN_AT = "security_login_at"
LAST_SEEN = "security_last_seen"
# The last-seen time is written at most this often, so a busy user's requests do not each write the
# session (the idle timeout is this much less exact).
LAST_SEEN_GRANULARITY_SECONDS = 60


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class SecurityEventMiddleware:
    """Makes the client's address known to the security log for this request, and logs what the
    views answered that matters to security:

    - every 403 (a page or an API call refused to its user), as `permission_refused`;
    - a 404 for an object's address (one with an id in it) asked by a signed-in user — another
      company's object is "not found" on purpose — as `not_found`;
    - every write (POST, PUT, PATCH, DELETE) by a staff user, the admin's included, as `staff_action`
      (not the log-in itself, logged as `login_succeeded`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(client_address(request))
        try:
            response = self.get_response(request)
            self._log(request, response)
        finally:
            current_address.reset(token)
        return response

    def _log(self, request: HttpRequest, response: HttpResponse) -> None:
        """Only the answers above ask who the user is, so other requests cost no query here."""
        status = response.status_code
        if not getattr(request, REFUSAL_LOGGED, False):
            match = getattr(request, "resolver_match", None)
            if status == 403:
                security_event(
                    "permission_refused", outcome="refused", user_id=_user_id(request), path=request.path, status=status
                )
            elif status == 404 and match is not None and match.kwargs and (user_id := _user_id(request)) is not None:
                security_event("not_found", outcome="refused", user_id=user_id, path=request.path, status=status)
        if request.method in SAFE_METHODS or getattr(request, LOGGED_IN_NOW, False):
            return
        user = getattr(request, "user", None)
        user_id = _user_id(request)
        if user is not None and user.is_authenticated and user.is_staff:
            outcome = "ok" if status < 400 else "refused"
            security_event(
                "staff_action",
                outcome=outcome,
                user_id=user_id,
                method=request.method,
                path=request.path,
                status=status,
            )


def stamp_session_on_login(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """user_logged_in receiver: the session's clocks start at the log-in."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[LOGIN_AT] = now
        session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT_MINUTES without a request, and
    SESSION_MAX_AGE_HOURS after the log-in whatever the activity; the next page says why.

    The request then goes on as an anonymous one (a page that needs an account sends to the log-in).
    A session from before these clocks existed starts them now.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session says whether someone is signed in without loading the user (no query for it).
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN)
        if not isinstance(login_at, int) or not isinstance(last_seen, int):
            session[LOGIN_AT] = login_at if isinstance(login_at, int) else now
            session[LAST_SEEN] = now
            return
        idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        age_limit = settings.SESSION_MAX_AGE_HOURS * 60 * 60
        if now - last_seen > idle_limit:
            self._end(
                request,
                "idle",
                ngettext(
                    "You were logged out after %(count)d minute without activity. Log in again to continue.",
                    "You were logged out after %(count)d minutes without activity. Log in again to continue.",
                    settings.SESSION_IDLE_TIMEOUT_MINUTES,
                )
                % {"count": settings.SESSION_IDLE_TIMEOUT_MINUTES},
            )
        elif now - login_at > age_limit:
            self._end(
                request,
                "max_age",
                ngettext(
                    "You were logged out %(count)d hour after logging in. Log in again to continue.",
                    "You were logged out %(count)d hours after logging in. Log in again to continue.",
                    settings.SESSION_MAX_AGE_HOURS,
                )
                % {"count": settings.SESSION_MAX_AGE_HOURS},
            )
        elif now - last_seen >= LAST_SEEN_GRANULARITY_SECONDS:
            session[LAST_SEEN] = now

    def _end(self, request: HttpRequest, reason: str, message: str) -> None:
        user_id = _user_id(request)
        logout(request)
        security_event("session_expired", outcome="ok", user_id=user_id, reason=reason)
        if request.method in SAFE_METHODS and not request.path.startswith("/api/"):
            messages.info(request, message)
