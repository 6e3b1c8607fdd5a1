"""Which company the signed-in user acts for on this request.

A user may belong to several companies and acts for one at a time: the one chosen in the
session, else the one it joined first. Views ask `acting_company(request)`; the answer is
computed once per request. API endpoints declare it instead: `marketplace.api.permissions`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from rest_framework.exceptions import NotAuthenticated

from marketplace.models import Company, Membership, User

ACTIVE_COMPANY_SESSION_KEY = "active_company_id"
_CACHE_ATTR = "_acting_membership"


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page behind `login_required` (or a decorator built on it, such as
    `company_required`): its user is signed in.

    Only a type: Django still builds plain requests. A view annotated with it tells the type checker
    what `login_required` guarantees, so `request.user` is a User and never AnonymousUser. API
    views ask `signed_in_user(request)` instead. `htmx` is what django-htmx's middleware adds.
    """

    user: User
    htmx: HtmxDetails


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that a permission let through, as a User: an API view's
    `IsAuthenticated`, or the admin site, which lets in only staff.

    Should an API view lack that permission, an anonymous client gets the API's 401 rather than a
    query for AnonymousUser's rows.
    """
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated()
    return user


def acting_membership(request: HttpRequest) -> Membership | None:
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    membership = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        memberships = Membership.objects.filter(user=user).select_related("company")
        chosen = request.session.get(ACTIVE_COMPANY_SESSION_KEY) if hasattr(request, "session") else None
        if chosen is not None:
            membership = memberships.filter(company_id=chosen).first()
        if membership is None:
            membership = memberships.order_by("created_at", "id").first()
    setattr(request, _CACHE_ATTR, membership)
    return membership


def acting_company(request: HttpRequest) -> Company | None:
    membership = acting_membership(request)
    return membership.company if membership else None


def choose_company(request: HttpRequest, company_id: int) -> Membership | None:
    """Switch the session to another of the user's companies; None when it is not one of them."""
    user = request.user
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, company_id=company_id).select_related("company").first()
    if membership is not None:
        request.session[ACTIVE_COMPANY_SESSION_KEY] = membership.company_id
        setattr(request, _CACHE_ATTR, membership)
    return membership


def company_sells(company: Company | None) -> TypeGuard[Company]:
    """A company sells once it has a supplier profile (`Company.sells`, which the suppliers app keeps)."""
    return company is not None and company.sells


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Staff pages: anonymous visitors log in; anybody else signed in (a belt manager too) gets 404,
    as if the page did not exist."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_staff:
            raise Http404(_("No such page."))
        return view(request, *args, **kwargs)

    return wrapper


def company_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Runs `view(request, company, ...)` for the company the signed-in user acts for: the pages
    every company may use (buying, orders, messages).

    Not signed in: the login page. No company (staff): the company page.
    """

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        company = acting_company(request)
        if company is None:
            return redirect("company_detail")
        return view(request, company, *args, **kwargs)

    return wrapper
