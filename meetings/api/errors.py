"""The domain's refusals as HTTP answers: a wrong request is 400, a conflict 409."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from httpapi.preconditions import PreconditionFailed
from meetings.api.serializers import conflicts_data, occurrence_data
from meetings.attendance import SessionClosed
from meetings.booking import BookingConflict, BookingError
from meetings.revisions import StaleRevision
from meetings.series import SeriesConflict

CONFLICT_CODE = "conflict"


class SessionClosedError(APIException):
    """409: the session is over, started or cancelled, so it can no longer change."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Only a scheduled session that has not started can be changed.")
    default_code = "session_closed"


def as_validation_error(error: BookingError) -> ValidationError:
    """`{field: [message]}`, the shape of DRF's own field errors."""
    field = api_settings.NON_FIELD_ERRORS_KEY if error.field == "__all__" else error.field
    return ValidationError({field: [error.message]})


def conflict_response(error: BookingConflict | SeriesConflict) -> Response:
    body: dict[str, object] = {"detail": str(error), "code": CONFLICT_CODE}
    if isinstance(error, BookingConflict):
        body.update(conflicts_data(error.report))
    else:
        body["occurrences"] = [occurrence_data(slot, report) for slot, report in error.conflicts]
    return Response(body, status=status.HTTP_409_CONFLICT)


class DomainErrorsMixin:
    """For API views that call `meetings.booking` or `meetings.series`; a stale If-Match
    (meetings.revisions) is 412."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, BookingError):
            exc = as_validation_error(exc)
        elif isinstance(exc, StaleRevision):
            exc = PreconditionFailed()
        elif isinstance(exc, BookingConflict | SeriesConflict):
            return conflict_response(exc)
        elif isinstance(exc, SessionClosed):
            exc = SessionClosedError(exc.message)
        return super().handle_exception(exc)  # type: ignore[misc]
