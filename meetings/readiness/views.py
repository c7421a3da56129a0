"""Readiness on the web: the technician's console and its HTTP fallback, the live board
of a session, and the readiness report once it is over.

The board's cells come over the board socket (docs/readiness-protocol.md): its page is
only the frame. The console's forms post to `console_report`, which calls the same
domain function as the technician socket (conferencing.readiness.submit_report), so a
phone whose network blocks WebSockets still reports.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.roles import can_view_meetings, is_technician
from conferencing import readiness, readiness_board, readiness_detail
from conferencing.models import Conference, ConferenceStatus, Leg, LegRole, Level, ReadinessState
from conferencing.readiness_report import (
    PUNCTUALITY_LABELS,
    Punctuality,
    ReadinessSummary,
    SiteReadiness,
    check_labels,
    province_csv,
    summarise,
    summary_csv,
)
from conferencing.watch_policy import BoardPart
from meetings.models import Meeting
from meetings.readiness.report_charts import report_charts
from meetings.views.common import AuthenticatedHttpRequest
from meetings.visibility import board_part, readable_ids, watchable

# The console lists sessions from a week before their window opens until an hour after
# they end (the home page's technician part looks as far ahead).
CONSOLE_AHEAD = timedelta(days=7)
CONSOLE_BEHIND = timedelta(hours=1)

S = ReadinessState
# The states a technician can report, in the order of the console's buttons.
REPORTABLE = [S.CHECKING, S.READY, S.PROBLEM, S.CONNECTED, S.DISCONNECTED]

CHECK_LABELS = readiness.CHECK_LABELS


class Phase:
    """Where a session stands for its technicians."""

    UPCOMING = "upcoming"  # the setup window has not opened: no report yet
    SETUP = "setup"  # the window is open, the session has not started
    RUNNING = "running"
    ENDED = "ended"


def phase_of(conference: Conference, now: datetime) -> str:
    if now < conference.reserved_from:
        return Phase.UPCOMING
    if now < conference.start:
        return Phase.SETUP
    if now < conference.end:
        return Phase.RUNNING
    return Phase.ENDED


def next_states(current: str, in_session: bool) -> list[str]:
    """The states a site in `current` may report next, asked of the domain's own rule."""
    return [
        state
        for state in REPORTABLE
        if readiness.transition_error(current, state, in_session) is None
    ]


def transition_table(in_session: bool) -> dict[str, list[str]]:
    """Every state's next states, for the console's script (it re-draws buttons after an ack)."""
    return {state: next_states(state, in_session) for state in S.values}


def new_client_id() -> str:
    """The id of one report: a form posted twice (double tap, reload) is applied once."""
    return uuid.uuid4().hex


def state_labels() -> dict[str, str]:
    return {value: str(label) for value, label in S.choices}


# --- the technician's console ------------------------------------------------------------------


@dataclass
class ConsoleLeg:
    leg: Leg
    next_states: list[str]
    client_id: str = field(default_factory=new_client_id)

    @property
    def is_host(self) -> bool:
        return self.leg.role == LegRole.HOST

    @property
    def checks(self) -> list[tuple[str, str, bool]]:
        """Each checklist item with its label and the last report's answer."""
        reported = self.leg.checklist if isinstance(self.leg.checklist, dict) else {}
        return [
            (item, str(label), reported.get(item) is True) for item, label in CHECK_LABELS.items()
        ]


@dataclass
class ConsoleSession:
    conference: Conference
    meeting: Meeting
    title_visible: bool
    phase: str
    legs: list[ConsoleLeg] = field(default_factory=list)
    # The console links the board only for a session the user may watch (visibility.watchable).
    board: bool = False

    @property
    def accepts_reports(self) -> bool:
        return self.phase in (Phase.SETUP, Phase.RUNNING)

    @property
    def phase_note(self) -> str:
        return phase_note(self.conference, self.phase)


def phase_texts() -> dict[str, str]:
    """One sentence per phase; {time} is the next moment that matters. console.js gets
    the same texts, to change them when a window opens while the page is open."""
    return {
        Phase.UPCOMING: _("Reports open at {time}, when the setup window starts."),
        Phase.SETUP: _("Setup window open: report your checks before the start at {time}."),
        Phase.RUNNING: _("In session until {time}: report connected or disconnected."),
        Phase.ENDED: _("The session ended at {time}: reports are closed."),
    }


def phase_note(conference: Conference, phase: str) -> str:
    moment = {
        Phase.UPCOMING: conference.reserved_from,
        Phase.SETUP: conference.start,
        Phase.RUNNING: conference.end,
        Phase.ENDED: conference.end,
    }[phase]
    # A window that opens days ahead needs its date; the later moments are within hours
    # (console.js rewrites them with the time alone when the phase changes).
    shape = "%d/%m/%Y %H:%M" if phase == Phase.UPCOMING else "%H:%M"
    return phase_texts()[phase].format(time=timezone.localtime(moment).strftime(shape))


