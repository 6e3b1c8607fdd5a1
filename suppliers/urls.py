from django.urls import path
from django.views.generic import TemplateView

P = TemplateView.as_view(template_name="placeholder.html")

app_name = "suppliers"
urlpatterns = [
    path("dashboard/", P, name="dashboard"),
    path("become/", P, name="become"),
]
