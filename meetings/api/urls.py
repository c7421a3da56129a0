from rest_framework.routers import SimpleRouter

from meetings.api.views import MeetingViewSet

app_name = "meetings-api"

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = router.urls
