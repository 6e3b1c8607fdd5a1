"""Personal API tokens: create one (its key is shown once) and revoke it.

Only a SHA-256 hash of a key is stored, so a leaked database does not leak working keys; the
first characters are kept as a `prefix` so a person can tell its tokens apart. A token is read-only
or read-write, and may expire: after a number of days or at the end of a date (the page and the API
pass the person's choice here, the one place it is checked).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import ApiToken, User

KEY_PREFIX = "sb_"  # Recognisable in logs and by secret scanners.
PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
MAX_ACTIVE_TOKENS_PER_USER = 20
# The lifetimes offered; a date may also be chosen, at most MAX_EXPIRY_DAYS ahead.
EXPIRY_DAYS = (30, 90, 365)
MAX_EXPIRY_DAYS = 3650
# When a token was last used is recorded to the minute: one write a minute, not one per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_expiry(*, days: int | None, on: date | None, now: datetime) -> datetime | None:
    """When a token created `now` expires: after `days` (one of EXPIRY_DAYS), at the end of the
    date `on` (in the site's time zone, today included), or never (neither given)."""
    if days is not None and on is not None:
        raise InvalidInput(_("Choose a number of days or a date, not both."), field="expires_on")
    if days is not None:
        if days not in EXPIRY_DAYS:
            raise InvalidInput(
                _("A token can expire after %(choices)s days.") % {"choices": ", ".join(map(str, EXPIRY_DAYS))},
                field="expires_in_days",
            )
        return now + timedelta(days=days)
    if on is None:
        return None
    today = timezone.localdate(now)
    if on < today:
        raise InvalidInput(_("The expiry date has passed: choose today or a later date."), field="expires_on")
    if on > today + timedelta(days=MAX_EXPIRY_DAYS):
        raise InvalidInput(
            _("Choose an expiry date at most %(years)d years ahead, or no expiry.") % {"years": MAX_EXPIRY_DAYS // 365},
            field="expires_on",
        )
    return timezone.make_aware(datetime.combine(on, time.max))


def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ_WRITE,
    expires_in_days: int | None = None,
    expires_on: date | None = None,
) -> tuple[ApiToken, str]:
    """Create a personal API token for `user`; return it with its key, which is never stored.

    Without `expires_in_days` or `expires_on` the token never expires. A user has at most
    MAX_ACTIVE_TOKENS_PER_USER tokens that still work (neither revoked nor expired). The user's
    row is locked while counting, so two requests at once cannot both pass the limit.
    """
    now = timezone.now()
    if scope not in ApiToken.Scope.values:
        raise InvalidInput(_("A token is read-only or read-write."), field="scope")
    expires_at = api_token_expiry(days=expires_in_days, on=expires_on, now=now)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(
            _("The name can be at most %(max)d characters long.") % {"max": NAME_MAX_LENGTH}, field="name"
        )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        active = (
            ApiToken.objects.filter(user=user, revoked_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .count()
        )
        if active >= MAX_ACTIVE_TOKENS_PER_USER:
            raise InvalidInput(
                _("You already have %(max)d active tokens. Revoke one you no longer use first.")
                % {"max": MAX_ACTIVE_TOKENS_PER_USER},
                field="name",
            )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=key[:PREFIX_LENGTH],
            key_hash=ApiToken.hash_key(key),
            scope=scope,
            expires_at=expires_at,
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


def api_token_record_use(*, token: ApiToken, now: datetime) -> None:
    """Record that `token` was used `now`, at most once per LAST_USED_PRECISION.

    Called on every authenticated request, so it writes only when the recorded time is older than
    that (read from the row authentication already loaded: no query otherwise), and with a
    conditional update, so concurrent requests of one client write once.
    """
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
