"""The order pages (namespace "orders", under /orders/)."""

from django.urls import path

from orders.views import orders as views

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("sales/", views.sales_list, name="sales_list"),
    path("catalog/<int:product_pk>/", views.order_from_catalog, name="order_from_catalog"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/resolve/", views.dispute_resolve_action, name="dispute_resolve"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/print/", views.order_print, name="order_print"),
    path("<int:pk>/confirm/", views.order_confirm_action, name="order_confirm"),
    path("<int:pk>/start-production/", views.order_start_production_action, name="order_start_production"),
    path("<int:pk>/ship/", views.order_ship_action, name="order_ship"),
    path("<int:pk>/deliver/", views.order_deliver_action, name="order_deliver"),
    path("<int:pk>/complete/", views.order_complete_action, name="order_complete"),
    path("<int:pk>/cancel/", views.order_cancel_action, name="order_cancel"),
    path("<int:pk>/dispute/", views.order_dispute_action, name="order_dispute"),
    path("<int:pk>/review/", views.order_review_action, name="order_review"),
    path("<int:pk>/milestones/<int:milestone_pk>/paid/", views.milestone_paid_action, name="milestone_paid"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/received/",
        views.milestone_received_action,
        name="milestone_received",
    ),
]
