"""The supplier's side of RFQs (under /rfqs/): its inbox, the board, one RFQ, declining, attachments."""

from django.urls import path

from buyers.views import supplier as views

urlpatterns = [
    path("inbox/", views.supplier_inbox, name="supplier_inbox"),
    path("inbox/<int:pk>/", views.supplier_rfq_detail, name="supplier_rfq_detail"),
    path("inbox/<int:pk>/decline/", views.supplier_rfq_decline, name="supplier_rfq_decline"),
    path(
        "inbox/<int:pk>/attachments/<int:attachment_pk>/",
        views.supplier_attachment,
        name="supplier_attachment",
    ),
    path("board/", views.supplier_board, name="supplier_board"),
]
