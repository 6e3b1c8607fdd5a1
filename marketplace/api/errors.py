"""Every API error has one JSON shape:

{"error": {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}}
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from marketplace.errors import DomainError


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [message for item in detail for message in _flatten(item)]
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    return [str(detail)]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        # Django refuses such a body when a view first reads it; without this it would answer HTML.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = _("The request is too large: send at most %(size)s MB (images go to the images endpoint).") % {
            "size": round(limit / 1024 / 1024, 1)
        }
        return Response(error_body("too_large", message), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.message]} if exc.field else None
        return Response(error_body(exc.code, exc.message, fields), status=exc.status_code)
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
    response.data = error_body(str(code), message)
    return response
