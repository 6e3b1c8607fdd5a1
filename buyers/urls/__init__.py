"""The buyers app's pages (namespace "buyers"): the buyer's RFQs and the supplier's RFQ inbox."""

from buyers.urls import buyer, quotes, supplier

app_name = "buyers"
urlpatterns = [*buyer.urlpatterns, *supplier.urlpatterns, *quotes.urlpatterns]
