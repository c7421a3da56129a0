from django.urls import path
from rest_framework.routers import SimpleRouter

from conferencing.api import imports
from conferencing.api.leg_reports import LegReportView
from conferencing.api.views import BridgeViewSet, EndpointViewSet

app_name = "conferencing-api"

router = SimpleRouter()
router.register("endpoints", EndpointViewSet, basename="endpoint")
router.register("bridges", BridgeViewSet, basename="bridge")

# Before the router: "imports" would otherwise be read as a site code (endpoints/{code}/).
urlpatterns = [
    path("endpoints/imports/", imports.SiteImportsView.as_view(), name="endpoint-imports"),
    path("endpoints/imports/<int:pk>/", imports.SiteImportView.as_view(), name="endpoint-import"),
    *router.urls,
    path("legs/<int:leg_id>/reports/", LegReportView.as_view(), name="leg-reports"),
]
