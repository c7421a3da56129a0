from django.urls import path
from rest_framework.routers import SimpleRouter

from conferencing.api.leg_reports import LegReportView
from conferencing.api.views import BridgeViewSet, EndpointViewSet

app_name = "conferencing-api"

router = SimpleRouter()
router.register("endpoints", EndpointViewSet, basename="endpoint")
router.register("bridges", BridgeViewSet, basename="bridge")

urlpatterns = [
    *router.urls,
    path("legs/<int:leg_id>/reports/", LegReportView.as_view(), name="leg-reports"),
]
