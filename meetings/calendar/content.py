"""What a calendar says about meetings, for one viewer: rows in, `EventData` out.

Shared by the feeds, the single-event download and the invitations. Two reads,
each one query whatever the number of meetings:

- key rows: what identifies each event's text (meeting id, SEQUENCE,
  updated_at, whether the viewer may read the details, the viewer's own site)
  and what a series' recurrence needs. A warm feed reads only these: every
  event's text is then in the cache.
- content rows: everything an event says (title, agenda, host site, number of
  sites, the viewer's site and its dial-in, bridge, organiser), read only for
  the events that must be built.

A series is one recurring VEVENT under the series' UID: its RRULE from the
first occurrence, an EXDATE for every rule instance the viewer does not have
(cancelled, skipped at booking because of a conflict, or not theirs), and a
RECURRENCE-ID override for every occurrence changed since booking (moved,
re-sited: its SEQUENCE is above 0). A confidential meeting the viewer is not
invited to shows only as busy time: no title, agenda, sites or organiser.
"""

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from conferencing.models import Leg, LegRole
from meetings.calendar.ical import (
    CalendarData,
    EventData,
    Person,
    build_calendar,
    build_event,
    rrule_value,
    serialize,
)
from meetings.models import Attendee, Classification, Meeting, MeetingStatus
from meetings.series import parse_rule, series_zone
from meetings.visibility import concerning, details_flag

AGENDA_SUMMARY = 1000
_URL_PLACEHOLDER = 987654321


class KeyRow(NamedTuple):
    """What identifies one meeting's event text, and what its series' recurrence needs."""

    pk: int
    sequence: int
    stamp: str  # updated_at as the database writes it: a version, never parsed
    status: str
    series_id: int | None
    occurrence_start: datetime | None
    series_rrule: str | None
    series_first_start: datetime | None
    details: bool
    viewer_site_id: int | None
    series_sequence: int


KEY_COLUMNS = (
    "pk",
    "sequence",
    "stamp",
    "status",
    "series_id",
    "occurrence_start",
    "series__rrule",
    "series__first_start",
    "details",
    "viewer_site_id",
    "series_sequence",
)
# What an event says besides its key columns.
EVENT_COLUMNS = (
    "updated_at",
    "uid",
    "title",
    "agenda",
    "classification",
    "cancel_reason",
    "organising_unit",
    "conference__start",
    "conference__end",
    "conference__bridge__dial_in",
    "organiser__email",
    "organiser__person__full_name",
    "organiser__username",
    "series__uid",
    "host_name",
    "site_count",
    "viewer_site",
    "viewer_dial",
)
CONTENT_FIELDS = (*KEY_COLUMNS, *EVENT_COLUMNS)
# What building an event (`Unit.build`) reads: its columns and these key columns.
BUILD_FIELDS = ("pk", "sequence", "status", "occurrence_start", "details", *EVENT_COLUMNS)


@dataclass(frozen=True)
class Viewer:
    """Whose calendar it is: their visibility rules and which sites are "theirs"."""

    user: AbstractBaseUser | None
    # Legs of the viewer's own sites, whose name and dial-in the description shows.
    sites: Q | None = None


def viewer_of(user: AbstractBaseUser) -> Viewer:
    """A person: details as meetings.visibility allows, the sites they serve."""
    return Viewer(user, Q(endpoint__technicians=user))


def personal_membership(user: AbstractBaseUser) -> Q:
    """Meetings someone organises or is invited to, or whose sites they serve; subqueries,
    so a technician of two of a session's sites does not get it twice."""
    served = Leg.objects.filter(endpoint__technicians=user).values("conference_id")
    return (
        Q(organiser=user)
        | Q(pk__in=Attendee.objects.filter(user=user).values("meeting_id"))
        | Q(conference_id__in=served)
    )


