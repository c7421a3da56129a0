from django.apps import AppConfig


class HttpApiConfig(AppConfig):
    name = "httpapi"
    verbose_name = "HTTP API"
