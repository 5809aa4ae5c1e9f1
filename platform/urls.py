from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("commons.core.urls")),
    path("accounts/", include("commons.accounts.urls")),
    path("registry/", include("commons.registry.urls")),
    path("appeals/", include("appeals.urls")),
    path("api/appeals/", include("appeals.api_urls")),
    path("volunteer/", include("intermediaries.urls")),
    path("metrics/", include("metrics.urls")),
    path("api/metrics/", include("metrics.api_urls")),
    path("api/", include("commons.core.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
