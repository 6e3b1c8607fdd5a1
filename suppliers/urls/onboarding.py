"""Pages of namespace "onboarding" (filled in by its area's work)."""

from django.urls import URLPattern

app_name = "onboarding"
urlpatterns: list[URLPattern] = []
