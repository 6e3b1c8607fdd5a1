"""/api/v1/ routes of the buyers app (mounted before the kernel's API catch-all)."""

from buyers.urls import api_buyer, api_insights, api_quotes, api_supplier

urlpatterns = [*api_buyer.urlpatterns, *api_supplier.urlpatterns, *api_quotes.urlpatterns, *api_insights.urlpatterns]
