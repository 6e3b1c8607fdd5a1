"""Accounts and tenancy: sign-up, companies, memberships, invitations, API tokens."""

from __future__ import annotations

from django.conf import settings

from marketplace.errors import InvalidInput
from marketplace.models import User


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput("Unknown language.", field="language")
    if user.preferred_language != language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language
