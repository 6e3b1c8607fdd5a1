"""/api/v1/ routes of quotes: the supplier's quote on an RFQ, and the buyer's comparison."""

from django.urls import path

from buyers.api import quotes

urlpatterns = [
    path("inbox/<int:rfq_id>/quote/", quotes.SupplierQuoteView.as_view(), name="api-inbox-quote"),
    path(
        "inbox/<int:rfq_id>/quote/withdraw/",
        quotes.SupplierQuoteWithdrawView.as_view(),
        name="api-inbox-quote-withdraw",
    ),
    path(
        "inbox/<int:rfq_id>/quote/attachments/",
        quotes.SupplierQuoteAttachmentsView.as_view(),
        name="api-inbox-quote-attachments",
    ),
    path("rfqs/<int:pk>/quotes/", quotes.RfqComparisonView.as_view(), name="api-rfq-quotes"),
    path("rfqs/<int:pk>/rounds/", quotes.RfqRoundsView.as_view(), name="api-rfq-rounds"),
    path("rfqs/<int:pk>/rounds/end/", quotes.RfqRoundEndView.as_view(), name="api-rfq-round-end"),
]
