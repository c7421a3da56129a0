"""What the home page answers for each role: "what needs me now".

Each part is a few queries whatever the amount of data (counts are computed by the
database, lists are cut to a few rows), and every part asks meetings.visibility, so
the home page shows nothing its reader could not open:

- the secretariat: the sessions of the office it acts for today and tomorrow, each
  with its readiness (ready of total, problems), and the sessions that ended without
  published minutes;
- a technician: the sessions their sites join in the next 7 days, with when each
  readiness window opens;
- an attendee: their next sessions, and the minutes published in the last 14 days of
  sessions whose details they may read.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from conferencing import instants
from conferencing.jurisdiction import booking_office
from conferencing.models import ConferenceStatus, Leg, Office
from conferencing.readiness import PROBLEM_STATES, READY_STATES
from meetings.models import Meeting, MeetingStatus
from meetings.records.archive import latest_out
from meetings.records.models import RecordKind, RecordStatus, RecordVersion
from meetings.visibility import changeable, invited, readable_ids, with_details

# How far ahead a technician's part looks (the console looks as far).
TECHNICIAN_DAYS = 7
# How far back "newly published" minutes go.
NEW_MINUTES_DAYS = 14
# Rows of a list the home page shows; the list's page has the rest.
SHOWN = 10
# A technician of many sites sees a few names and how many more.
SITES_SHOWN = 3


def local_midnight(now: datetime, days_ahead: int = 0) -> datetime:
    return instants.local_midnight(timezone.localdate(now) + timedelta(days=days_ahead))


# --- the secretariat -----------------------------------------------------------------------------


@dataclass
class OfficeDay:
    """The office's sessions of one day, each annotated with `sites`, `ready` and
    `problems`."""

    day: datetime
    meetings: list[Meeting] = field(default_factory=list)


@dataclass
class SecretariatPart:
    office: Office
    days: list[OfficeDay]
    missing_minutes: list[Meeting]
    missing_minutes_count: int


def with_readiness(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Each meeting with the number of its sites, of those ready (or connected) and of
    those reporting a problem: one grouped query, counted by the database."""
    return meetings.annotate(
        sites=Count("conference__legs"),
        ready=Count("conference__legs", filter=Q(conference__legs__state__in=READY_STATES)),
        # Disconnected counts as a problem, as on the board the dashboard links to.
        problems=Count("conference__legs", filter=Q(conference__legs__state__in=PROBLEM_STATES)),
    )


def without_published_minutes() -> Q:
    published = RecordVersion.objects.filter(
        record__meeting=OuterRef("pk"),
        record__kind=RecordKind.MINUTES,
        status=RecordStatus.PUBLISHED,
    )
    return ~Q(Exists(published))


def secretariat_part(user: AbstractBaseUser, now: datetime) -> SecretariatPart | None:
    """The acting office's today and tomorrow, and its sessions still missing minutes
    (the latest few, and how many in all); None for someone who acts for no office.
    Three queries once the acting office is known."""
    office = booking_office(user)
    if office is None:
        return None
    today, day_after = local_midnight(now), local_midnight(now, 2)
    soon = with_readiness(
        changeable(user, Meeting.objects.scheduled())
        # Today's include one still running from before midnight.
        .filter(conference__end__gt=today, conference__start__lt=day_after)
        .select_related("conference")
        .order_by("conference__start", "pk")
    )
    days = [OfficeDay(today), OfficeDay(local_midnight(now, 1))]
    for meeting in soon:
        days[0 if meeting.conference.start < days[1].day else 1].meetings.append(meeting)
    ended = (
        changeable(user, Meeting.objects.exclude(status=MeetingStatus.CANCELLED))
        .filter(conference__end__lte=now)
        .filter(without_published_minutes())
    )
    missing = list(ended.select_related("conference").order_by("-conference__end", "-pk")[:SHOWN])
    return SecretariatPart(office, days, missing, ended.count())


# --- technicians ---------------------------------------------------------------------------------


@dataclass
class TechnicianSession:
    meeting: Meeting
    title_visible: bool
    window_opens: datetime
    # Whether the readiness window is open at the moment the page was asked for.
    window_open: bool
    sites: list[str] = field(default_factory=list)

    @property
    def shown_sites(self) -> list[str]:
        return self.sites[:SITES_SHOWN]

    @property
    def more_sites(self) -> int:
        return max(len(self.sites) - SITES_SHOWN, 0)


def technician_sessions(user: AbstractBaseUser, now: datetime) -> list[TechnicianSession]:
    """The scheduled sessions the user's sites join whose reservation has not ended and
    whose readiness window opens within the next 7 days, soonest first, with the names
    of the user's sites in each. Two queries."""
    legs = (
        Leg.objects.reserved()
        .filter(
            endpoint__technicians=user,
            conference__status=ConferenceStatus.SCHEDULED,
            conference__meeting__isnull=False,
            reserved_from__lte=now + timedelta(days=TECHNICIAN_DAYS),
            reserved_until__gt=now,
        )
        .select_related("conference__meeting", "endpoint")
        .order_by("conference__start", "conference_id", "endpoint__path")
    )
    sessions: dict[int, TechnicianSession] = {}
    for leg in legs:
        session = sessions.get(leg.conference_id)
        if session is None:
            session = sessions[leg.conference_id] = TechnicianSession(
                meeting=leg.conference.meeting,
                title_visible=False,
                window_opens=leg.conference.reserved_from,
                window_open=leg.conference.reserved_from <= now,
            )
        session.sites.append(leg.endpoint.name)
    visible = readable_ids(user, [session.meeting for session in sessions.values()])
    for session in sessions.values():
        session.title_visible = session.meeting.pk in visible
    return list(sessions.values())


# --- attendees -----------------------------------------------------------------------------------


def next_sessions(user: AbstractBaseUser, now: datetime) -> list[Meeting]:
    """The next scheduled sessions the user organises or is invited to (whose details
    they therefore read), soonest first. One query."""
    meetings = Meeting.objects.scheduled().upcoming(now).filter(invited(user))
    return list(meetings.with_summary()[:SHOWN])


def new_minutes(user: AbstractBaseUser, now: datetime) -> list[RecordVersion]:
    """Minutes published in the last 14 days, newest first, of sessions whose details
    the user may read (meetings.visibility.with_details): what attendees may download.
    One query."""
    return list(
        # The latest version out only: a corrected version replaces the one before it,
        # which is then no longer downloadable for those who do not manage the records.
        RecordVersion.objects.filter(latest_out())
        .filter(
            record__kind=RecordKind.MINUTES,
            status=RecordStatus.PUBLISHED,
            published_at__gte=now - timedelta(days=NEW_MINUTES_DAYS),
            record__meeting__in=with_details(user).values("pk"),
        )
        .select_related("record__meeting")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
