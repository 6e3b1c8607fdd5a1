"""Catalog import (upload, check report, start, progress, problems as CSV) and export."""

from django.urls import path, re_path

from suppliers.views import imports as views

urlpatterns = [
    path("catalog/import/", views.import_list, name="import_list"),
    path("catalog/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("catalog/import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("catalog/import/<int:pk>/start/", views.import_start, name="import_start"),
    path("catalog/import/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    re_path(r"^catalog/export\.(?P<file_format>csv|xlsx)$", views.catalog_export, name="catalog_export"),
]
