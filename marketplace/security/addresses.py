"""The address a request comes from, as the lockout, the e-mail limits and the security log count it.

Behind reverse proxies the connection's address is the nearest proxy's, so TRUSTED_PROXY_COUNT
says how many proxies append to X-Forwarded-For; the client is the entry that many places from the
right (entries further left are whatever the client sent, and cannot be trusted). With 0, the
default, the header is ignored: a client could otherwise pick a new address for every attempt.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def client_address(request: HttpRequest) -> str:
    """The client's IP address; "unknown" when none can be read (never raises)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return UNKNOWN


def lockout_address(request: HttpRequest) -> str | None:
    """`client_address` as django-axes stores it (an IP address column): None when unknown, as for a
    request made in-process without one."""
    address = client_address(request)
    return None if address == UNKNOWN else address
