"""The technician's console and its HTTP fallback.

The console's forms post to `console_report`, which calls the same domain function as
the technician socket (conferencing.readiness.submit_report), so a phone whose network
blocks WebSockets still reports.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.roles import is_technician
from conferencing import readiness
from conferencing.models import Conference, ConferenceStatus, Leg, LegRole, ReadinessState
from meetings.models import Meeting
from meetings.readiness.watching import state_labels
from meetings.views.common import AuthenticatedHttpRequest
from meetings.visibility import readable_ids, watchable

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


# --- the technician's console ------------------------------------------------------------------


@dataclass
class ConsoleLeg:
    leg: Leg
    next_states: list[str]
    client_id: str = field(default_factory=new_client_id)
    # A report the rules refused, shown again as the technician filled it in: nothing
    # they ticked or wrote is lost (console_report).
    draft: readiness.Report | None = None

    @property
    def is_host(self) -> bool:
        return self.leg.role == LegRole.HOST

    @property
    def checks(self) -> list[tuple[str, str, bool]]:
        """Each checklist item with its label and the last report's (or the draft's) answer."""
        shown = self.draft.checklist if self.draft else self.leg.checklist
        reported = shown if isinstance(shown, dict) else {}
        return [
            (item, str(label), reported.get(item) is True) for item, label in CHECK_LABELS.items()
        ]

    @property
    def people(self) -> int | None:
        return self.draft.people_present if self.draft else self.leg.people_present

    @property
    def note(self) -> str:
        return self.draft.note if self.draft else self.leg.note

    @property
    def override(self) -> str:
        return self.draft.override_reason if self.draft else self.leg.override_reason


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
    return render_console(request)


def render_console(
    request: AuthenticatedHttpRequest, draft: readiness.Report | None = None, status: int = 200
) -> HttpResponse:
    sessions = console_sessions(request.user, timezone.now())
    if draft is not None:
        for session in sessions:
            for item in session.legs:
                if item.leg.pk == draft.leg_id:
                    item.draft = draft
    return render(
        request,
        "meetings/console.html",
        {
            "sessions": sessions,
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
            "open_override": str(draft.leg_id) if draft else "",
        },
        status=status,
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
    report = form.report()
    try:
        outcome = readiness.submit_report(report, request.user)
    except readiness.ReadinessRefused as refused:
        messages.error(request, _("Nothing was reported: %(reason)s") % {"reason": refused.message})
        if refused.code == "unchecked":
            # The console again with what was sent and the reason field open (a redirect
            # would drop the ticks, the note and the people present).
            return render_console(request, draft=report, status=400)
        return redirect(f"{back}#leg-{report.leg_id}")
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
