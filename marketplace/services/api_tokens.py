"""Personal API tokens: create one (its key is shown once) and revoke it.

Only a SHA-256 hash of a key is stored, so a leaked database does not leak working keys; the
first characters are kept as a `prefix` so a person can tell its tokens apart.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import ApiToken, User

KEY_PREFIX = "sb_"  # Recognisable in logs and by secret scanners.
PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
MAX_ACTIVE_TOKENS_PER_USER = 20


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token for `user`; return it with its key, which is never stored.

    A user has at most MAX_ACTIVE_TOKENS_PER_USER tokens that are not revoked. The user's row is
    locked while counting, so two requests at once cannot both pass the limit.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(
            _("The name can be at most %(max)d characters long.") % {"max": NAME_MAX_LENGTH}, field="name"
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS_PER_USER:
            raise InvalidInput(
                _("You already have %(max)d active tokens. Revoke one you no longer use first.")
                % {"max": MAX_ACTIVE_TOKENS_PER_USER},
                field="name",
            )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
        )
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens; it stops authenticating at once.

    Another user's token, or one that does not exist, is NotFound (no existence leak). A token
    already revoked is a Conflict, so the person learns nothing changed.
    """
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotFound(_("You have no API token with this id."))
        if token.revoked_at is not None:
            raise Conflict(_("This token was already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
