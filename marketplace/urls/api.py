"""/api/v1/: the REST API of the kernel, its OpenAPI schema and the documentation served from it.

The notifications API lives under api/v1/notifications/ in marketplace/urls/notifications.py.
The last pattern answers every other /api/v1/ address with a 404 in the API's error shape.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.api import views

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI starts from a script at its page's own address (?script), not an inline one: the
    # Content-Security-Policy runs none (docs/security.md). Redoc is not served: it needs inline
    # styles, a worker made from a blob and its maker's logo from their CDN.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="marketplace/api/swagger_ui.html"),
        name="api-docs",
    ),
    path("belts/", views.BeltListView.as_view(), name="api-belt-list"),
    path("belts/<str:slug>/", views.BeltDetailView.as_view(), name="api-belt-detail"),
    path("categories/", views.CategoryListView.as_view(), name="api-category-list"),
    path("categories/<str:slug>/", views.CategoryDetailView.as_view(), name="api-category-detail"),
    path("currencies/", views.CurrencyListView.as_view(), name="api-currency-list"),
    path("exchange-rates/", views.ExchangeRateListView.as_view(), name="api-exchange-rate-list"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("tokens/", views.ApiTokenListView.as_view(), name="api-token-list"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    re_path(r"^(?P<unmatched>(?s:.+))$", views.api_not_found, name="api-not-found"),
]
