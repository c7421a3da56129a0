"""The live board of a session. Its cells come over the board socket
(docs/readiness-protocol.md): the page is only the frame; a site's panel asks
`board_leg` for its detail."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import can_view_meetings
from conferencing import readiness, readiness_detail
from conferencing.models import Level, ReadinessState
from meetings.readiness.watching import state_labels, watched_meeting, watched_part
from meetings.views.common import AuthenticatedHttpRequest
from meetings.visibility import board_part


def board_texts() -> dict:
    """What board.js writes, translated here: the script has no message catalogue."""
    return {
        "states": state_labels(),
        "levels": {level.slug: str(level.label) for level in Level},
        "checks": {item: str(label) for item, label in readiness.CHECK_LABELS.items()},
        "host": _("host site"),
        "host_short": _("host"),
        "no_province": _("Other sites"),
        "no_sites": _("This session has no site."),
        "ready_of": _("{ready} of {total} ready"),
        "never": _("no report yet"),
        "just_now": _("just now"),
        "minutes_ago": _("{n} min ago"),
        "hours_ago": _("{n} h ago"),
        "last_report": _("Last report"),
        "people": _("People present"),
        "note": _("Note"),
        # A cell's `override` (issue 15): why the site is ready although a check failed.
        "override": _("Ready despite a failed check"),
        "live": _("Live"),
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost: reconnecting…"),
        "refused": _("You may no longer watch this board."),
        "updated": _("Updated {time}"),
        "province_counts": _(
            "{ready}/{total} ready · {problem} problem · {pending} not reported · "
            "{checking} checking"
        ),
        "no_match": _("No site matches."),
        "matches": _("{n} sites match"),
        "matches_more": _("The first {n} matching sites: type more to narrow the search."),
        "search_failed": _("The search could not be run. Try again."),
        "since": _("since {time} ({age})"),
        "site_code": _("Site code"),
        "checklist": _("Checklist"),
        "check_values": {"ok": _("OK"), "failed": _("not OK"), "unknown": _("not reported")},
        "site_phone": _("Site phone"),
        "technicians": _("Technicians"),
        "no_technician": _("No technician assigned to this site."),
        "history": _("Reports of this site"),
        "no_history": _("No report yet."),
        "time": _("Time"),
        "change": _("Change"),
        "by": _("Reported by"),
        "loading": _("Loading…"),
        "detail_failed": _("The site's details could not be loaded. Close and open it again."),
    }


@require_GET
@role_required(can_view_meetings)
def board(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = watched_meeting(request.user, meeting_id)
    conference = meeting.conference
    return render(
        request,
        "meetings/board.html",
        {
            "meeting": meeting,
            "conference": conference,
            "watched": watched_part(request.user, meeting),
            "ended": conference.end <= timezone.now(),
            "ws_path": f"/ws/conferences/{conference.pk}/board/",
            # The panel's detail of one site: this prefix, the leg's id and a slash.
            "leg_url": reverse("meetings:board", kwargs={"meeting_id": meeting.pk}) + "legs/",
            "states": ReadinessState.choices,
            "texts": json.dumps(board_texts(), ensure_ascii=False),
        },
    )


@require_GET
@role_required(can_view_meetings)
def board_leg(request: AuthenticatedHttpRequest, meeting_id: int, leg_id: int) -> JsonResponse:
    """One site of the board in detail, for its panel: asked when a watcher opens it.
    A leg outside the part of the board the viewer watches answers as a missing one."""
    meeting = watched_meeting(request.user, meeting_id)
    part = board_part(request.user, meeting)
    if part is None:
        raise Http404
    detail = readiness_detail.leg_detail(meeting.conference_id, leg_id, part)
    if detail is None:
        raise Http404
    return JsonResponse(detail)
