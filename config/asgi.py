"""ASGI entry point: Daphne (`python -m config.serve`, config/serve.py) serves HTTP and
WebSockets from here."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Load Django before anything that imports models (consumers, auth middleware).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from config import gc_pacing  # noqa: E402
from config.websocket_routes import websocket_urlpatterns  # noqa: E402
from config.websocket_tokens import TokenOrBrowser  # noqa: E402

gc_pacing.start(settings.GC_FREEZE_SECONDS)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # A browser: same origin (scheme, host and port) or CSRF_TRUSTED_ORIGINS (Django's
        # CSRF rule), then its session. A program: its API token, no Origin needed.
        "websocket": TokenOrBrowser(URLRouter(websocket_urlpatterns)),
    }
)
