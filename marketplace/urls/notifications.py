from django.urls import path
from django.views.generic import TemplateView

P = TemplateView.as_view(template_name="placeholder.html")

urlpatterns = [
    path("notifications/", P, name="notification_list"),
    path("notifications/unread-count/", P, name="notification_unread_count"),
]
