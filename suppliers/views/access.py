"""Who may open the supplier's own pages: a signed-in member of a company that sells."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.shortcuts import redirect

from marketplace.tenancy import AuthenticatedHttpRequest, acting_company, company_sells

SupplierView = Callable[..., HttpResponseBase]


def supplier_required(view: SupplierView) -> Callable[..., HttpResponseBase]:
    """Runs `view(request, supplier, ...)` for the acting company's own supplier profile.

    Not signed in: the login page. No company (staff): the company page. A company that does
    not sell: the page to start selling.
    """

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        company = acting_company(request)
        if company is None:
            return redirect("company_detail")
        if not company_sells(company):
            return redirect("suppliers:become")
        return view(request, company.supplier_profile, *args, **kwargs)

    return wrapper
