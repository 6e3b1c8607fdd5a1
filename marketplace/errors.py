"""Domain errors. Services raise these; views and the API turn them into clear answers.

Each carries a message meant for a person, and the HTTP status it maps to.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A request the domain refuses. `message` is shown to the person who asked."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class InvalidInput(DomainError):
    status_code = 400
    code = "invalid"


class NotFound(DomainError):
    """The object does not exist for this actor (also used for objects outside its scope)."""

    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The object's state does not allow the change (already done, or done by someone else)."""

    status_code = 409
    code = "conflict"
