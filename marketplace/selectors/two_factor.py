"""What a user's two-factor authentication looks like: its authenticator app and recovery codes."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.models import User


def two_factor_enabled(*, user: User) -> bool:
    """True when the user confirmed an authenticator app: log-ins then ask for a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def app_device_pending(*, user: User) -> TOTPDevice | None:
    """The authenticator app being set up (shown as a QR code, not yet confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_device(*, user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()
