"""The supplier profile an API request acts for."""

from __future__ import annotations

from rest_framework.request import Request

from marketplace.api.permissions import acting_company_of
from suppliers.models import SupplierProfile


def acting_supplier(request: Request) -> SupplierProfile:
    """The supplier profile of the company the request acts for, in a view that declares
    `ActsForSellingCompany` (which lets through only a company that sells)."""
    return acting_company_of(request).supplier_profile
