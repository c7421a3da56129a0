"""The problems in the OpenAPI schema: their serializers, and an AutoSchema (the
REST_FRAMEWORK DEFAULT_SCHEMA_CLASS) that documents on every operation the error
statuses it can answer, each as `application/problem+json`:

- 400 for an operation with a request body or query parameters (ValidationProblem),
  and for any operation of a view that refuses unknown query parameters
  (httpapi.query_parameters.DeclaredQueryParameters);
- 401 for every operation that needs authentication (all of the API);
- 403 for a write (a read-only API token is refused) and where a permission class
  other than "signed in" can refuse;
- 404 for an operation with a path parameter;
- 415 for an operation with a request body;
- 429 where the view is throttled;
- 409, 412, 422 and any other where the operation declares it (extend_schema
  `responses`, or the view's `error_statuses_added`).

A view removes statuses with `error_statuses_removed`; statuses whose answer has no
body (a download's 416) it names in `bodiless_error_statuses`. An error response an
operation declares keeps its description; its body becomes the problem (a view's
own subclass of ProblemSerializer is kept, e.g. the conflict's)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

from httpapi.problems import CONTENT_TYPE
from httpapi.query_parameters import DeclaredQueryParameters

WRITES = ("POST", "PUT", "PATCH", "DELETE")
WITH_BODY = ("POST", "PUT", "PATCH")

DESCRIPTIONS = {
    400: _("The request is not valid: every invalid field in `errors`."),
    401: _("Not signed in, or the API token is unknown, expired or revoked."),
    403: _("The user's role, or a read-only API token, may not do this."),
    404: _("Not found, or not visible to the user: both answer alike."),
    409: _("Not possible in the current state."),
    415: _("The request body is not in a supported media type."),
    429: _("Too many requests: retry after the Retry-After header's seconds."),
}


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457): branch on `code`; `title` and `detail` are for people."""

    type = serializers.CharField(help_text=_("A URI naming the code."))
    title = serializers.CharField(help_text=_("The same short text for every problem of a code."))
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text=_("What happened to this request."))
    instance = serializers.CharField(help_text=_("The request's path."))
    code = serializers.CharField(help_text=_("The stable machine code."))


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text=_('Dotted path ("slot.start", "attendees.2.user"); "" for the whole request.')
    )
    code = serializers.CharField()
    detail = serializers.CharField()


class ValidationProblemSerializer(ProblemSerializer):
    """A request that is not valid: every invalid field at once."""

    errors = FieldErrorSerializer(many=True, required=False)


class ProblemAutoSchema(AutoSchema):
    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: Any
    ) -> dict | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        removed = {str(code) for code in getattr(self.view, "error_statuses_removed", ())}
        for code in sorted(self.error_statuses(operation)):
            if str(code) not in responses and str(code) not in removed:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(description=DESCRIPTIONS.get(code, "")), str(code)
                )
        for code in removed:
            responses.pop(code, None)
        return operation

    def error_statuses(self, operation: dict) -> set[int]:
        parameters = operation.get("parameters", [])
        has_body = self.method in WITH_BODY and "requestBody" in operation
        found = set(getattr(self.view, "error_statuses_added", ()))
        if has_body or any(parameter["in"] == "query" for parameter in parameters):
            found.add(400)
        if isinstance(self.view, DeclaredQueryParameters):
            found.add(400)
        if not self.allows_anyone():
            found.add(401)
            if self.method in WRITES or self.refusing_permissions():
                found.add(403)
        if any(parameter["in"] == "path" for parameter in parameters):
            found.add(404)
        if has_body:
            found.add(415)
        if self.view.get_throttles():
            found.add(429)
        return found

    def allows_anyone(self) -> bool:
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def refusing_permissions(self) -> bool:
        """A permission beyond "signed in": a role or an object rule can refuse."""
        simple = (AllowAny, IsAuthenticated)
        return any(not isinstance(p, simple) for p in self.view.get_permissions())

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: str,
        media_types: Any = None,
        direction: Any = "response",
    ) -> dict:
        bodiless = {str(code) for code in getattr(self.view, "bodiless_error_statuses", ())}
        if status_code.isdigit() and int(status_code) >= 400 and status_code not in bodiless:
            serializer = as_problem(serializer, int(status_code))
            media_types = [CONTENT_TYPE]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


def is_problem(serializer: Any) -> bool:
    kind = serializer if isinstance(serializer, type) else type(serializer)
    return isinstance(kind, type) and issubclass(kind, ProblemSerializer)


def as_problem(declared: Any, status_code: int) -> OpenApiResponse:
    """The declared error response with a problem body: its own if it is one, else the
    default for the status (with `errors` for 400)."""
    description = DESCRIPTIONS.get(status_code, "")
    body = declared
    if isinstance(declared, OpenApiResponse):
        description, body = declared.description or description, declared.response
    if not is_problem(body):
        body = ValidationProblemSerializer if status_code == 400 else ProblemSerializer
    return OpenApiResponse(body, description=description)
