"""/api/v1/ routes of this area (mounted before the kernel's API catch-all)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
