"""Who watches which part of a session's readiness (the board and the report ask the
same), and the states' names the pages write."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from conferencing import readiness_board
from conferencing.models import ReadinessState
from conferencing.watch_policy import BoardPart
from meetings.models import Meeting
from meetings.visibility import board_part, watchable


def state_labels() -> dict[str, str]:
    return {value: str(label) for value, label in ReadinessState.choices}


def watched_meeting(user: AbstractBaseUser, meeting_id: int) -> Meeting:
    """The meeting whose readiness the user may watch (visibility.watchable), else 404: one
    they may not watch answers as one that does not exist. Whoever watches a meeting may
    read its details, so these pages show its title."""
    meetings = Meeting.objects.select_related("conference")
    return get_object_or_404(watchable(user, meetings), pk=meeting_id)


@dataclass(frozen=True)
class WatchedPart:
    """The part of a session's readiness the viewer watches: `site` is the top of their
    jurisdiction's part (None for the whole board), `sites` how many of the session's
    sites it shows."""

    part: BoardPart
    site: str | None
    sites: int


def watched_part(user: AbstractBaseUser, meeting: Meeting) -> WatchedPart:
    """The part of `meeting`'s board the user watches (visibility.board_part); 404 if none."""
    part = board_part(user, meeting)
    if part is None:
        raise Http404
    if part.is_whole:
        return WatchedPart(part, None, 0)
    top = readiness_board.part_site(part)
    return WatchedPart(part, top, readiness_board.count(meeting.conference_id, part))
