"""Root URL configuration: every app's routes are included here (the one upward import)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("marketplace.urls.kernel")),
    path("", include("marketplace.urls.accounts")),
    path("", include("marketplace.urls.notifications")),
    path("", include("marketplace.urls.health")),
    path("", include("marketplace.urls.tokens")),
    path("api/v1/", include("suppliers.urls.api")),
    path("api/v1/", include("buyers.urls.api")),
    path("api/v1/", include("orders.urls.api")),
    path("api/v1/", include("marketplace.urls.api")),
    path("suppliers/", include("suppliers.urls")),
    path("rfqs/", include("buyers.urls")),
    path("orders/", include("orders.urls")),
    path("staff/belts/", include("suppliers.urls.belts_staff")),
    path("onboarding/", include("suppliers.urls.onboarding")),
    path("verification/", include("suppliers.urls.verification")),
    path("insights/", include("buyers.urls.insights")),
    path("staff/", include("sourcebelt.staff.urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ they answer the API's JSON error shape; elsewhere Django's own pages.
handler400 = "marketplace.views.errors.bad_request"
handler403 = "marketplace.views.errors.permission_denied"
handler404 = "marketplace.views.errors.page_not_found"
handler500 = "marketplace.views.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
