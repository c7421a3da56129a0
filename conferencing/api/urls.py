from rest_framework.routers import SimpleRouter

from conferencing.api.views import BridgeViewSet, EndpointViewSet

app_name = "conferencing-api"

router = SimpleRouter()
router.register("endpoints", EndpointViewSet, basename="endpoint")
router.register("bridges", BridgeViewSet, basename="bridge")

urlpatterns = router.urls