def with_keys(meetings: QuerySet[Meeting], viewer: Viewer) -> QuerySet[Meeting]:
    legs = Leg.objects.filter(conference=OuterRef("conference_id"))
    viewer_site_id: Subquery | Value
    if viewer.sites is not None:
        own = legs.filter(viewer.sites).order_by("endpoint__path")
        viewer_site_id = Subquery(own.values("endpoint_id")[:1])
    else:
        viewer_site_id = Value(None, output_field=IntegerField())
    series_total = (
        Meeting.objects.filter(series_id=OuterRef("series_id"))
        .order_by()
        .values("series_id")
        .annotate(total=Sum("sequence"))
        .values("total")
    )
    return meetings.annotate(
        stamp=Cast("updated_at", output_field=CharField()),
        details=details_flag(viewer.user),
        viewer_site_id=viewer_site_id,
        series_sequence=Case(
            When(series_id__isnull=False, then=Subquery(series_total)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).order_by("conference__start", "pk")


def key_rows(meetings: QuerySet[Meeting], viewer: Viewer) -> list[KeyRow]:
    """What identifies each event's text, in start order; one query (tuples, and no
    timestamp to parse per row: this is all a warm feed reads)."""
    return [
        KeyRow._make(values) for values in with_keys(meetings, viewer).values_list(*KEY_COLUMNS)
    ]


def key_of(row: dict) -> KeyRow:
    return KeyRow._make(row[name] for name in KEY_COLUMNS)


def content_rows(
    meetings: QuerySet[Meeting], viewer: Viewer, with_key_columns: bool = True
) -> list[dict]:
    """Everything the events of these meetings say; one query. With the key columns
    (what `key_of` reads), in start order, for a whole calendar planned from these
    rows; without, in no order, for a feed that planned its events from its key rows
    and only looks rows up by id (two subqueries and a sort less)."""
    legs = Leg.objects.filter(conference=OuterRef("conference_id"))
    viewer_site: Subquery | Value
    viewer_dial: Subquery | Value
    if viewer.sites is not None:
        own = legs.filter(viewer.sites).order_by("endpoint__path")
        viewer_site = Subquery(own.values("endpoint__name")[:1])
        viewer_dial = Subquery(own.values("endpoint__dial_string")[:1])
    else:
        viewer_site = viewer_dial = Value("")
    if with_key_columns:
        source, fields = with_keys(meetings, viewer), CONTENT_FIELDS
    else:
        source = meetings.annotate(details=details_flag(viewer.user)).order_by()
        fields = BUILD_FIELDS
    return list(
        source.annotate(
            host_name=Subquery(legs.filter(role=LegRole.HOST).values("endpoint__name")[:1]),
            site_count=Subquery(
                legs.order_by().values("conference").annotate(count=Count("pk")).values("count")
            ),
            viewer_site=viewer_site,
            viewer_dial=viewer_dial,
        ).values(*fields)
    )


# -- From rows to events -------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrases:
    """The wording of events in one language, translated once per build: gettext for
    every event was half the cost of wording it."""

    confidential: str
    busy: str
    cancelled: str
    cancel_reason: str
    organising_unit: str
    host_site: str
    your_site: str
    your_site_dial: str
    bridge_dial: str
    session_page: str

    @classmethod
    def active(cls) -> "Phrases":
        """In the active language."""
        return cls(
            confidential=_("Confidential meeting"),
            busy=_(
                "Busy: a confidential session. Only its organiser and the people invited "
                "see its details."
            ),
            cancelled=_("Cancelled: %(title)s"),
            cancel_reason=_("Cancelled. Reason: %(reason)s"),
            organising_unit=_("Organising unit: %(unit)s"),
            host_site=_("Host site: %(site)s"),
            your_site=_("Your site: %(site)s"),
            your_site_dial=_("Your site: %(site)s, dial-in %(dial)s"),
            bridge_dial=_("Bridge (MCU) dial-in: %(dial)s"),
            session_page=_("Session page: %(url)s"),
        )


@dataclass
class Wording:
    """What events of one build share: where links point, the zone, the stamp, and the
    phrases, in the language active when the Wording is made."""

    site_url: str = ""
    zone: ZoneInfo = field(default_factory=series_zone)
    stamp: datetime | None = None  # None: each event's last change (feeds, cacheable)
    attendees: tuple[Person, ...] = ()
    # The events tell their one attendee they were taken off them (ical.EventData.withdrawn).
    withdrawn: bool = False

    def __post_init__(self) -> None:
        base = self.site_url or settings.SITE_URL
        path = reverse("meetings:detail", kwargs={"meeting_id": _URL_PLACEHOLDER})
        self._url = base.rstrip("/") + path.replace(str(_URL_PLACEHOLDER), "{}")
        self.phrases = Phrases.active()
        self._language = get_language()
        self._site_counts: dict[int, str] = {}

    def meeting_url(self, meeting_id: int) -> str:
        return self._url.format(meeting_id)

    def sites_hosted_by(self, count: int) -> str:
        """The "%(count)d sites, hosted by %(host)s" template in its plural form for
        `count`, looked up once per count."""
        found = self._site_counts.get(count)
        if found is None:
            with override(self._language):
                found = ngettext(
                    "%(count)d site, hosted by %(host)s",
                    "%(count)d sites, hosted by %(host)s",
                    count,
                )
            self._site_counts[count] = found
        return found


def event_data(row: dict, wording: Wording, **overrides) -> EventData:
    """The VEVENT of one content row (the busy version unless the viewer may read it)."""
    phrases = wording.phrases
    cancelled = row["status"] == MeetingStatus.CANCELLED
    url = wording.meeting_url(row["pk"])
    if row["details"]:
        summary = row["title"]
        location = location_text(row, wording)
        description = description_text(row, url, phrases)
        organizer = organizer_of(row)
    else:
        summary = phrases.confidential
        location = ""
        description = phrases.busy
        organizer = system_organizer()
    if cancelled:
        summary = phrases.cancelled % {"title": summary}
    data = {
        "uid": row["uid"],
        "sequence": row["sequence"],
        "start": row["conference__start"],
        "end": row["conference__end"],
        "stamp": wording.stamp or row["updated_at"],
        "last_modified": row["updated_at"],
        "summary": summary,
        "location": location,
        "description": description,
        "url": url,
        "organizer": organizer,
        "attendees": wording.attendees,
        "cancelled": cancelled,
        "withdrawn": wording.withdrawn,
        "confidential": row["classification"] == Classification.CONFIDENTIAL,
    }
    data.update(overrides)
    return EventData(**data)


def location_text(row: dict, wording: Wording) -> str:
    count = row["site_count"] or 0
    host = row["host_name"] or ""
    if count <= 1:
        return host
    return wording.sites_hosted_by(count) % {"count": count, "host": host}


def description_text(row: dict, url: str, phrases: Phrases) -> str:
    lines = []
    agenda = (row["agenda"] or "").strip()
    if agenda:
        if len(agenda) > AGENDA_SUMMARY:
            agenda = agenda[: AGENDA_SUMMARY - 1].rstrip() + "…"
        lines += [agenda, ""]
    if row["status"] == MeetingStatus.CANCELLED and row["cancel_reason"]:
        lines.append(phrases.cancel_reason % {"reason": row["cancel_reason"]})
    if row["organising_unit"]:
        lines.append(phrases.organising_unit % {"unit": row["organising_unit"]})
    if row["host_name"]:
        lines.append(phrases.host_site % {"site": row["host_name"]})
    if row["viewer_site"]:
        if row["viewer_dial"]:
            lines.append(
                phrases.your_site_dial % {"site": row["viewer_site"], "dial": row["viewer_dial"]}
            )
        else:
            lines.append(phrases.your_site % {"site": row["viewer_site"]})
    if row["conference__bridge__dial_in"]:
        lines.append(phrases.bridge_dial % {"dial": row["conference__bridge__dial_in"]})
    lines.append(phrases.session_page % {"url": url})
    return "\n".join(lines)


def organizer_of(row: dict) -> Person:
    name = row["organiser__person__full_name"]
    email = row["organiser__email"] or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return Person(email=email, name=name or row["organiser__username"])


def system_organizer() -> Person:
    """The ORGANIZER of a busy-only event: Giao Ban's own address, so that the event is
    valid iTIP (RFC 5546 needs an ORGANIZER) without naming who organises it."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Person(email=email, name=name or "Giao Ban")


def digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()


# -- Planning: which events, each with its cache key ----------------------------------------------


@dataclass
class Unit:
    """One cacheable piece of a calendar: a single event, a series master or an override.

    `key` names its text in the cache (the version of everything it says, bar the
    names of sites, bridges and people, which expire with the cache entry);
    `needs` the meetings whose content rows `build` reads.
    """

    key: str
    needs: tuple[int, ...]
    build: Callable[[dict[int, dict]], EventData]


def version(row: KeyRow) -> str:
    """Meeting id, SEQUENCE, last change, visibility variant, the viewer's site."""
    stamp = row.stamp.replace(" ", "T")  # cache keys take no spaces
    return f"{row.pk}:{row.sequence}:{stamp}:{int(row.details)}:{row.viewer_site_id or 0}"


@lru_cache(maxsize=4096)
def rule_instances(rule: str, first_start: datetime) -> tuple[tuple[datetime, ...], bool]:
    """Every start the rule gives (aware, series zone) and whether it ends by UNTIL."""
    zone = series_zone()
    starts = tuple(start.replace(tzinfo=zone) for start in parse_rule(rule, first_start))
    has_until = any(part.upper().startswith("UNTIL=") for part in rule.split(";"))
    return starts, has_until


def plan_units(rows: list[KeyRow], wording: Wording) -> list[Unit]:
    """The events of these rows in order: single meetings as themselves, each series
    at its first row as a master and its overrides."""
    by_series: dict[int, list[KeyRow]] = {}
    for row in rows:
        if row.series_id is not None:
            by_series.setdefault(row.series_id, []).append(row)
    units: list[Unit] = []
    for row in rows:
        if row.series_id is None:
            units.append(single_unit(row, wording))
        elif row.series_id in by_series:
            units.extend(series_units(by_series.pop(row.series_id), wording))
    return units


def single_unit(row: KeyRow, wording: Wording) -> Unit:
    pk = row.pk
    return Unit(f"e:{version(row)}", (pk,), lambda content: event_data(content[pk], wording))


def series_units(occurrences: list[KeyRow], wording: Wording) -> list[Unit]:
    """The master (RRULE, EXDATEs) and the overrides of one series, from the viewer's rows."""
    first = occurrences[0]
    starts, has_until = rule_instances(first.series_rrule, first.series_first_start)
    by_instance = {row.occurrence_start: row for row in occurrences}
    representative = next(
        (row for row in occurrences if row.sequence == 0 and is_live(row)),
        next((row for row in occurrences if is_live(row)), first),
    )
    exdates = tuple(
        start for start in starts if start not in by_instance or not is_live(by_instance[start])
    )
    all_cancelled = not any(is_live(row) for row in occurrences)
    rule = rrule_value(first.series_rrule or "", starts[-1] if has_until else None)
    sequence = first.series_sequence or 0
    first_start = first.series_first_start
    rep_pk = representative.pk
    everyone = tuple(row.pk for row in occurrences)

    def build_master(content: dict[int, dict]) -> EventData:
        row = content[rep_pk]
        latest = max(content[pk]["updated_at"] for pk in everyone)
        return event_data(
            row,
            wording,
            uid=row["series__uid"],
            sequence=sequence,
            start=first_start,
            end=first_start + (row["conference__end"] - row["conference__start"]),
            stamp=wording.stamp or latest,
            last_modified=latest,
            rrule=rule,
            exdates=exdates,
            cancelled=all_cancelled,
        )

    master_version = digest(
        (rep_pk, [version(row) for row in occurrences], sequence, exdates, all_cancelled)
    )
    units = [Unit(f"m:{first.series_id}:{master_version}", everyone, build_master)]
    for row in occurrences:
        if is_live(row) and row.sequence > 0:
            units.append(override_unit(row, wording))
    return units


def override_unit(row: KeyRow, wording: Wording) -> Unit:
    pk = row.pk
    return Unit(
        f"o:{version(row)}",
        (pk,),
        lambda content: event_data(
            content[pk],
            wording,
            uid=content[pk]["series__uid"],
            recurrence_id=content[pk]["occurrence_start"],
        ),
    )


def is_live(row: KeyRow) -> bool:
    return row.status != MeetingStatus.CANCELLED


def needed(units: Collection[Unit]) -> set[int]:
    return {pk for unit in units for pk in unit.needs}


# -- Whole calendars, built afresh ---------------------------------------------------------------


def build_calendar_of(rows: list[dict], wording: Wording, data: CalendarData) -> bytes:
    """A whole calendar of these content rows, built afresh (downloads, invitations)."""
    content = {row["pk"]: row for row in rows}
    units = plan_units([key_of(row) for row in rows], wording)
    events = [build_event(unit.build(content), wording.zone) for unit in units]
    return serialize(build_calendar(data, events))


def download_calendar(meeting: Meeting, user: AbstractBaseUser) -> bytes:
    """The .ics of "Add to calendar": the meeting, or its whole series (one UID, as in
    feeds and invitations, so adding it twice updates instead of duplicating)."""
    meetings: QuerySet[Meeting]
    if meeting.series_id is None:
        meetings = Meeting.objects.filter(pk=meeting.pk)
    else:
        meetings = concerning(user, Meeting.objects.filter(series_id=meeting.series_id))
    rows = content_rows(meetings, viewer_of(user))
    data = CalendarData(name="Giao Ban", method="PUBLISH", zone=settings.TIME_ZONE)
    # DTSTAMP: when this copy was made (RFC 5545 3.8.7.2, with a METHOD).
    return build_calendar_of(rows, Wording(stamp=timezone.now()), data)
