"""Message pages (namespace "orders", under /orders/messages/): the inbox, one thread with its
polled fragment and send, starting a thread about an RFQ or an order, attachments."""

from django.urls import path

from orders.views import messages as views

urlpatterns = [
    path("messages/", views.thread_list, name="thread_list"),
    path("messages/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("messages/<int:pk>/new/", views.thread_messages, name="thread_messages"),
    path("messages/<int:pk>/send/", views.thread_send, name="thread_send"),
    path("messages/rfq/<int:rfq_pk>/", views.rfq_thread_start_page, name="rfq_thread_start"),
    path(
        "messages/rfq/<int:rfq_pk>/supplier/<int:supplier_pk>/",
        views.rfq_thread_start_page,
        name="rfq_thread_start_buyer",
    ),
    path("messages/order/<int:order_pk>/", views.order_thread_start_page, name="order_thread_start"),
    path("messages/attachments/<int:pk>/", views.message_attachment, name="message_attachment"),
]
