"""Every API error has one JSON shape:

{"error": {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}}

with a stable `code` per kind of error (docs/api.md lists them). The DRF exception handler here
answers what a view raises; what happens outside a view (a request refused before it, an
unhandled exception: 500) is answered in the same shape by marketplace.request_checks and the
project's error handlers (marketplace.views.errors) for every address under /api/.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from marketplace.errors import DomainError, InvalidFields, RequestTooLarge, TooManyFields

API_PREFIX = "/api/"

# Every `code` an error answer can carry: the schema lists them (an enum of the Error shape), so a
# client can switch on them and schemathesis fails on any other. docs/api.md says when each comes.
ERROR_CODES = (
    "invalid",
    "parse_error",
    "too_many_fields",
    "bad_request",
    "not_authenticated",
    "authentication_failed",
    "token_expired",
    "permission_denied",
    "read_only_token",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "conflict",
    "too_large",
    "uri_too_long",
    "unsupported_media_type",
    "throttled",
    "locked_out",
    "server_error",
    "took_too_long",
)
# The code of an error whose own code is not in the list (a library's exception), by its status.
_CODE_OF_STATUS = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "throttled",
}


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the API, which answers every error in its JSON shape."""
    return request.path_info.startswith(API_PREFIX)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def domain_error_body(error: DomainError) -> dict[str, Any]:
    if isinstance(error, InvalidFields):
        fields: dict[str, list[str]] | None = error.errors
    else:
        fields = {error.field: [error.message]} if error.field else None
    return error_body(error.code, error.message, fields)


def error_response(error: DomainError) -> JsonResponse:
    """A refusal answered outside DRF (before a view, or by an error handler), in the same shape."""
    return JsonResponse(domain_error_body(error), status=error.status_code)


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [message for item in detail for message in _flatten(item)]
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    return [str(detail)]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The error shape for what a view raised. Anything else (a bug) propagates: Django logs it and
    the project's handler500 answers a JSON 500 `server_error` (marketplace.views.errors)."""
    # Django refuses such a body when a view first reads it; without this it would answer HTML.
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge.form_text()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = TooManyFields()
    if isinstance(exc, DomainError):
        return Response(domain_error_body(exc), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = {str(name): _flatten(value) for name, value in detail.items()}
            non_field = fields.pop("non_field_errors", [])
            message = " ".join(non_field) if non_field else _("Some fields are not valid.")
            if non_field:
                fields.setdefault("non_field_errors", non_field)
        else:
            fields = {}
            message = " ".join(_flatten(detail))
        response.data = error_body("invalid", message, fields or None)
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str | exceptions.ErrorDetail):
        message = str(exc.detail)
        code = getattr(exc.detail, "code", code) or code
    else:
        message = " ".join(_flatten(getattr(exc, "detail", str(exc))))
    if code not in ERROR_CODES:
        code = _CODE_OF_STATUS.get(response.status_code, "invalid" if response.status_code < 500 else "server_error")
    response.data = error_body(str(code), message)
    return response
