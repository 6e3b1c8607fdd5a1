"""/api/v1/ routes of orders: the list, one order, "order now" and one endpoint per transition."""

from django.urls import path

from orders.api import orders

urlpatterns = [
    path("orders/", orders.OrderListView.as_view(), name="api-order-list"),
    path("orders/from-catalog/", orders.CatalogOrderView.as_view(), name="api-order-from-catalog"),
    path("orders/<int:pk>/", orders.OrderDetailView.as_view(), name="api-order-detail"),
    path("orders/<int:pk>/confirm/", orders.OrderConfirmView.as_view(), name="api-order-confirm"),
    path(
        "orders/<int:pk>/start-production/",
        orders.OrderStartProductionView.as_view(),
        name="api-order-start-production",
    ),
    path("orders/<int:pk>/ship/", orders.OrderShipView.as_view(), name="api-order-ship"),
    path("orders/<int:pk>/deliver/", orders.OrderDeliverView.as_view(), name="api-order-deliver"),
    path("orders/<int:pk>/complete/", orders.OrderCompleteView.as_view(), name="api-order-complete"),
    path("orders/<int:pk>/cancel/", orders.OrderCancelView.as_view(), name="api-order-cancel"),
    path("orders/<int:pk>/dispute/", orders.OrderDisputeView.as_view(), name="api-order-dispute"),
    path("orders/<int:pk>/resolve-dispute/", orders.DisputeResolveView.as_view(), name="api-order-resolve-dispute"),
    path("orders/<int:pk>/review/", orders.OrderReviewView.as_view(), name="api-order-review"),
    path(
        "orders/<int:pk>/milestones/<int:milestone_id>/paid/",
        orders.MilestonePaidView.as_view(),
        name="api-order-milestone-paid",
    ),
    path(
        "orders/<int:pk>/milestones/<int:milestone_id>/received/",
        orders.MilestoneReceivedView.as_view(),
        name="api-order-milestone-received",
    ),
]
