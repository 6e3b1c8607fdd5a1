"""Supplier sign-up, the supplier's own pages (profile, capacity, certifications, photos), and public supplier pages."""

from django.urls import path

from suppliers.views import profiles as views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("become/", views.become, name="become"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/capacity/", views.capacity_list, name="capacity_list"),
    path("profile/capacity/<int:pk>/", views.capacity_edit, name="capacity_edit"),
    path("profile/capacity/<int:pk>/delete/", views.capacity_delete, name="capacity_delete"),
    path("profile/certifications/", views.certification_list, name="certification_list"),
    path("profile/certifications/<int:pk>/file/", views.certification_file, name="certification_file"),
    path("profile/certifications/<int:pk>/delete/", views.certification_delete, name="certification_delete"),
    path("profile/photos/", views.photo_list, name="photo_list"),
    path("profile/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/", views.detail, name="detail"),
]
