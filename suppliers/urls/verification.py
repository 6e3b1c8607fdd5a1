"""Pages of namespace "verification" (filled in by its area's work)."""

from django.urls import URLPattern

app_name = "verification"
urlpatterns: list[URLPattern] = []
