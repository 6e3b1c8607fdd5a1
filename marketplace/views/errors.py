"""The project's error handlers (handler400, 403, 404 and 500 in sourcebelt/urls.py).

Under /api/ each answers the API's JSON error shape with its code (`bad_request`,
`permission_denied`, `not_found`, `server_error`), so that a client never has to read an HTML page;
elsewhere Django's own handlers render templates/400.html, 403.html, 404.html and 500.html. They
answer what no view or exception handler did: an exception raised outside a view, or one no code
expected (a bug: Django has logged it with its traceback before the 500 is answered).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from marketplace.api.errors import error_body, is_api_request


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        message = _("The request could not be read: it is malformed or too large.")
        return JsonResponse(error_body("bad_request", message), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        message = _("You do not have permission to perform this action.")
        return JsonResponse(error_body("permission_denied", message), status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse(error_body("not_found", _("There is no API endpoint at this address.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        message = _("Something went wrong on our side; the error is logged. Try again in a moment.")
        return JsonResponse(error_body("server_error", message), status=500)
    return defaults.server_error(request)
