"""The buyer's RFQ pages (under /rfqs/): the list, the form and its supplier picker, one RFQ, its
lifecycle and attachments."""

from django.urls import path

from buyers.views import buyer as views

urlpatterns = [
    path("", views.rfq_list, name="rfq_list"),
    path("new/", views.rfq_create_page, name="rfq_create"),
    path("suppliers/", views.supplier_picker, name="supplier_picker"),
    path("<int:pk>/", views.rfq_detail, name="rfq_detail"),
    path("<int:pk>/edit/", views.rfq_edit, name="rfq_edit"),
    path("<int:pk>/publish/", views.rfq_publish_action, name="rfq_publish"),
    path("<int:pk>/close/", views.rfq_close_action, name="rfq_close"),
    path("<int:pk>/cancel/", views.rfq_cancel_action, name="rfq_cancel"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.rfq_attachment, name="rfq_attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.rfq_attachment_delete,
        name="rfq_attachment_delete",
    ),
]
