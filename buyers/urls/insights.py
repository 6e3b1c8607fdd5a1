"""Pages of namespace "insights", mounted at /insights/: trending demand and belt dashboards."""

from django.urls import path

from buyers.views import insights as views

app_name = "insights"
urlpatterns = [
    path("", views.trending, name="trending"),
    path("belts/<slug:slug>/", views.belt_dashboard, name="belt_dashboard"),
]
