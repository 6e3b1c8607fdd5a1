"""How the API knows its caller: personal API tokens (`Authorization: Token <key>`, only the key's
hash is stored) and the browser's session. Each then answers in the caller's language: DRF
authenticates after every middleware, so a token client's user is known only here
(marketplace/languages.py has the rule; an explicit Accept-Language outweighs the user's choice).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import drf_spectacular.authentication
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from marketplace.languages import language_activate
from marketplace.models import ApiToken, User
from marketplace.security.lockout import cool_off_minutes, token_attempt_allowed, token_failure_record
from marketplace.services.api_tokens import api_token_record_use


class SpeaksTheCallersLanguage(authentication.BaseAuthentication):
    """Once the caller is known, answer in `language_for` it (its `authenticate` comes first in
    the MRO of the classes below, so `super()` is the DRF class doing the work)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        if found is not None:
            language_activate(request._request, found[0], api=True)
        return found


class CountsFailuresPerAddress(authentication.BaseAuthentication):
    """A refused token counts as a failed log-in from the request's address, and an address locked
    out (too many failed log-ins or refused tokens) is answered 429 before any token is looked up
    (marketplace/security/lockout.py). Requests without a token are not concerned."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        keyword = authentication.get_authorization_header(request).split()[:1]
        if not keyword or keyword[0].lower() != b"token":
            return super().authenticate(request)
        if not token_attempt_allowed(request._request):
            raise exceptions.Throttled(
                wait=cool_off_minutes(request._request) * 60,
                detail=str(_("Too many failed authentication attempts from your address.")),
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            token_failure_record(request._request)
            raise


class ApiTokenAuthentication(CountsFailuresPerAddress, SpeaksTheCallersLanguage, authentication.TokenAuthentication):
    """`Authorization: Token <key>`. A revoked, expired or unknown key is 401; a read-only token
    asking for a change (any method but GET, HEAD and OPTIONS) is 403, on every endpoint, before
    its permissions and throttles are asked."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        if found is not None and found[1].is_read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                _(
                    "This API token is read-only: it cannot change anything. Create a read-and-write "
                    "token on your API tokens page to make changes."
                ),
                code="read_only_token",
            )
        return found

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        now = timezone.now()
        if token.has_expired(now):
            raise exceptions.AuthenticationFailed(
                _("This API token expired at %(moment)s (UTC). Create a new one on your API tokens page.")
                % {"moment": _utc(token.expires_at)},
                code="token_expired",
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        api_token_record_use(token=token, now=now)
        return token.user, token


def _utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


class SessionAuthentication(SpeaksTheCallersLanguage, authentication.SessionAuthentication):
    """DRF's session authentication (the browser's own calls), in the caller's language."""


class SessionScheme(drf_spectacular.authentication.SessionScheme):
    """The OpenAPI schema describes it as DRF's own (the cookie)."""

    target_class = "marketplace.api.authentication.SessionAuthentication"
