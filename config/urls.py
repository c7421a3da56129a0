from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from conferencing import acting_office
from conferencing import urls as conferencing_urls
from config import health
from meetings import urls as meeting_urls
from meetings.api import urls as meeting_api_urls
from meetings.calendar import api as calendar_api
from meetings.conclusions import urls as conclusion_urls
from meetings.conclusions.api import urls as conclusion_api_urls
from meetings.home import views as home_views
from meetings.official import urls as official_urls
from meetings.readiness import urls as readiness_urls
from meetings.records import urls as record_urls
from meetings.records.api import urls as record_api_urls
from meetings.search import api as search_api
from meetings.trail import api as trail_api
from people.views import tokens as token_views

# The meetings app's pages and API are composed here from its packages, so the booking
# core imports neither records nor the readiness pages; URL names and paths stay those
# of one namespace each.
meeting_pages = [
    *meeting_urls.urlpatterns,
    *readiness_urls.urlpatterns,
    *record_urls.urlpatterns,
    *conclusion_urls.urlpatterns,
    *official_urls.meeting_urlpatterns,
]
meeting_api = [
    *meeting_api_urls.urlpatterns,
    *record_api_urls.urlpatterns,
    *conclusion_api_urls.urlpatterns,
]

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
    path("api/v1/", include((meeting_api, "meetings-api"))),
    path("api/v1/", include("conferencing.api.urls")),
    path("api/v1/", include("people.api.urls")),
    path("api/v1/", include((calendar_api.urlpatterns, "calendar-api"))),
    path("api/v1/audit/", trail_api.AuditEntryList.as_view(), name="api-audit"),
    path("api/v1/search/", search_api.SearchView.as_view(), name="api-search"),
    path("api/v1/", include("integrations.urls")),
    path("api/v1/", include(("meetings.followup.api.urls", "followup-api"))),
    # Home: each role's dashboard (meetings.home), then the links of accounts' pages.
    path("", home_views.home, name="home"),
    path("", include("accounts.urls")),
    # Single sign-on (OpenID Connect): authenticate/, callback/ and logout/; the first two
    # answer 404 unless OIDC_RP_CLIENT_ID is set (people/views/single_sign_on.py).
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("offices/act/", acting_office.act_for, name="act-for-office"),
    path("offices/", include((conferencing_urls.office_urlpatterns, "offices"))),
    path("bridges/", include((conferencing_urls.bridge_urlpatterns, "bridges"))),
    path("profile/tokens/", token_views.overview, name="profile-tokens"),
    path("profile/tokens/new/", token_views.create, name="profile-token-create"),
    path(
        "profile/tokens/<int:token_id>/revoke/",
        token_views.revoke,
        name="profile-token-revoke",
    ),
    # The page's address before #14: bookmarks and the README of older installs.
    path("api-tokens/", RedirectView.as_view(pattern_name="profile-tokens"), name="api-tokens"),
    path("endpoints/", include("conferencing.urls")),
    path("people/", include("people.urls")),
    path("meetings/", include((meeting_pages, "meetings"))),
    path("calendar/", include("meetings.calendar.urls")),
    path("documents/", include((official_urls.template_urlpatterns, "official"))),
    path("audit/", include("meetings.trail.urls")),
    path("working-days/", include("workdays.urls")),
    path("tasks/", include("meetings.followup.urls")),
    path("search/", include("meetings.search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"
