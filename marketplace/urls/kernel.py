from django.urls import path

from marketplace.views import kernel

urlpatterns = [
    path("", kernel.home, name="home"),
    path("language/", kernel.set_language, name="set_language"),
    path("belts/", kernel.belt_list, name="belt_list"),
    path("belts/<slug:slug>/", kernel.belt_detail, name="belt_detail"),
    path("categories/", kernel.category_list, name="category_list"),
    path("categories/<slug:slug>/", kernel.category_detail, name="category_detail"),
]
