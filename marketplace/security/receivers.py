"""Signal receivers of the security log, connected once by `connect` (marketplace/apps.py).

Log-ins, log-outs and lockouts come from django.contrib.auth's and django-axes' signals
(marketplace/security/lockout.py); API tokens are logged when their row is written, whichever
service writes it.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from marketplace.models import ApiToken
from marketplace.security.events import security_event
from marketplace.security.lockout import on_locked_out, on_logged_in, on_logged_out, on_login_failed
from marketplace.security.middleware import stamp_session_on_login
from marketplace.security.two_factor import on_logged_in as two_factor_on_logged_in


def on_api_token_saved(sender: Any, instance: ApiToken, created: bool, update_fields: Any = None, **_: Any) -> None:
    if created:
        security_event(
            "token_created", outcome="ok", user_id=instance.user_id, token_id=instance.pk, prefix=instance.prefix
        )
    elif instance.revoked_at is not None and (update_fields is None or "revoked_at" in update_fields):
        security_event(
            "token_revoked", outcome="ok", user_id=instance.user_id, token_id=instance.pk, prefix=instance.prefix
        )


def connect() -> None:
    user_login_failed.connect(on_login_failed, dispatch_uid="security-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="security-locked-out")
    user_logged_in.connect(on_logged_in, dispatch_uid="security-logged-in")
    user_logged_in.connect(stamp_session_on_login, dispatch_uid="security-session-clocks")
    user_logged_in.connect(two_factor_on_logged_in, dispatch_uid="security-two-factor-state")
    user_logged_out.connect(on_logged_out, dispatch_uid="security-logged-out")
    post_save.connect(on_api_token_saved, sender=ApiToken, dispatch_uid="security-api-token-saved")
