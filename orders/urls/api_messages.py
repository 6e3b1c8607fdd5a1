"""/api/v1/ routes of messaging: threads, their messages, attachments."""

from django.urls import path

from orders.api import messages

urlpatterns = [
    path("threads/", messages.ThreadListView.as_view(), name="api-thread-list"),
    path("threads/<int:pk>/", messages.ThreadDetailView.as_view(), name="api-thread-detail"),
    path("threads/<int:pk>/messages/", messages.ThreadMessagesView.as_view(), name="api-thread-messages"),
    path("messages/<int:pk>/attachment/", messages.MessageAttachmentView.as_view(), name="api-message-attachment"),
]
