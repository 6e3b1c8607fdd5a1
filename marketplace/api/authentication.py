"""Personal API tokens: `Authorization: Token <key>`. Only the key's hash is stored."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from marketplace.models import ApiToken, User


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        now = timezone.now()
        # Record use at most once a minute, so busy clients do not write on every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        return super().authenticate(request)
