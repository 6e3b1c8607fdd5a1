from django.urls import path

from marketplace.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
