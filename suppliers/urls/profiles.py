"""Supplier sign-up, the supplier's own pages, and public supplier pages."""

from django.urls import path

from suppliers.views import profiles as views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("become/", views.become, name="become"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("<int:pk>/", views.detail, name="detail"),
]
