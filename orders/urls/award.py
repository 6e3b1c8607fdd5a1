"""Award and sourcing view (under /orders/)."""

from django.urls import path

from orders.views import award as views

urlpatterns = [
    path("award/<int:pk>/", views.rfq_award_view, name="rfq_award"),
    path("sourcing/<int:pk>/", views.rfq_sourcing, name="rfq_sourcing"),
]
