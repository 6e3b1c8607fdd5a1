"""What every page's layout needs: who is acting, for which company, and the unread count."""

from __future__ import annotations

from django.http import HttpRequest

from marketplace.models import Membership
from marketplace.tenancy import acting_membership, company_sells


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"acting_membership": None, "acting_company": None, "acting_sells": False, "user_memberships": []}
    membership = acting_membership(request)
    company = membership.company if membership else None
    return {
        "acting_membership": membership,
        "acting_company": company,
        "acting_sells": company_sells(company),
        "user_memberships": list(Membership.objects.filter(user=user).select_related("company")),
    }
