"""The orders app's pages (namespace "orders", mounted at /orders/): orders, awards, message threads."""

from orders.urls import award, messages, orders

app_name = "orders"
urlpatterns = [*award.urlpatterns, *orders.urlpatterns, *messages.urlpatterns]
