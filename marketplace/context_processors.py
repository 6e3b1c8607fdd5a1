"""What every page's layout needs: who is acting, for which company, and the unread count."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.models import Membership
from marketplace.security.two_factor import STATE as TWO_FACTOR_STATE
from marketplace.selectors.belts import belts_managed_by
from marketplace.tenancy import acting_membership, company_sells


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "acting_membership": None,
            "acting_company": None,
            "acting_sells": False,
            "user_memberships": [],
            "managed_belts": [],
            "second_factor_owed": False,
        }
    membership = acting_membership(request)
    company = membership.company if membership else None
    return {
        "acting_membership": membership,
        "acting_company": company,
        "acting_sells": company_sells(company),
        "user_memberships": list(Membership.objects.filter(user=user).select_related("company")),
        # The belts a belt manager runs, for its menus: read by the header of everyone but staff
        # (staff reach every belt from their own menu), whether or not they act for a company too.
        "managed_belts": SimpleLazyObject(lambda: list(belts_managed_by(user).only("slug", "name_en", "name_zh"))),
        # Signed in with the password but owing the second factor (or a staff member's set-up): the
        # header asks nothing of the account. Its unread count, loaded with the page, would be sent
        # back to the code's page, and its answer could reach the browser after the code's, setting
        # the session cookie the code's page had just replaced.
        "second_factor_owed": getattr(request, "session", {}).get(TWO_FACTOR_STATE) is not None,
    }
