"""/api/v1/ routes of supplier verification (mounted before the kernel's API catch-all)."""

from django.urls import path

from suppliers.api import verification

urlpatterns = [
    path(
        "verification/documents/",
        verification.VerificationDocumentListView.as_view(),
        name="api-verification-document-list",
    ),
    path(
        "verification/documents/<int:pk>/approve/",
        verification.VerificationDocumentApproveView.as_view(),
        name="api-verification-document-approve",
    ),
    path(
        "verification/documents/<int:pk>/reject/",
        verification.VerificationDocumentRejectView.as_view(),
        name="api-verification-document-reject",
    ),
]
