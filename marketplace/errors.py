"""Domain errors. Services raise these; views and the API turn them into clear answers.

Each carries a message meant for a person, the HTTP status it maps to and a stable
machine-readable code (the API's `error.code`, listed in docs/api.md). The last few refuse a
request for what it is rather than what it asks (too large, an address too long), before or while
it is read (marketplace.request_checks, the API's exception handler).
"""

from __future__ import annotations

from django.conf import settings
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

    def __init__(self, *, errors: dict[str, list[str]], message: str | Promise | None = None) -> None:
        """`message` says what is wrong as a whole (a page shows it); by default the first error."""
        first_field = next(iter(errors), None)
        if message is None:
            message = errors[first_field][0] if first_field else _("The input is not valid.")
        super().__init__(message, field=first_field)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())


class RequestTooLarge(DomainError):
    """A body over a size limit: MAX_REQUEST_BODY_BYTES, refused unread by its Content-Length, or
    the form text limit DATA_UPLOAD_MAX_MEMORY_SIZE, found while reading it."""

    status_code = 413
    code = "too_large"

    @classmethod
    def unread(cls, size: int) -> RequestTooLarge:
        return cls(
            _(
                "The request is too large (%(size)s MB): at most %(limit)s MB can be sent at once. "
                "Send fewer or smaller files at a time."
            )
            % {"size": _megabytes(size), "limit": _megabytes(settings.MAX_REQUEST_BODY_BYTES)}
        )

    @classmethod
    def form_text(cls) -> RequestTooLarge:
        return cls(
            _(
                "The request is too large: its text may hold at most %(limit)s MB in all "
                "(images and files go as uploads)."
            )
            % {"limit": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)}
        )


class TooManyFields(InvalidInput):
    """More form fields or files than DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES allow."""

    code = "too_many_fields"

    def __init__(self) -> None:
        super().__init__(_("The request has too many fields or files to accept: send fewer at a time."))


class UriTooLong(DomainError):
    """An address (path and query string) longer than MAX_URL_LENGTH."""

    status_code = 414
    code = "uri_too_long"

    def __init__(self) -> None:
        super().__init__(
            _("The address is too long: at most %(limit)s characters. Use fewer or shorter filters.")
            % {"limit": f"{settings.MAX_URL_LENGTH:,}"}
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")
