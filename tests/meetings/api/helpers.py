"""What the meeting API's tests share: URLs, times next year in local time, bookings
made through the domain, request bodies and the answers expected back."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from audit.models import AuditEntry
from conferencing.models import Conference, Leg, Level
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingRequest, Details, Slot, book
from meetings.models import Classification, Meeting, Series
from meetings.series import book_series

LIST_URL = "/api/v1/meetings/"
CHECK_URL = "/api/v1/meetings/check/"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


# Next year, so every slot is in the future whenever the suite runs.
YEAR = timezone.now().year + 1

NOTHING_WRITTEN = {"meetings": 0, "conferences": 0, "legs": 0, "series": 0, "audit": 0}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in March of next year."""
    return datetime(YEAR, 3, day, hour, minute, tzinfo=TZ)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def written() -> dict[str, int]:
    return {
        "meetings": Meeting.objects.count(),
        "conferences": Conference.objects.count(),
        "legs": Leg.objects.count(),
        "series": Series.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def booked(
    user,
    bridge,
    start: datetime,
    *,
    sites: tuple[str, ...] = ("HN",),
    host: str = "HN",
    hours: int = 2,
    title: str = "Giao ban tuần",
    classification: str = Classification.INTERNAL,
    attendees: tuple[tuple[int, str], ...] = (),
) -> Meeting:
    return book(
        BookingRequest(
            details=Details(title=title, classification=classification, attendees=attendees),
            slot=Slot(start, start + timedelta(hours=hours)),
            bridge_id=bridge.pk,
            sites=SiteSelection(sites=sites),
            host_code=host,
        ),
        user,
    )


def booking_body(mcu, **changes) -> dict:
    return {
        "title": "Giao ban tuần",
        "bridge": mcu.pk,
        "start": iso(at(2, 8)),
        "end": iso(at(2, 10)),
        "sites": {"sites": ["HN", "HCM"]},
        "host": "HN",
        **changes,
    }


def summary(meeting: Meeting, **changes) -> dict:
    """A readable meeting as lists show it (fresh from the database)."""
    meeting = Meeting.objects.select_related("conference", "conference__bridge", "series").get(
        pk=meeting.pk
    )
    conference = meeting.conference
    host = conference.legs.select_related("endpoint").get(role="host").endpoint
    return {
        "id": meeting.pk,
        "kind": "meeting",
        "details_visible": True,
        "title": meeting.title,
        "start": iso(timezone.localtime(conference.start)),
        "end": iso(timezone.localtime(conference.end)),
        "setup_minutes": conference.setup_minutes,
        "status": meeting.status,
        "classification": meeting.classification,
        "organising_unit": meeting.organising_unit,
        "bridge": {"id": conference.bridge_id, "name": conference.bridge.name},
        "host": {"code": host.code, "name": host.name, "level": Level(host.level).slug},
        "site_count": conference.legs.count(),
        "series": series_ref(meeting.series) if meeting.series else None,
        "sequence": meeting.sequence,
        **changes,
    }


def series_ref(series: Series) -> dict:
    return {
        "id": series.pk,
        "uid": series.uid,
        "rrule": series.rrule,
        "first_start": iso(timezone.localtime(series.first_start)),
        "off_days": series.off_days,
    }


def listed_ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def too_many() -> str:
    return "A series can have at most 400 occurrences within 12 months."


BAD_BOOKINGS = [
    (
        "inactive site",
        {"sites": {"sites": ["HN", "OLD"]}},
        "sites",
        "Inactive sites cannot be booked: OLD.",
    ),
    ("empty site lists", {"sites": {}}, "sites", "Choose at least one site."),
    (
        "empty site codes",
        {"sites": {"sites": [], "levels": []}},
        "sites",
        "Choose at least one site.",
    ),
    ("unknown site", {"sites": {"sites": ["HN", "NOPE"]}}, "sites", "Unknown sites: NOPE."),
    (
        "malformed rrule",
        {"rrule": "FREQ=SOMETIMES;COUNT=3"},
        "rrule",
        "The recurrence rule is malformed.",
    ),
    ("absurd series", {"rrule": "FREQ=DAILY;COUNT=10000"}, "rrule", too_many()),
    ("endless series", {"rrule": "FREQ=WEEKLY"}, "rrule", "A series needs an end: COUNT or UNTIL."),
    (
        "naive start",
        {"start": f"{YEAR}-03-02T08:00:00"},
        "start",
        "Give the time with its time zone offset.",
    ),
    (
        "naive end",
        {"end": f"{YEAR}-03-02T10:00:00"},
        "end",
        "Give the time with its time zone offset.",
    ),
    ("end before start", {"end": iso(at(2, 7))}, "end", "The session must end after it starts."),
    ("end at start", {"end": iso(at(2, 8))}, "end", "The session must end after it starts."),
    ("too long", {"end": iso(at(3, 9))}, "end", "A session cannot last longer than 24 hours."),
    (
        "past",
        {"start": "2020-03-02T08:00:00+07:00", "end": "2020-03-02T10:00:00+07:00"},
        "start",
        "Sessions in the past cannot be booked or moved.",
    ),
    (
        "host not among the sites",
        {"host": "TW"},
        "host",
        "The host site must be one of the chosen sites.",
    ),
    ("unknown bridge", {"bridge": 999999}, "bridge", "Choose an existing bridge."),
    ("blank title", {"title": "  "}, "title", "Give the session a title."),
    ("missing title", {"title": None}, "title", "This field may not be null."),
    (
        "setup too long",
        {"setup_minutes": 5000},
        "setup_minutes",
        "The setup window must be between 0 and 1440 minutes.",
    ),
    (
        "unknown attendee",
        {"attendees": [{"user": 999999, "role": "member"}]},
        "attendees",
        "Unknown users: 999999.",
    ),
    (
        "bad classification",
        {"classification": "secret"},
        "classification",
        '"secret" is not a valid choice.',
    ),
]


WEEKLY_3 = "FREQ=WEEKLY;COUNT=3"


def series_of_three(alice, bridge) -> list[Meeting]:
    request = BookingRequest(
        details=Details(title="Giao ban tuần"),
        slot=Slot(at(2, 8), at(2, 10)),
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("HN",)),
        host_code="HN",
    )
    return book_series(request, WEEKLY_3, alice).booked