def console_sessions(user: AbstractBaseUser, now: datetime) -> list[ConsoleSession]:
    """The sessions the user's sites must join, soonest first, each with the user's legs
    only: a technician reports for their own sites, and sees another site of a session
    only on its board. Three queries whatever their number."""
    legs = (
        Leg.objects.reserved()
        .filter(
            endpoint__technicians=user,
            conference__status=ConferenceStatus.SCHEDULED,
            conference__meeting__isnull=False,
            reserved_from__lte=now + CONSOLE_AHEAD,
            reserved_until__gt=now - CONSOLE_BEHIND,
        )
        .select_related("conference__meeting", "endpoint")
        .order_by("conference__start", "conference_id", "endpoint__path")
    )
    sessions: dict[int, ConsoleSession] = {}
    for leg in legs:
        conference = leg.conference
        session = sessions.get(conference.pk)
        if session is None:
            session = sessions[conference.pk] = ConsoleSession(
                conference=conference,
                meeting=conference.meeting,
                title_visible=False,
                phase=phase_of(conference, now),
            )
        allowed = (
            next_states(leg.state, session.phase == Phase.RUNNING)
            if session.accepts_reports
            else []
        )
        session.legs.append(ConsoleLeg(leg=leg, next_states=allowed))
    meetings = [session.meeting for session in sessions.values()]
    visible = readable_ids(user, meetings)
    watched = watched_ids(user, meetings)
    for session in sessions.values():
        session.title_visible = session.meeting.pk in visible
        session.board = session.meeting.pk in watched
    return list(sessions.values())


def watched_ids(user: AbstractBaseUser, meetings: list[Meeting]) -> set[int]:
    """Of these meetings, the ids whose readiness the user may watch; one query."""
    if not meetings:
        return set()
    listed = Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings])
    return set(watchable(user, listed).values_list("pk", flat=True))


@require_GET
@role_required(is_technician)
def console(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/console.html",
        {
            "sessions": console_sessions(request.user, timezone.now()),
            "buttons": [(state, S(state).label) for state in REPORTABLE],
            "transitions": json.dumps(
                {"setup": transition_table(False), "running": transition_table(True)}
            ),
            "max_note": readiness.MAX_NOTE_LENGTH,
            "max_override": readiness.MAX_OVERRIDE_LENGTH,
            "max_people": readiness.MAX_PEOPLE,
            "texts": json.dumps(console_texts(), ensure_ascii=False),
            # The leg whose ready the form post saw refused for a check not ok: its
            # reason field opens (console_report).
            "open_override": request.GET.get("override", ""),
        },
    )


def console_texts() -> dict:
    """What console.js writes, translated here: the script has no message catalogue."""
    return {
        "states": state_labels(),
        "phases": phase_texts(),
        "sending": _("Sending…"),
        "received": _("Received ✓ {time}"),
        "retrying": _("Not confirmed yet: it will be sent again when the connection is back."),
        "resend": _("Not confirmed: press the button again to send the report as a form."),
        "last_report": _("Last report at {time}"),
        "live": _("Live: reports reach the board at once"),
        "connecting": _("Connecting…"),
        "fallback": _("No live connection: reports are sent as forms"),
    }


