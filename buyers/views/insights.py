"""Demand insights pages: the public trending demand and a belt's private demand dashboard.

Both read only the aggregates (buyers.insights.selectors). The belt dashboard is for staff, the
belt's managers and the belt's suppliers (acting for their supplier company); anybody else signed
in gets 404, as for any object outside their scope, and anonymous visitors the login page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from buyers.insights.charts import Bar, sparkline, weekly_bars
from buyers.insights.selectors import Demand, belt_dashboard_access, belt_demand, clamp_weeks, trending_demand
from marketplace.tenancy import AuthenticatedHttpRequest, acting_company


def _bars(demand: Demand) -> list[Bar]:
    return [Bar(week.week, week.rfqs, week.surge) for week in demand.weeks]


def _chart_label(demand: Demand, scope: str) -> str:
    return _("Sourcing requests per week, %(scope)s, %(start)s to %(end)s") % {
        "scope": scope,
        "start": date_format(demand.weeks[0].week, "SHORT_DATE_FORMAT"),
        "end": date_format(demand.week, "SHORT_DATE_FORMAT"),
    }


@require_safe
def trending(request: HttpRequest) -> HttpResponse:
    """Public: what buyers ask for now, with no buyer's identity."""
    weeks = clamp_weeks(request.GET.get("weeks"))
    demand = trending_demand(weeks=weeks)
    chart = weekly_bars(_bars(demand), label=_chart_label(demand, _("all categories")))
    return render(request, "buyers/insights/trending.html", {"demand": demand, "chart": chart, "weeks": weeks})


@require_safe
@login_required
def belt_dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    belt = belt_dashboard_access(user=request.user, company=acting_company(request), slug=slug)
    if belt is None:
        raise Http404(_("No such belt among those whose figures you may see."))
    weeks = clamp_weeks(request.GET.get("weeks"))
    demand = belt_demand(belt=belt, weeks=weeks)
    chart = weekly_bars(_bars(demand), label=_chart_label(demand, belt.name))
    specialties = [
        (
            specialty,
            sparkline(
                [Bar(week.week, week.rfqs, week.surge) for week in specialty.weeks],
                label=_("Sourcing requests per week: %(category)s") % {"category": specialty.category.name},
            ),
        )
        for specialty in demand.specialties
    ]
    return render(
        request,
        "buyers/insights/belt_dashboard.html",
        {"belt": belt, "demand": demand, "chart": chart, "specialties": specialties, "weeks": weeks},
    )
