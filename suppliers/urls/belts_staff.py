"""Pages of namespace "belt_admin" (filled in by its area's work)."""

from django.urls import URLPattern

app_name = "belt_admin"
urlpatterns: list[URLPattern] = []
