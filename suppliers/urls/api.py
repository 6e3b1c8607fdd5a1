"""/api/v1/ routes of the suppliers app: the supplier's own catalog, public products and suppliers.

Mounted before the kernel's API (whose last pattern answers unknown addresses with a 404).
"""

from django.urls import path

from suppliers.api import catalog, public
from suppliers.urls import api_verification

urlpatterns = [
    path("catalog/products/", catalog.CatalogProductListView.as_view(), name="api-catalog-product-list"),
    path("catalog/products/<int:pk>/", catalog.CatalogProductDetailView.as_view(), name="api-catalog-product-detail"),
    path(
        "catalog/products/<int:pk>/archive/",
        catalog.CatalogProductArchiveView.as_view(),
        name="api-catalog-product-archive",
    ),
    path(
        "catalog/products/<int:pk>/publish/",
        catalog.CatalogProductPublishView.as_view(),
        name="api-catalog-product-publish",
    ),
    path(
        "catalog/products/<int:pk>/images/",
        catalog.CatalogProductImagesView.as_view(),
        name="api-catalog-product-images",
    ),
    path("catalog/imports/", catalog.CatalogImportListView.as_view(), name="api-catalog-import-list"),
    path("catalog/imports/<int:pk>/", catalog.CatalogImportDetailView.as_view(), name="api-catalog-import-detail"),
    path("products/", public.ProductSearchView.as_view(), name="api-product-list"),
    path("products/<int:pk>/", public.ProductDetailView.as_view(), name="api-product-detail"),
    path("suppliers/", public.SupplierSearchView.as_view(), name="api-supplier-list"),
    path("suppliers/<int:pk>/", public.SupplierDetailView.as_view(), name="api-supplier-detail"),
    *api_verification.urlpatterns,
]
