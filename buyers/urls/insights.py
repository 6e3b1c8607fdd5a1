"""Pages of namespace "insights" (filled in by its area's work)."""

from django.urls import URLPattern

app_name = "insights"
urlpatterns: list[URLPattern] = []
