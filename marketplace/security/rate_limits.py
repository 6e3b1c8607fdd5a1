"""Limits on the requests that send an account e-mail (password reset, sign-up), kept in the cache.

Two counters per kind of request, each for one hour: one per client address (more is refused with
a "too many requests" page) and one per e-mail address asked about (more is answered as usual but
sends nothing, so the answer never tells whether an address has an account, and nobody can flood
a mailbox). The counters are in the cache (Redis in production). When the cache cannot be reached,
a request is let through and the failure logged: losing Redis must not stop people from resetting
a password, and the e-mail is still sent at most once per request.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from marketplace.security.events import security_event

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60 * 60


@dataclass(frozen=True)
class AccountEmailAllowance:
    """Whether a request that would send an account e-mail may go on, and whether it may send."""

    address_allowed: bool
    send: bool


def _count(key: str) -> int:
    """Add one to the counter `key` (created for WINDOW_SECONDS) and return it; 0 when the cache fails."""
    try:
        if cache.add(key, 1, timeout=WINDOW_SECONDS):
            return 1
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1
    except Exception:
        logger.warning("The cache is unreachable: account e-mail limits are not counted.", exc_info=True)
        return 0


def account_email_allowance(*, kind: str, address: str, email: str) -> AccountEmailAllowance:
    """Count one request of `kind` ("password_reset", "signup") from `address` about `email`."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    by_address = _count(f"account-email:{kind}:address:{address}")
    if by_address > settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR:
        security_event(kind, outcome="throttled", address=address, limit="address")
        return AccountEmailAllowance(address_allowed=False, send=False)
    by_recipient = _count(f"account-email:{kind}:recipient:{digest}")
    if by_recipient > settings.ACCOUNT_EMAILS_PER_RECIPIENT_PER_HOUR:
        security_event(kind, outcome="throttled", address=address, limit="recipient")
        return AccountEmailAllowance(address_allowed=True, send=False)
    return AccountEmailAllowance(address_allowed=True, send=True)
