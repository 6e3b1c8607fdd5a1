"""The staff pages (namespace "staff", mounted at /staff/)."""

from django.urls import path

from sourcebelt.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
