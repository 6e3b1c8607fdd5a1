"""Product search and the supplier directory: public pages."""

from django.urls import path

from suppliers.views import search as views

urlpatterns = [
    path("search/", views.product_search, name="search"),
    path("directory/", views.supplier_search, name="supplier_search"),
]
