"""Pages of namespace "staff" (filled in by its area's work)."""

from django.urls import URLPattern

app_name = "staff"
urlpatterns: list[URLPattern] = []
