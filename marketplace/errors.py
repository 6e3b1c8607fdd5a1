"""Domain errors. Services raise these; views and the API turn them into clear answers.

Each carries a message meant for a person, and the HTTP status it maps to.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _


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


class InvalidFields(InvalidInput):
    """Every problem found in one input, by field, so a form, an API answer or an import report
    can show them all at once (the rule modules of each app raise their own subclass)."""

    def __init__(self, *, errors: dict[str, list[str]]) -> None:
        first_field = next(iter(errors), None)
        super().__init__(errors[first_field][0] if first_field else _("The input is not valid."), field=first_field)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())
