"""What this process knows about Redis being unreachable, as the cache or as the broker.

After a connection failure the caller answers without the server at once (a cache miss; a task
left pending in the database for its sweeper) and, for `pause` seconds, does not try that server
again: a request waits for an unreachable server once, not once per cache read or per task. The
first call after the pause tries again. Each server (cache location, broker URL) is tracked apart,
per process; nothing is shared, so nothing else can fail.

One warning is logged when an outage begins (and again after each pause that ends in another
failure), one line when the server answers again.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

logger = logging.getLogger("sourcebelt.outages")

# server -> monotonic time until which it is left alone
_paused_until: dict[str, float] = {}
# servers that failed and have not answered since
_down: set[str] = set()


def server_name(url: str) -> str:
    """The URL without its credentials, fit for a log line."""
    parts = urlsplit(url)
    if not parts.hostname:
        return parts.scheme or url
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


def outage_ongoing(server: str) -> bool:
    """True while `server` failed less than its pause ago: do not try it now."""
    until = _paused_until.get(server)
    return until is not None and time.monotonic() < until


def outage_begin(server: str, *, role: str, pause: float, error: BaseException) -> None:
    """`server` just failed: leave it alone for `pause` seconds."""
    _paused_until[server] = time.monotonic() + pause
    _down.add(server)
    logger.warning(
        "Redis as the %s (%s) is unreachable (%s: %s); answering without it, trying again in %.1f s.",
        role,
        server_name(server),
        type(error).__name__,
        error,
        pause,
    )


def outage_end(server: str, *, role: str) -> None:
    """`server` answered: forget any outage (a set lookup when there was none)."""
    if server in _down:
        _down.discard(server)
        _paused_until.pop(server, None)
        logger.warning("Redis as the %s (%s) answers again.", role, server_name(server))


def outages_forget() -> None:
    """Forget every outage (tests start from a clean slate)."""
    _paused_until.clear()
    _down.clear()
