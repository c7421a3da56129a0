"""RFC 9457 problem details: the one shape of every error under /api/.

    {"type", "title", "status", "detail", "instance", "code"}

plus `errors` for a request that is not valid (every invalid field at once, each
`{"field": "slot.start", "code", "detail"}`; the request as a whole is field ""), and
the members a problem adds of its own (a conflict's sessions). `code` is the stable
machine code clients branch on; `type` is that code as a URI,
`<SITE_URL>/api/v1/problems/<code>` (an identifier: it need not answer); `title` is
the same short text for every problem of a code; `detail` says what happened to this
request. `title` and `detail` are in the request's language (LocaleMiddleware reads
Accept-Language); `code` and `type` never change with it.

Views raise DRF exceptions (or `ApiProblem` for a code of their own) and never build
error bodies: config.api_errors turns every one into this shape."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

CONTENT_TYPE = "application/problem+json"
TYPE_PATH = "/api/v1/problems/"

INVALID = "invalid"
NOT_FOUND = "not_found"
SERVER_ERROR = "server_error"
CONFLICT = "conflict"
WRONG_STATE = "wrong_state"

# One title per code: the short name of the problem, whatever happened this time.
CODE_TITLES: dict[str, Promise] = {
    INVALID: _("The request is not valid"),
    "parse_error": _("The request body is not valid JSON"),
    "not_authenticated": _("Not signed in"),
    "authentication_failed": _("Authentication failed"),
    "token_invalid": _("The API token is not valid"),
    "token_expired": _("The API token has expired"),
    "token_revoked": _("The API token was revoked"),
    "token_read_only": _("The API token may only read"),
    "account_inactive": _("The account of the API token is inactive"),
    "permission_denied": _("Not allowed"),
    NOT_FOUND: _("Not found"),
    "method_not_allowed": _("Method not allowed"),
    "not_acceptable": _("Not acceptable"),
    "unsupported_media_type": _("Unsupported media type"),
    "throttled": _("Too many requests"),
    CONFLICT: _("Booking conflict"),
    WRONG_STATE: _("Not possible in the current state"),
    SERVER_ERROR: _("Server error"),
}
# The title of a code not named above: its HTTP status's.
STATUS_TITLES: dict[int, Promise] = {
    400: _("Bad request"),
    401: _("Not signed in"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    412: _("Precondition failed"),
    413: _("Request too large"),
    415: _("Unsupported media type"),
    416: _("Range not satisfiable"),
    422: _("Unprocessable request"),
    429: _("Too many requests"),
    500: _("Server error"),
    503: _("Service unavailable"),
    504: _("Gateway timeout"),
}


class ApiProblem(exceptions.APIException):
    """An error of the API's own: a status, a stable code, and optionally the invalid
    fields (`errors`, as `field_errors` makes them) or members of its own (`extra`)."""

    def __init__(
        self,
        detail: str,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        *,
        errors: list[dict[str, str]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail, code)
        self.status_code = status_code
        self.errors = errors
        self.extra = dict(extra or {})


class WrongState(ApiProblem):
    """The action cannot be done to the object as it is now (approving an approved
    version, cancelling a cancelled session): 409 `wrong_state`."""

    def __init__(self, detail: str, *, extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail, WRONG_STATE, status.HTTP_409_CONFLICT, extra=extra)


def problem_type(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{TYPE_PATH}{code}"


def title_of(code: str, status_code: int) -> str:
    title = CODE_TITLES.get(code) or STATUS_TITLES.get(status_code) or _("Error")
    return str(title)


def problem(
    request: HttpRequest | None,
    status_code: int,
    code: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body of a problem; `extra` never overwrites the standard members."""
    body: dict[str, Any] = dict(extra or {})
    body.update(
        type=problem_type(code),
        title=title_of(code, status_code),
        status=status_code,
        detail=str(detail),
        instance=request.path if request is not None else "",
        code=code,
    )
    if errors is not None:
        body["errors"] = errors
    return body


def field_errors(detail: Any, path: Sequence[str] = ()) -> list[dict[str, str]]:
    """DRF's nested error dicts and lists as one flat list, each error under its dotted
    path: `{"slot": {"start": [..]}}` → "slot.start", the third item of a list
    `attendees` → "attendees.2.user", non_field_errors → the path of the object they
    are about ("" for the request itself)."""
    if isinstance(detail, Mapping):
        found: list[dict[str, str]] = []
        for key, value in detail.items():
            whole = str(key) in (api_settings.NON_FIELD_ERRORS_KEY, "__all__")
            found += field_errors(value, path if whole else (*path, str(key)))
        return found
    if isinstance(detail, list | tuple):
        found = []
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list | tuple):
                # Items of a list: the valid ones are empty and add nothing.
                found += field_errors(item, (*path, str(index)))
            else:
                found += field_errors(item, path)
        return found
    return [
        {
            "field": ".".join(path),
            "code": str(getattr(detail, "code", None) or INVALID),
            "detail": str(detail),
        }
    ]


def validation_detail(errors: list[dict[str, str]]) -> str:
    """One error says itself; several are summed up (each is in `errors`)."""
    if len(errors) == 1:
        return errors[0]["detail"]
    return gettext("%(count)d fields of the request are not valid; see errors.") % {
        "count": len(errors)
    }


def exception_code(exc: exceptions.APIException) -> str:
    code = getattr(exc.detail, "code", None)
    return str(code or exc.default_code)


def problem_for(
    exc: exceptions.APIException, request: HttpRequest | None, status_code: int
) -> dict[str, Any]:
    if isinstance(exc, ApiProblem):
        return problem(
            request,
            status_code,
            exception_code(exc),
            str(exc.detail),
            errors=exc.errors,
            extra=exc.extra,
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        return problem(request, status_code, INVALID, validation_detail(errors), errors=errors)
    return problem(request, status_code, exception_code(exc), str(exc.detail))


def shape_drf_response(
    response: Response, exc: exceptions.APIException, request: HttpRequest | None
) -> Response:
    """DRF's own answer to an exception (its status and headers: WWW-Authenticate,
    Retry-After) with the problem as its body."""
    response.data = problem_for(exc, request, response.status_code)
    response.content_type = CONTENT_TYPE
    return response


def server_error_detail() -> str:
    return gettext("Something went wrong on the server; it was logged. Please try again later.")


def server_error_response(request: HttpRequest | None) -> Response:
    body = problem(
        request, status.HTTP_500_INTERNAL_SERVER_ERROR, SERVER_ERROR, server_error_detail()
    )
    return Response(body, status=body["status"], content_type=CONTENT_TYPE)


def json_response(request: HttpRequest, status_code: int, code: str, detail: str) -> JsonResponse:
    """A problem outside DRF (the project's 404 and 500 handlers)."""
    body = problem(request, status_code, code, detail)
    return JsonResponse(body, status=status_code, content_type=CONTENT_TYPE)
