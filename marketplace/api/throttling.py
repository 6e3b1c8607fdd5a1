"""Throttling of API clients, with rates read from settings on every request.

- Anonymous clients: `anon` per address (AnonRateThrottleFromSettings), the client's address as
  the lockout and the security log read it: behind TRUSTED_PROXY_COUNT proxies, the entry of
  X-Forwarded-For they wrote (marketplace/security/addresses.py), so the clients behind one proxy
  do not share one count, and no client picks a new count by writing the header itself.
- Authenticated clients: per API token (a browser session counts per user) with `token_read` /
  `token_write`, and per company they act for with `company_read` / `company_write`, so that a
  company's many tokens together cannot take more than its share. Reads are GET, HEAD and
  OPTIONS; everything else is a write.

Every view lists `API_THROTTLES`. A refused request is 429 with `Retry-After` in the API's error
shape. Throttles count in the cache (Redis); when it is unreachable, the cache answers "nothing
counted" (sourcebelt/cache.py) and the request goes through rather than failing.

DRF's own throttles copy `DEFAULT_THROTTLE_RATES` into a class attribute when the module is
imported, so a rate changed later (by an operator's environment in a long-lived process, or by a
test's `settings` fixture) would be ignored. These ask the settings each time.

They count in windows (`WindowCounting`), not as DRF's `SimpleRateThrottle` does: it keeps every
request's time of the last period in one cache entry, read and written back whole on every
request — two round trips and a list as long as the rate (1,200 times a minute for a company's
reads), and two workers that read the list at once each write back their own, one count lost. Here
a window opens with a client's first request and lasts the rate's period; each request adds one
to its count in a single atomic step (Redis' INCR, one round trip, whatever the rate), and beyond
the rate the answer is 429 until the window closes: `Retry-After` is the seconds it has left.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import BaseCache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle

from marketplace.models import ApiToken
from marketplace.security.addresses import client_address
from marketplace.tenancy import acting_company


def _rate(scope: str) -> str | None:
    rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    if scope not in rates:
        raise ImproperlyConfigured(f"No throttle rate is set for the {scope!r} scope.")
    return rates[scope]


def window_count(cache: BaseCache, key: str, seconds: int) -> tuple[int, int]:
    """One more request counted under `key` in its window of `seconds` (opened by the first): the
    count, this one included, and the seconds the window has left. Redis (`sourcebelt.cache`):
    atomic, one round trip. Another cache (a development machine without Redis): its own `add` and
    `incr`, the window's end not known (the whole period given)."""
    counting = getattr(cache, "count", None)
    if counting is not None:
        return counting(key, seconds)
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key), seconds
    except ValueError:  # the window closed between the two calls: this request opens the next
        cache.add(key, 1, seconds)
        return 1, seconds


class WindowCounting(SimpleRateThrottle):
    """`SimpleRateThrottle` counting in windows (see the module): at most `num_requests` in a
    window of `duration` seconds opened by the client's first request."""

    # Not DRF's key: an entry it wrote (a list of times) cannot be counted on.
    cache_format = "throttle:window:%(scope)s:%(ident)s"
    # Set by SimpleRateThrottle from the rate (undeclared in its stubs).
    num_requests: int | None
    duration: int | None

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.num_requests is None or self.duration is None:
            return True  # no rate: not throttled
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self.left = window_count(self.cache, self.key, self.duration)
        return count <= self.num_requests

    def wait(self) -> float | None:
        return max(1, self.left)


class AnonRateThrottleFromSettings(WindowCounting, AnonRateThrottle):
    """AnonRateThrottle ("anon" scope) whose rate comes from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`."""

    def get_rate(self) -> str | None:
        return _rate(str(self.scope))

    def get_ident(self, request: Request) -> str:
        # Not DRF's: without NUM_PROXIES it takes X-Forwarded-For whole, which any client writes.
        return client_address(request)


class _SignedInRateThrottle(WindowCounting):
    """Counts a signed-in client's requests under `<kind>_read` or `<kind>_write`, whichever the
    method is, keyed by `ident` (None: not counted here)."""

    kind: ClassVar[str]

    def __init__(self) -> None:
        # The scope, and so the rate, depends on the request's method: chosen in allow_request.
        self.rate = None

    def ident(self, request: Request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True
        ident = self.ident(request)
        if ident is None:
            return True
        self.scope = f"{self.kind}_{'read' if request.method in SAFE_METHODS else 'write'}"
        self.rate = _rate(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self._ident = ident
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self._ident}


class TokenRateThrottle(_SignedInRateThrottle):
    """Per API token (`token_read`, `token_write`); a browser session's calls count per user."""

    kind = "token"

    def ident(self, request: Request) -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"token{request.auth.pk}"
        return f"user{request.user.pk}"


class CompanyRateThrottle(_SignedInRateThrottle):
    """Per company acted for (`company_read`, `company_write`), all its members' tokens together.
    A user acting for no company (staff) is counted by its token only."""

    kind = "company"

    def ident(self, request: Request) -> str | None:
        company = acting_company(request)
        return str(company.pk) if company is not None else None


API_THROTTLES: list[type[BaseThrottle]] = [AnonRateThrottleFromSettings, TokenRateThrottle, CompanyRateThrottle]
