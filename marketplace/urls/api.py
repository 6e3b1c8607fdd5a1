from django.urls import path
from django.views.generic import TemplateView

P = TemplateView.as_view(template_name="placeholder.html")

urlpatterns = [
    path("docs/", P, name="api-docs"),
]
