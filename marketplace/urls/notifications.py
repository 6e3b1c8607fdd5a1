"""The notification centre (pages and htmx fragments) and the notifications API."""

from django.urls import path

from marketplace.api import notifications as api
from marketplace.views import notifications as views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/unread-count/", views.notification_unread_count_fragment, name="notification_unread_count"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("api/v1/notifications/", api.NotificationListView.as_view(), name="api-notification-list"),
    path("api/v1/notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="api-notification-read"),
]
