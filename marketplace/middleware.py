"""Domain errors become page answers here, in one place (as zulip's `JsonErrorHandler` does for its
`JsonableError`); the API has its own one place, the DRF exception handler (marketplace/api/errors.py).

A view lets a refusal of a service or a selector propagate, and this middleware answers it:

- NotFound: the 404 page (Http404, so every page that does not exist looks the same), whatever
  the request.
- PermissionDenied: the 403 page, with its reason, for a page the person may not open. An action
  the person may not take on a page they may see (the buyer pressing the supplier's button) is a
  message on that page, as below, and the 403 page only when there is no page to go back to.
- Conflict, InvalidInput (InvalidFields too) and any other DomainError: the message, shown where
  the person can act on it.
  * A form sent with POST (or another unsafe method) goes back to the page it came from, with the
    message on that page (302, like every other redirect after a POST here). That page is the
    Referer when it is a page of this site; without one (a client that sends none), the page the
    view names with `@returns_to`. A Referer that is the address of such an action (a page it
    answered to a POST, a form sent back with errors) stands for the action's own page, since the
    action answers POST only. With neither there is no page to go back to: the message is answered
    on a page of its own (templates/refused.html), with the error's status (400, 409).
  * A GET (or HEAD) is never redirected, so bad input in an address can never loop: the message is
    answered on a page of its own, with the error's status.
  * An htmx request gets the error's status (htmx swaps nothing from a 4xx answer) and an
    `HX-Trigger: {"domain-error": {"message": ...}}` header; static/js/app.js shows the message in
    the page's messages. Nothing is put in the session, so the next page does not show it again.

Views that must show the refusal inside their own form, next to the field and with what the person
typed, still catch it there (`form.add_domain_error(error)` and a 400): that is the form path, not
this one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from marketplace.errors import DomainError, NotFound, PermissionDenied
from marketplace.languages import language_activate
from marketplace.security.events import security_event
from marketplace.security.middleware import REFUSAL_LOGGED

# The htmx event that carries a refusal's message (static/js/app.js listens for it).
HTMX_EVENT = "domain-error"
# The page that answers a refusal when there is no page to go back to.
REFUSED_TEMPLATE = "refused.html"
# The view attribute `returns_to` sets.
RETURNS_TO = "returns_to"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

View = TypeVar("View", bound=Callable[..., Any])


def returns_to(page: str | Callable[..., str], *url_kwargs: str) -> Callable[[View], View]:
    """Name the page a refused POST of this view goes back to, with the refusal's message, when the
    request has no Referer; and the page to go back to from a page this view answered to a POST.

    For views that answer POST only (an action of a page). `page` is a URL name, and `url_kwargs`
    the names of this view's own URL arguments that the page needs too:
    `@returns_to("orders:order_detail", "pk")` on `/orders/<pk>/confirm/` goes back to
    `/orders/<pk>/`. Or `page` is a function of the request and this view's URL arguments that
    returns the address. Put it above the other decorators (those made with `functools.wraps`
    would copy it anyway).
    """

    def mark(view: View) -> View:
        setattr(view, RETURNS_TO, (page, url_kwargs))
        return view

    return mark


class UserLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but the language is `language_for` the request and its signed-in
    user (marketplace/languages.py): it must come after AuthenticationMiddleware. Its answer
    keeps LocaleMiddleware's Content-Language and `Vary: Accept-Language` headers."""

    def process_request(self, request: HttpRequest) -> None:
        language_activate(request, getattr(request, "user", None))


class DomainErrorMiddleware:
    """Turns a DomainError a page view raised into the page answer described above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotFound | PermissionDenied):
            _log_refusal(request, exception)
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if getattr(request, "htmx", False):
            return _htmx_refusal(exception)
        if request.method not in SAFE_METHODS:
            back = _page_to_go_back_to(request)
            if back:
                messages.error(request, exception.message)
                return HttpResponseRedirect(back)
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception  # the 403 page shows the reason
        return refusal_page(request, exception)


def refusal_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The refusal answered where it was asked, with its status: templates/refused.html with the
    message, or for htmx the status and the `domain-error` event."""
    if getattr(request, "htmx", False):
        return _htmx_refusal(error)
    return render(request, REFUSED_TEMPLATE, {"message": error.message}, status=error.status_code)


def _log_refusal(request: HttpRequest, error: DomainError) -> None:
    """A page refused to show or do something for its user: the security log says so, once."""
    user = getattr(request, "user", None)
    security_event(
        "permission_refused" if isinstance(error, PermissionDenied) else "not_found",
        outcome="refused",
        user_id=user.pk if user is not None and user.is_authenticated else None,
        path=request.path,
        method=request.method,
        status=error.status_code,
    )
    setattr(request, REFUSAL_LOGGED, True)


def _htmx_refusal(error: DomainError) -> HttpResponse:
    response = HttpResponse(error.message, status=error.status_code, content_type="text/plain; charset=utf-8")
    # ASCII JSON: a header carries Chinese messages as \u escapes, which htmx's JSON.parse reads back.
    response["HX-Trigger"] = json.dumps({HTMX_EVENT: {"message": error.message, "code": error.code}})
    return response


def _page_to_go_back_to(request: HttpRequest) -> str:
    """The page the refused form came from (its Referer, on this site), else the view's own page
    (`returns_to`); "" when there is neither."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        try:
            match = resolve(urlsplit(referer).path)
        except Resolver404:
            match = None
        # A page that an action answered to its POST (a form sent back with errors) has the action's
        # address, which answers only POST: go back to the action's own page instead.
        return _named_page(request, match) or referer
    return _named_page(request, getattr(request, "resolver_match", None))


def _named_page(request: HttpRequest, match: ResolverMatch | None) -> str:
    """The page the view of `match` names with `returns_to`, for the same URL arguments; "" for none."""
    if match is None:
        return ""
    target = getattr(match.func, RETURNS_TO, None)
    if target is None:
        return ""
    page, url_kwargs = target
    try:
        if callable(page):
            return page(request, **match.kwargs)
        return reverse(page, kwargs={name: match.kwargs[name] for name in url_kwargs} or None)
    except (KeyError, NoReverseMatch, DomainError):
        return ""
