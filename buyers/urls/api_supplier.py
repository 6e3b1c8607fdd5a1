"""/api/v1/ routes of the supplier's side of RFQs: the inbox, one RFQ, declining, the board."""

from django.urls import path

from buyers.api import inbox

urlpatterns = [
    path("inbox/", inbox.InboxListView.as_view(), name="api-inbox-list"),
    path("inbox/<int:rfq_id>/", inbox.InboxDetailView.as_view(), name="api-inbox-detail"),
    path("inbox/<int:rfq_id>/decline/", inbox.InboxDeclineView.as_view(), name="api-inbox-decline"),
    path("rfq-board/", inbox.BoardListView.as_view(), name="api-rfq-board-list"),
]
