"""The webhooks API; config/urls.py mounts it under /api/v1/ (namespace integrations-api)."""

from integrations import api

app_name = "integrations-api"

urlpatterns = [*api.router.urls]
