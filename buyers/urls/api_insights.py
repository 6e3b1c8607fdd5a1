"""/api/v1/ routes of demand insights: trending demand (public) and a belt's demand (its audience)."""

from django.urls import path

from buyers.api import insights

urlpatterns = [
    path("insights/trending/", insights.TrendingView.as_view(), name="api-insights-trending"),
    path("insights/belts/<slug:slug>/demand/", insights.BeltDemandView.as_view(), name="api-insights-belt-demand"),
]
