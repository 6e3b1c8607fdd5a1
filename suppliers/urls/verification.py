"""Supplier verification: the supplier's status page, and staff's review queue and actions."""

from django.urls import path

from suppliers.views import verification as views

app_name = "verification"
urlpatterns = [
    path("", views.status, name="status"),
    path("queue/", views.queue, name="queue"),
    path("documents/<int:pk>/", views.review, name="review"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("documents/<int:pk>/approve/", views.approve, name="approve"),
    path("documents/<int:pk>/reject/", views.reject, name="reject"),
]
