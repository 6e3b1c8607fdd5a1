"""/api/v1/ routes of the buyer's sourcing requests."""

from django.urls import path

from buyers.api import rfqs

urlpatterns = [
    path("rfqs/", rfqs.RfqListView.as_view(), name="api-rfq-list"),
    path("rfqs/<int:pk>/", rfqs.RfqDetailView.as_view(), name="api-rfq-detail"),
    path("rfqs/<int:pk>/publish/", rfqs.RfqPublishView.as_view(), name="api-rfq-publish"),
    path("rfqs/<int:pk>/close/", rfqs.RfqCloseView.as_view(), name="api-rfq-close"),
    path("rfqs/<int:pk>/cancel/", rfqs.RfqCancelView.as_view(), name="api-rfq-cancel"),
    path("rfqs/<int:pk>/invited-suppliers/", rfqs.RfqInvitationsView.as_view(), name="api-rfq-invitations"),
    path("rfqs/<int:pk>/attachments/", rfqs.RfqAttachmentsView.as_view(), name="api-rfq-attachments"),
    path(
        "rfqs/<int:pk>/attachments/<int:attachment_id>/",
        rfqs.RfqAttachmentDetailView.as_view(),
        name="api-rfq-attachment-detail",
    ),
]
