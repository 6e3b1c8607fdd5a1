"""The staff dashboard (namespace "staff", under /staff/): the platform's loose ends on one page.

Staff only: anybody else signed in gets 404 (the page does not exist for them), anonymous visitors
are sent to log in.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from marketplace.tenancy import AuthenticatedHttpRequest, staff_required
from sourcebelt.staff.selectors import FALLING_RATE_POINTS, SECTION_ROWS, staff_dashboard


@require_safe
@staff_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/dashboard.html",
        {"dashboard": staff_dashboard(), "falling_points": FALLING_RATE_POINTS, "section_rows": SECTION_ROWS},
    )
