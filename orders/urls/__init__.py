"""The orders app's pages (namespace "orders", mounted at /orders/): orders and message threads."""

from orders.urls import messages, orders

app_name = "orders"
urlpatterns = [*orders.urlpatterns, *messages.urlpatterns]
