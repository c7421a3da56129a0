"""Errors under /api/ are RFC 9457 problems (httpapi.problems), never an HTML page:
DRF's exception handler reshaped and extended to unexpected exceptions (500), and the
project's 404 and 500 handlers answering a problem for /api/ paths (an unknown URL
anywhere under /api/, or an error raised outside a DRF view)."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from httpapi import problems

logger = logging.getLogger("django.request")
API_PREFIX = "/api/"


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's answer for the exceptions it knows, as a problem; a logged 500 for any other.

    Every 404 answers alike: DRF would put an Http404's message in `detail`, and
    get_object_or_404's names the model only when the object does not exist, while a
    refused one raises a bare Http404: that difference would tell a refused object
    from a missing one."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    # Domain rules raise Django's PermissionDenied (they know no DRF): a 403, as DRF's
    # own handler answers, not a 500.
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    request = context.get("request")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        return problems.shape_drf_response(response, exc, request)
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    set_rollback()
    return problems.server_error_response(request)


def is_api(request: HttpRequest) -> bool:
    return request.path == API_PREFIX.rstrip("/") or request.path.startswith(API_PREFIX)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return problems.json_response(request, 404, problems.NOT_FOUND, _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return problems.json_response(
            request, 500, problems.SERVER_ERROR, problems.server_error_detail()
        )
    return defaults.server_error(request)
