from django.urls import path
from django.views.generic import TemplateView

from marketplace.views import kernel

P = TemplateView.as_view(template_name="placeholder.html")

urlpatterns = [
    path("", kernel.home, name="home"),
    path("language/", kernel.set_language, name="set_language"),
    path("belts/", P, name="belt_list"),
    path("categories/", P, name="category_list"),
]
