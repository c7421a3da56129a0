"""The booking core's API. config/urls.py composes it with the records' API under one
namespace, `meetings-api`: the core imports no records code."""

from rest_framework.routers import SimpleRouter

from meetings.api.views import MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = router.urls
