"""Which company an API request acts for, declared on the view (as pretix's `EventPermission`
sets the event on the request).

An endpoint that reads or changes a company's data lists `ActsForCompany` — or, on the selling
side, `ActsForSellingCompany` — in its `permission_classes`, after `IsAuthenticated`, and says
why it needs a company in `no_company_message` (and, selling side, why it needs a company that
sells in `not_selling_message`). The permission resolves the acting company once, before the
handler runs, with `marketplace.tenancy.acting_company`: the company chosen in the session, else
the one the user joined first (a token client has no choice in its session, so the first). The
handler reads it with `acting_company_of(request)`.

A user acting for no company gets 403 with the view's `no_company_message`; a company that does
not sell, on the selling side, 403 with its `not_selling_message`. A method the view does not
offer is let through so that DRF answers 405, and OPTIONS so that it describes the endpoint, as
they did before any company was asked for.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from marketplace.models import Company
from marketplace.tenancy import acting_company, company_sells

_ATTR = "_api_acting_company"


def acting_company_of(request: Request) -> Company:
    """The company the request acts for, which `ActsForCompany` set before the handler ran."""
    company = getattr(request, _ATTR, None)
    if not isinstance(company, Company):
        raise ImproperlyConfigured("The view asks for the acting company but declares no ActsForCompany permission.")
    return company


def _view_message(view: APIView, name: str) -> str:
    message = getattr(view, name, None)
    if message is None:
        raise ImproperlyConfigured(f"{type(view).__name__} must say why it needs a company in `{name}`.")
    return str(message)


class ActsForCompany(BasePermission):
    """Any company may use the endpoint; a user acting for none gets the view's `no_company_message`."""

    message: str | None = None  # what DRF's 403 says; set per view when the permission refuses

    def has_permission(self, request: Request, view: APIView) -> bool:
        method = (request.method or "").lower()
        if method == "options" or method not in view.http_method_names or not hasattr(view, method):
            return True
        company = acting_company(request)
        if company is None:
            self.message = _view_message(view, "no_company_message")
            return False
        if not self.admits(company):
            self.message = _view_message(view, "not_selling_message")
            return False
        setattr(request, _ATTR, company)
        return True

    def admits(self, company: Company) -> bool:
        return True


class ActsForSellingCompany(ActsForCompany):
    """The selling side: the company must also sell (have a supplier profile); one that does not
    gets the view's `not_selling_message`."""

    def admits(self, company: Company) -> bool:
        return company_sells(company)