class ReportForm(forms.Form):
    """The console's fallback post. Types only: the domain validates the rest, so both
    ways in give the same answers."""

    leg = forms.IntegerField(label=gettext_lazy("site"), min_value=1)
    state = forms.CharField(label=gettext_lazy("state"))
    people = forms.IntegerField(label=gettext_lazy("people present"), required=False)
    note = forms.CharField(label=gettext_lazy("note"), required=False, strip=True)
    override = forms.CharField(label=gettext_lazy("reason for ready"), required=False, strip=True)
    client_id = forms.CharField(label=gettext_lazy("message id"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item, label in CHECK_LABELS.items():
            self.fields[f"checklist_{item}"] = forms.BooleanField(required=False, label=label)

    def report(self) -> readiness.Report:
        data = self.cleaned_data
        return readiness.Report(
            leg_id=data["leg"],
            state=data["state"],
            checklist={item: data[f"checklist_{item}"] for item in CHECK_LABELS},
            people_present=data["people"],
            note=data["note"],
            client_id=data["client_id"],
            override_reason=data["override"],
        )


@require_POST
@role_required(is_technician)
def console_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A report sent as a plain form, when the phone cannot keep a WebSocket open."""
    form = ReportForm(request.POST)
    back = reverse("meetings:console")
    if not form.is_valid():
        field_name, errors = next(iter(form.errors.items()))
        messages.error(
            request,
            _("Nothing was reported: %(field)s: %(error)s")
            % {"field": form.fields[field_name].label, "error": errors[0]},
        )
        return redirect(back)
    try:
        outcome = readiness.submit_report(form.report(), request.user)
    except readiness.ReadinessRefused as refused:
        messages.error(request, _("Nothing was reported: %(reason)s") % {"reason": refused.message})
        leg = form.cleaned_data["leg"]
        if refused.code == "unchecked":
            return redirect(f"{back}?override={leg}#leg-{leg}")
        return redirect(f"{back}#leg-{leg}")
    event = outcome.event
    messages.success(
        request,
        _("Report received at %(time)s: %(site)s is “%(state)s”.")
        % {
            "time": timezone.localtime(event.at).strftime("%H:%M:%S"),
            "site": event.leg.endpoint.name,
            "state": S(event.to_state).label,
        },
    )
    return redirect(f"{back}#leg-{event.leg_id}")


# --- the board and the report ------------------------------------------------------------------


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


def board_texts() -> dict:
    """What board.js writes, translated here: the script has no message catalogue."""
    return {
        "states": state_labels(),
        "levels": {level.slug: str(level.label) for level in Level},
        "checks": {item: str(label) for item, label in CHECK_LABELS.items()},
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
            "states": S.choices,
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


# A report of at most this many sites lists each of them; a larger one (a national
# session's 3,356) lists, on demand, the sites of one province that need attention.
SITE_LIST_LIMIT = 200
# The `province` of the central level's sites, which lie in no province.
NO_PROVINCE = "-"


@dataclass
class ProvinceRow:
    name: str
    code: str
    counts: dict[str, int]
    attention: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_percent(self) -> int:
        return round(100 * self.counts[Punctuality.ON_TIME] / self.total) if self.total else 0

    @property
    def key(self) -> str:
        """Its value of the report's `province` parameter."""
        return self.code or NO_PROVINCE


def minutes_late(first_ready_at: datetime | None, start: datetime) -> int | None:
    if first_ready_at is None or first_ready_at <= start:
        return None
    return max(1, round((first_ready_at - start).total_seconds() / 60))


@dataclass(frozen=True)
class SiteList:
    """The sites the report lists: all of a small report's; else, asked for one province,
    those of its sites that need attention; else none (`needs_choice`)."""

    sites: list[SiteReadiness]
    province: ProvinceRow | None
    complete: bool
    needs_choice: bool


def site_list(summary: ReadinessSummary, provinces: list[ProvinceRow], wanted: str) -> SiteList:
    chosen = next((row for row in provinces if row.key == wanted), None) if wanted else None
    if len(summary.sites) <= SITE_LIST_LIMIT and not chosen:
        return SiteList(summary.sites, None, complete=True, needs_choice=False)
    if chosen is None:
        return SiteList([], None, complete=False, needs_choice=True)
    sites = [
        site for site in summary.sites if site.province_code == chosen.code and site.needs_attention
    ]
    return SiteList(sites, chosen, complete=False, needs_choice=False)


@require_GET
@role_required(can_view_meetings)
def readiness_report(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = watched_meeting(request.user, meeting_id)
    conference = meeting.conference
    watched = watched_part(request.user, meeting)
    summary = summarise(conference, watched.part)
    provinces = [
        ProvinceRow(name, summary.province_codes[name], counts, summary.attention[name])
        for name, counts in summary.by_province.items()
    ]
    listed = site_list(summary, provinces, request.GET.get("province", ""))
    levels = {level.slug: str(level.label) for level in Level}
    states = state_labels()
    now = timezone.now()
    sites = [
        {
            "site": site,
            "level": levels[site.level],
            "state": states[site.final_state],
            "punctuality": PUNCTUALITY_LABELS[site.punctuality],
            "late_by": minutes_late(site.first_ready_at, conference.start),
            "checks": check_labels(site.unchecked),
        }
        for site in listed.sites
    ]
    return render(
        request,
        "meetings/readiness_report.html",
        {
            "meeting": meeting,
            "conference": conference,
            "watched": watched,
            "ended": conference.end <= now,
            "summary": summary,
            "readiness_charts": report_charts(conference, summary, watched.part, now),
            "total": len(summary.sites),
            "provinces": provinces,
            "listed": listed,
            "sites": sites,
            "punctuality_labels": PUNCTUALITY_LABELS,
        },
    )


@require_GET
@role_required(can_view_meetings)
def readiness_csv(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = watched_meeting(request.user, meeting_id)
    by = request.GET.get("by", "site")
    if by not in CSV_LAYOUTS:
        return HttpResponseBadRequest(_("Unknown layout: by=site or by=province."))
    # The byte order mark makes spreadsheet programs read the Vietnamese names as UTF-8.
    part = watched_part(request.user, meeting).part
    content = "\ufeff" + CSV_LAYOUTS[by](summarise(meeting.conference, part))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    suffix = "" if by == "site" else "-provinces"
    response["Content-Disposition"] = (
        f'attachment; filename="giaoban-readiness-{meeting.pk}{suffix}.csv"'
    )
    return response


CSV_LAYOUTS = {"site": summary_csv, "province": province_csv}
