"""/api/v1/ route of the award."""

from django.urls import path

from orders.api import award

urlpatterns = [path("rfqs/<int:pk>/award/", award.RfqAwardView.as_view(), name="api-rfq-award")]
