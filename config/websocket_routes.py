"""Every WebSocket path the system serves; anything else is closed at once."""

from django.urls import re_path

from conferencing.consumers import BoardConsumer, TechnicianConsumer
from config.consumers import UnknownPathConsumer

websocket_urlpatterns = [
    re_path(r"^ws/readiness/$", TechnicianConsumer.as_asgi()),
    re_path(r"^ws/conferences/(?P<conference_id>[0-9]{1,18})/board/$", BoardConsumer.as_asgi()),
    # Feature routes go above this line; the catch-all must stay last.
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
