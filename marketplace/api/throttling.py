"""Throttling for anonymous API clients, with its rate read from settings on every request.

DRF's own throttles copy `DEFAULT_THROTTLE_RATES` into a class attribute when the module is
imported, so a rate changed later (by an operator's environment in a long-lived process, or by a
test's `settings` fixture) would be ignored. This one asks the settings each time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import AnonRateThrottle


class AnonRateThrottleFromSettings(AnonRateThrottle):
    """AnonRateThrottle ("anon" scope) whose rate comes from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`."""

    def get_rate(self) -> str | None:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No throttle rate is set for the {self.scope!r} scope.")
        return rates[self.scope]
