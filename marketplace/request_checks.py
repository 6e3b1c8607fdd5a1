"""What every request must pass before a view sees it (docs/security.md, "Hostile input").

- A body larger than MAX_REQUEST_BODY_BYTES is refused by its Content-Length, unread: 413. Django
  never reads past the Content-Length (a chunked body without one is read as empty), so the
  header is the whole story.
- An address longer than MAX_URL_LENGTH: 414. (gunicorn refuses a request line past its own,
  higher limit before the application sees it: gunicorn.conf.py.)
- A control character (`marketplace.input_values.CONTROL_CHARACTERS`: a NUL byte, the other C0
  controls but tab and line breaks) in the path: 404, no page has such an address; in the name or
  value of a query parameter: 400 naming the parameter.
- The form of a page (POST): the same for its fields; a form Django cannot read (over
  DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields or files, broken multipart) is refused here too,
  413 or 400, in the same words for every page. The API reads its bodies with its own parsers,
  which hold them to the same rules (marketplace.api.parsers).

The API answers in its one JSON error shape (marketplace.api.errors); a page answers
templates/refused.html with the status and the message (htmx: the status and the message event).

The checks run in `process_view` and the middleware is listed before CsrfViewMiddleware: by then
every middleware's request phase has run (none reads the body; the user, the language and the
messages are known for the page), and CSRF's check, the first to read a form, has not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from marketplace.api.errors import error_response, is_api_request
from marketplace.api.parsers import control_character_message, printable_name
from marketplace.errors import DomainError, InvalidFields, InvalidInput, RequestTooLarge, TooManyFields, UriTooLong
from marketplace.input_values import has_control_characters
from marketplace.middleware import refusal_page

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django reads it: no body


def _control_characters_in(data: QueryDict, *, where: str) -> InvalidFields | None:
    """The refusal naming each parameter (`where`: "query" or "form") whose name or values hold a
    control character; None when none does."""
    fields = {
        printable_name(name): [control_character_message()]
        for name, values in data.lists()
        if has_control_characters(name) or any(has_control_characters(value) for value in values)
    }
    if not fields:
        return None
    names = ", ".join(f"“{name}”" for name in fields)
    message = (
        _("The address holds a control character (such as a NUL byte) in %(names)s: no link of ours has one.")
        if where == "query"
        else _("The form holds a control character (such as a NUL byte) in %(names)s: remove it and send it again.")
    )
    return InvalidFields(errors=fields, message=message % {"names": names})


def _form_refusal(request: HttpRequest) -> DomainError | None:
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    try:
        form = request.POST
    except RequestDataTooBig:
        return RequestTooLarge.form_text()
    except (TooManyFieldsSent, TooManyFilesSent):
        return TooManyFields()
    except MultiPartParserError:
        return InvalidInput(_("The form could not be read: send it again."))
    return _control_characters_in(form, where="form")


def request_refusal(request: HttpRequest) -> DomainError | None:
    """Why this request is refused before its view (the checks above, in order); None to go on."""
    size = _content_length(request)
    if size > settings.MAX_REQUEST_BODY_BYTES:
        return RequestTooLarge.unread(size)
    if len(request.path) + len(request.META.get("QUERY_STRING", "")) > settings.MAX_URL_LENGTH:
        return UriTooLong()
    if has_control_characters(request.path):
        raise Http404(_("No page has this address."))
    refused = _control_characters_in(request.GET, where="query")
    if refused is not None or is_api_request(request):
        return refused
    return _form_refusal(request)


class RequestChecksMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        refused = request_refusal(request)
        if refused is None:
            return None
        if is_api_request(request):
            return error_response(refused)
        return refusal_page(request, refused)
