"""The domain's refusals as API problems (httpapi.problems): a wrong request is 400, a
session in the wrong state for the action 409 `wrong_state`, a conflict 409 `conflict`."""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from httpapi.preconditions import PreconditionFailed
from httpapi.problems import CONFLICT, ApiProblem, WrongState
from meetings.api.conflict_summary import occurrence_summaries, summary
from meetings.attendance import SessionClosed
from meetings.booking import BookingConflict, BookingError, WrongStateError
from meetings.revisions import StaleRevision
from meetings.series import SeriesConflict


def as_validation_error(error: BookingError) -> ValidationError:
    """`{field: [message]}`, the shape of DRF's own field errors."""
    field = api_settings.NON_FIELD_ERRORS_KEY if error.field == "__all__" else error.field
    return ValidationError({field: [error.message]})


def as_conflict(error: BookingConflict | SeriesConflict) -> ApiProblem:
    """The other sessions, grouped (meetings.api.conflict_summary); per occurrence for a
    series."""
    extra: dict[str, object]
    if isinstance(error, BookingConflict):
        extra = summary(error.report)
    else:
        extra = {"occurrences": occurrence_summaries(error.conflicts)}
    return ApiProblem(str(error), CONFLICT, status.HTTP_409_CONFLICT, extra=extra)


class DomainErrorsMixin:
    """For API views that call `meetings.booking` or `meetings.series`; a stale If-Match
    (meetings.revisions) is 412."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, WrongStateError):
            exc = WrongState(exc.message)
        elif isinstance(exc, BookingError):
            exc = as_validation_error(exc)
        elif isinstance(exc, StaleRevision):
            exc = PreconditionFailed()
        elif isinstance(exc, BookingConflict | SeriesConflict):
            exc = as_conflict(exc)
        elif isinstance(exc, SessionClosed):
            exc = WrongState(exc.message)
        return super().handle_exception(exc)  # type: ignore[misc]
