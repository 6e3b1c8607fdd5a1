"""Two-factor authentication (django-otp): an authenticator app (TOTP) and ten one-time recovery codes.

A user turns it on in two steps: `two_factor_setup_begin` makes an unconfirmed app device (its key is
shown as a QR code), `two_factor_enable` confirms it with the first code from the app and makes the
recovery codes, returned once (only django-otp's rows keep them afterwards, never shown again).
`two_factor_check` verifies a code at log-in: six digits are an app code, anything else a recovery
code, which is deleted as it is used. Each check locks the devices it reads (django-otp's
`select_for_update`), so one code cannot be accepted twice by two requests at once, and an app code
is refused at or before the last time step accepted.

Turning it on or off and replacing the recovery codes end the user's other sessions (OWASP ASVS
3.3.3): `User.sessions_ended` is counted up, which changes every session's hash; the page that made
the change keeps its own session with `update_session_auth_hash`, as Django's password change does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.errors import Conflict, InvalidInput
from marketplace.models import User
from marketplace.security.events import security_event
from marketplace.selectors.two_factor import two_factor_enabled

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
_SEPARATORS = re.compile(r"[\s\-]+")
_APP_CODE = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class TwoFactorCheck:
    """What a code proved: the device that accepted it, or how long to wait before the next try
    (django-otp doubles the wait after each wrong code of a device)."""

    device: Device | None
    wait_seconds: int = 0


def _normalized(code: str) -> str:
    return _SEPARATORS.sub("", code).lower()


def _recovery_codes_replace(*, user: User) -> list[str]:
    """Delete the user's recovery codes and make RECOVERY_CODE_COUNT new ones. Call inside a transaction."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _other_sessions_end(*, user: User) -> None:
    """Every session of `user` opened before now stops being signed in (its hash no longer matches);
    `user` holds the new count, for the caller to keep its own session. Call holding the user's lock."""
    User.objects.filter(pk=user.pk).update(sessions_ended=F("sessions_ended") + 1)
    user.refresh_from_db(fields=["sessions_ended"])


def _wait_seconds(device: Device) -> int:
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, int((details["locked_until"] - timezone.now()).total_seconds() + 0.999))


def two_factor_setup_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app device with a fresh random key (an earlier unconfirmed one
    is discarded). Refused when two-factor authentication is already on."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if two_factor_enabled(user=user):
            raise Conflict(_("Two-factor authentication is already on."))
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def two_factor_enable(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending app device with a code it shows now; returns it and the new recovery codes
    (to show once), and ends the user's other sessions. A wrong code is refused and logged (`mfa_failed`)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if two_factor_enabled(user=user):
            raise Conflict(_("Two-factor authentication is already on."))
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise InvalidInput(_("Start the set-up again: no authenticator app is waiting to be confirmed."))
        wait = _wait_seconds(device)
        typed = _normalized(code)
        accepted = wait == 0 and bool(_APP_CODE.fullmatch(typed)) and bool(device.verify_token(typed))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user=user)
            _other_sessions_end(user=user)
    # Outside the transaction: a wrong code's count (django-otp's wait) is kept, not rolled back.
    if not accepted:
        security_event("mfa_failed", outcome="refused", user_id=user.pk, stage="setup")
        raise InvalidInput(_wrong_code_message(wait), field="code")
    security_event("mfa_enabled", outcome="ok", user_id=user.pk)
    return device, codes


def _wrong_code_message(wait: int) -> str:
    if wait:
        return _("Too many wrong codes: wait %(seconds)d seconds, then try again.") % {"seconds": wait}
    return _("That code is not right. Type the 6-digit code your app shows now.")


def two_factor_check(*, user: User, code: str) -> TwoFactorCheck:
    """Verify a code typed by `user`: 6 digits against its app, anything else against its recovery
    codes (a used one is deleted, so it works once). Logs `recovery_code_used` on a recovery code;
    a wrong code is the caller's to count and log (it knows where it was typed)."""
    typed = _normalized(code)
    if not typed:
        return TwoFactorCheck(device=None)
    model: type[Device] = TOTPDevice if _APP_CODE.fullmatch(typed) else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"))
        waits = [_wait_seconds(device) for device in devices]
        if devices and all(waits):
            return TwoFactorCheck(device=None, wait_seconds=min(waits))
        accepted = next((device for device in devices if device.verify_token(typed)), None)
    if isinstance(accepted, StaticDevice):
        security_event(
            "recovery_code_used",
            outcome="ok",
            user_id=user.pk,
            codes_left=StaticToken.objects.filter(device=accepted).count(),
        )
    return TwoFactorCheck(device=accepted)


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes (to show once); the old ones stop working, and the user's other sessions end."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not two_factor_enabled(user=user):
            raise Conflict(_("Two-factor authentication is off: there are no recovery codes to replace."))
        codes = _recovery_codes_replace(user=user)
        _other_sessions_end(user=user)
    security_event("recovery_codes_regenerated", outcome="ok", user_id=user.pk)
    return codes


def two_factor_disable(*, user: User) -> None:
    """Turn two-factor authentication off: the app and every recovery code stop working, and the
    user's other sessions end."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _other_sessions_end(user=user)
    security_event("mfa_disabled", outcome="ok", user_id=user.pk)


def two_factor_proof_check(*, user: User, proof: str) -> bool:
    """Before a change to two-factor authentication: the user's password, a current app code or a
    recovery code (which is then used up)."""
    if user.check_password(proof):
        return True
    return two_factor_check(user=user, code=proof).device is not None
