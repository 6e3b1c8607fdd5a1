"""The belt staff pages (namespace "belt_admin", mounted at /staff/belts/)."""

from django.urls import path

from suppliers.views import belts_staff as views

app_name = "belt_admin"
urlpatterns = [
    path("", views.belt_list, name="belt_list"),
    path("new/", views.belt_create_view, name="belt_create"),
    path("<slug:slug>/", views.belt_detail, name="belt_detail"),
    path("<slug:slug>/edit/", views.belt_edit, name="belt_edit"),
    path("<slug:slug>/transition/", views.belt_transition_view, name="belt_transition"),
    path("<slug:slug>/managers/", views.belt_managers_view, name="belt_managers"),
    path("<slug:slug>/funnel/", views.belt_funnel_view, name="belt_funnel"),
]
