"""Every WebSocket path the system serves; anything else is closed at once."""

from django.urls import re_path

from config.consumers import UnknownPathConsumer

websocket_urlpatterns = [
    # Feature routes go above this line; the catch-all must stay last.
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
