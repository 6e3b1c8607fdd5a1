"""Quotes (under /rfqs/): the supplier's quote on an RFQ, and the buyer's comparison."""

from django.urls import path

from buyers.views import quotes as views

urlpatterns = [
    path("inbox/<int:pk>/quote/", views.supplier_quote, name="supplier_quote"),
    path("inbox/<int:pk>/quote/withdraw/", views.supplier_quote_withdraw, name="supplier_quote_withdraw"),
    path(
        "inbox/<int:pk>/quote/attachments/<int:attachment_pk>/",
        views.supplier_quote_attachment,
        name="supplier_quote_attachment",
    ),
    path("<int:pk>/quotes/", views.rfq_quotes, name="rfq_quotes"),
    path("<int:pk>/rounds/", views.rfq_round_open, name="rfq_round_open"),
    path("<int:pk>/rounds/end/", views.rfq_round_end, name="rfq_round_end"),
    path("<int:pk>/quotes/attachments/<int:attachment_pk>/", views.rfq_quote_attachment, name="rfq_quote_attachment"),
]
