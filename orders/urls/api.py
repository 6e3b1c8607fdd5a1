"""/api/v1/ routes of the orders app (mounted before the kernel's API catch-all)."""

from orders.urls import api_award, api_messages, api_orders

urlpatterns = [*api_award.urlpatterns, *api_orders.urlpatterns, *api_messages.urlpatterns]
