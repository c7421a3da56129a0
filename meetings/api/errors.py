"""The domain's refusals as HTTP answers: a wrong request is 400, a conflict 409."""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from httpapi.preconditions import PreconditionFailed
from meetings.api.serializers import conflicts_data, occurrence_data
from meetings.booking import BookingConflict, BookingError
from meetings.revisions import StaleRevision
from meetings.series import SeriesConflict

CONFLICT_CODE = "conflict"


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
        return super().handle_exception(exc)  # type: ignore[misc]
