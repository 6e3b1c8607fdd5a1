"""The supplier's catalog pages (its own products) and the public product pages."""

from django.urls import path

from suppliers.views import catalog as views

urlpatterns = [
    path("catalog/", views.product_list, name="product_list"),
    path("catalog/new/", views.product_create, name="product_create"),
    path("catalog/bulk/", views.product_bulk, name="product_bulk"),
    path("catalog/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("catalog/<int:pk>/duplicate/", views.product_duplicate, name="product_duplicate"),
    path("catalog/<int:pk>/preview/", views.product_preview, name="product_preview"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/price/", views.product_price, name="product_price"),
]
