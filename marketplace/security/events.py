"""The security log: one line per security event on the logger "sourcebelt.security".

Each line is `event=<name>` followed by key=value pairs (`outcome`, `user_id`, `address`, then the
event's own facts), so a log shipper can parse it and a person can read it. The fields also travel
as `record.security` (a dict) for a structured handler. docs/security.md lists every event.

Values are made safe for one line: whitespace and control characters become "_" and quotes are
dropped, so nothing typed into a form (an e-mail address) can forge a second record.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from typing import Any

logger = logging.getLogger("sourcebelt.security")

# The address of the request being served, set by SecurityEventMiddleware, so a service that logs
# an event (a token created) does not need the request.
current_address: ContextVar[str] = ContextVar("security_current_address", default="-")

_UNSAFE = re.compile(r"[\s\"'\\\x00-\x1f\x7f]+")
_MAX_VALUE_LENGTH = 200


def _value(raw: Any) -> str:
    if raw is None or raw == "":
        return "-"
    text = _UNSAFE.sub("_", str(raw))
    return text[:_MAX_VALUE_LENGTH]


def security_event(
    event: str, *, outcome: str, user_id: int | None = None, address: str | None = None, **facts: Any
) -> None:
    """Log one security event. `outcome` says how it ended (ok, refused, locked, throttled...)."""
    fields: dict[str, str] = {
        "event": _value(event),
        "outcome": _value(outcome),
        "user_id": _value(user_id),
        "address": _value(address if address is not None else current_address.get()),
    }
    fields.update({name: _value(value) for name, value in facts.items()})
    level = logging.INFO if outcome == "ok" else logging.WARNING
    logger.log(level, " ".join(f"{name}={value}" for name, value in fields.items()), extra={"security": fields})
