"""Errors under /api/ are JSON in the API's shape `{"detail", "code"}`, never an HTML
page: DRF's exception handler extended to unexpected exceptions (500), and the
project's 404 and 500 handlers answering JSON for /api/ paths (an unknown URL, or an
error raised outside a DRF view)."""

import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("django.request")
API_PREFIX = "/api/"
SERVER_ERROR_CODE = "server_error"
NOT_FOUND_CODE = "not_found"


def server_error_body() -> dict[str, str]:
    return {
        "detail": _("Something went wrong on the server; it was logged. Please try again later."),
        "code": SERVER_ERROR_CODE,
    }


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's answer for the exceptions it knows; a logged JSON 500 for any other.

    Every 404 answers alike: DRF would put an Http404's message in `detail`, and
    get_object_or_404's names the model only when the object does not exist, while a
    refused one raises a bare Http404: that difference would tell a refused object
    from a missing one."""
    if isinstance(exc, Http404):
        exc = NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None:
        add_code(exc, response)
        return response
    request = context.get("request")
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    set_rollback()
    return Response(server_error_body(), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def add_code(exc: Exception, response: Response) -> None:
    """A 401, and any error raised with a code of its own (an expired or revoked API
    token, a read-only one), tells the client which in `code`, beside `detail`."""
    if not isinstance(exc, exceptions.APIException) or not isinstance(response.data, dict):
        return
    detail = response.data.get("detail")
    code = getattr(detail, "code", None)
    if code is None:
        return
    unauthenticated = isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed)
    if unauthenticated or code != exc.default_code:
        response.data["code"] = code


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        body = {"detail": _("Not found."), "code": NOT_FOUND_CODE}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse(server_error_body(), status=500)
    return defaults.server_error(request)
