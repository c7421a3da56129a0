from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL of its own: CSP allows no inline script.
    # A person reads the docs page: anonymous, it sends them to sign in (not a bare 401).
    path(
        "api/v1/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/v1/", include("meetings.api.urls")),
    path("api/v1/", include("conferencing.api.urls")),
    path("", include("accounts.urls")),
    path("endpoints/", include("conferencing.urls")),
    path("meetings/", include("meetings.urls")),
    path("calendar/", include("meetings.calendar.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"
