import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from audit.models import AuditEntry
from conferencing.models import Conference, Leg, Level
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingRequest, Details, Slot, book
from meetings.models import AttendeeRole, Classification, Meeting, MeetingStatus, Series
from meetings.series import book_series
from tests.factories import BridgeFactory, EndpointFactory, UserFactory

LIST_URL = "/api/v1/meetings/"
CHECK_URL = "/api/v1/meetings/check/"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Next year, so every slot is in the future whenever the suite runs.
YEAR = timezone.now().year + 1
NOTHING_WRITTEN = {"meetings": 0, "conferences": 0, "legs": 0, "series": 0, "audit": 0}
BUSY_CONFIDENTIAL = "Busy (confidential session)"


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


@pytest.fixture
def dave(db):
    """A second secretariat member: alice is not invited to his confidential sessions."""
    return UserFactory(username="dave", first_name="Dave", roles=[Role.SECRETARIAT])


@pytest.fixture
def tree(db, bob):
    """Central → two provinces with communes, plus an inactive province; bob serves Hà Nội."""
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    hanoi = EndpointFactory(code="HN", name="Hà Nội", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HN-01", name="Phúc Xá", level=Level.COMMUNE, parent=hanoi)
    EndpointFactory(code="HN-02", name="Trúc Bạch", level=Level.COMMUNE, parent=hanoi)
    saigon = EndpointFactory(code="HCM", name="Hồ Chí Minh", level=Level.PROVINCE, parent=central)
    EndpointFactory(code="HCM-01", name="Bến Nghé", level=Level.COMMUNE, parent=saigon)
    EndpointFactory(
        code="OLD", name="Hà Tây", level=Level.PROVINCE, parent=central, is_active=False
    )
    hanoi.technicians.add(bob)
    return {"central": central, "hanoi": hanoi, "saigon": saigon}


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Quốc gia", port_capacity=40)


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
    }


def busy(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "details_visible": False,
        "title": "Busy",
        "start": iso(timezone.localtime(meeting.conference.start)),
        "end": iso(timezone.localtime(meeting.conference.end)),
        "status": meeting.status,
        "classification": meeting.classification,
    }


def listed_ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


# --- who may do what ---------------------------------------------------------------------------


def requests_for(meeting: Meeting, bridge) -> list[tuple[str, str, dict | None]]:
    detail = f"{LIST_URL}{meeting.pk}/"
    return [
        ("get", LIST_URL, None),
        ("get", detail, None),
        ("post", LIST_URL, booking_body(bridge)),
        ("post", CHECK_URL, booking_body(bridge)),
        ("post", f"{detail}reschedule/", {"start": iso(at(3, 8)), "end": iso(at(3, 10))}),
        ("post", f"{detail}sites/", {"sites": {"sites": ["HN"]}, "host": "HN"}),
        ("post", f"{detail}cancel/", {"reason": "Bão"}),
    ]


REQUESTS = ["list", "detail", "book", "check", "reschedule", "sites", "cancel"]
CHANGES = ["book", "check", "reschedule", "sites", "cancel"]


def request_named(name: str, meeting: Meeting, bridge) -> tuple[str, str, dict | None]:
    return dict(zip(REQUESTS, requests_for(meeting, bridge), strict=True))[name]


@pytest.mark.parametrize("name", REQUESTS)
def test_meeting_api_anonymous_gets_401(api, alice, tree, bridge, name):
    meeting = booked(alice, bridge, at(2, 8))
    method, url, data = request_named(name, meeting, bridge)
    before = written()

    response = getattr(api, method)(url, data)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert written() == before


@pytest.mark.parametrize("name", REQUESTS)
def test_meeting_api_user_without_role_gets_403(api_as, alice, mallory, tree, bridge, name):
    meeting = booked(alice, bridge, at(2, 8), attendees=((mallory.pk, AttendeeRole.MEMBER),))
    method, url, data = request_named(name, meeting, bridge)
    before = written()

    response = getattr(api_as(mallory), method)(url, data)

    assert response.status_code == 403
    assert written() == before


@pytest.mark.parametrize("persona", ["bob", "carol"])
@pytest.mark.parametrize("name", CHANGES)
def test_meeting_changes_refused_to_technician_and_attendee(
    api_as, alice, carol, tree, bridge, request, persona, name
):
    meeting = booked(alice, bridge, at(2, 8), attendees=((carol.pk, AttendeeRole.MEMBER),))
    method, url, data = request_named(name, meeting, bridge)
    before = written()

    response = getattr(api_as(request.getfixturevalue(persona)), method)(url, data)

    assert response.status_code == 403
    assert written() == before


def test_meeting_list_secretariat_sees_every_session(api_as, alice, dave, tree, bridge):
    first = booked(alice, bridge, at(2, 8))
    second = booked(dave, bridge, at(3, 8), sites=("HCM",), host="HCM")

    response = api_as(alice).get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [summary(first), summary(second)],
    }


def test_meeting_list_technician_sees_sessions_of_the_sites_they_serve(
    api_as, alice, bob, tree, bridge
):
    at_hanoi = booked(alice, bridge, at(2, 8), sites=("HN", "HCM"))
    booked(alice, bridge, at(3, 8), sites=("HCM",), host="HCM")

    response = api_as(bob).get(LIST_URL)

    assert response.json()["results"] == [summary(at_hanoi)]


def test_meeting_list_attendee_sees_sessions_they_are_invited_to(
    api_as, alice, carol, tree, bridge
):
    booked(alice, bridge, at(2, 8))
    invited = booked(
        alice,
        bridge,
        at(3, 8),
        sites=("HCM",),
        host="HCM",
        attendees=((carol.pk, AttendeeRole.CHAIR),),
    )

    response = api_as(carol).get(LIST_URL)

    assert response.json()["results"] == [summary(invited)]


def test_meeting_api_accepts_a_token(api, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    token = Token.objects.create(user=alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert listed_ids(response) == [meeting.pk]


def test_meeting_api_books_with_a_token(api, alice, tree, bridge):
    token = Token.objects.create(user=alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.post(LIST_URL, booking_body(bridge))

    assert response.status_code == 201
    assert Meeting.objects.get().organiser == alice


def test_meeting_api_refuses_an_unknown_token_with_401(api, alice, tree, bridge):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api.get(LIST_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_meeting_detail_not_concerning_the_user_is_404(api_as, alice, carol, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(carol).get(f"{LIST_URL}{meeting.pk}/")

    assert response.status_code == 404


def test_meeting_detail_unknown_id_is_404(api_as, alice, tree):
    response = api_as(alice).get(f"{LIST_URL}999999/")

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["reschedule", "sites", "cancel"])
def test_meeting_change_of_an_unknown_meeting_is_404(api_as, alice, tree, bridge, action):
    response = api_as(alice).post(f"{LIST_URL}999999/{action}/", {})

    assert response.status_code == 404


# --- reading --------------------------------------------------------------------------------------


def test_meeting_detail_shows_sites_attendees_and_calendar_identity(
    api_as, alice, carol, tree, bridge
):
    meeting = booked(
        alice,
        bridge,
        at(2, 8),
        sites=("HN", "HCM"),
        attendees=((carol.pk, AttendeeRole.CHAIR),),
    )
    meeting.refresh_from_db()

    response = api_as(carol).get(f"{LIST_URL}{meeting.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        **summary(meeting),
        "uid": meeting.uid,
        "agenda": "",
        "cancel_reason": "",
        "organiser": {"id": alice.pk, "username": "alice", "name": "Alice"},
        "sites": [
            {"code": "HCM", "name": "Hồ Chí Minh", "level": "province", "role": "participant"},
            {"code": "HN", "name": "Hà Nội", "level": "province", "role": "host"},
        ],
        "attendees": [
            {"user": {"id": carol.pk, "username": "carol", "name": "Carol"}, "role": "chair"}
        ],
        "occurrence_start": None,
        "created_at": iso(timezone.localtime(meeting.created_at)),
        "updated_at": iso(timezone.localtime(meeting.updated_at)),
    }


def test_meeting_confidential_is_busy_time_for_a_technician_not_invited(
    api_as, alice, bob, tree, bridge
):
    secret = booked(alice, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)

    listed = api_as(bob).get(LIST_URL)
    detail = api_as(bob).get(f"{LIST_URL}{secret.pk}/")

    assert listed.json()["results"] == [busy(secret)]
    assert detail.json() == busy(secret)


def test_meeting_confidential_is_busy_time_for_another_secretariat_member(
    api_as, alice, dave, tree, bridge
):
    secret = booked(dave, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)

    listed = api_as(alice).get(LIST_URL)
    detail = api_as(alice).get(f"{LIST_URL}{secret.pk}/")

    assert listed.json()["results"] == [busy(secret)]
    assert detail.json() == busy(secret)


def test_meeting_confidential_is_readable_by_an_invited_technician(
    api_as, alice, bob, tree, bridge
):
    secret = booked(
        alice,
        bridge,
        at(2, 8),
        classification=Classification.CONFIDENTIAL,
        attendees=((bob.pk, AttendeeRole.OBSERVER),),
    )

    response = api_as(bob).get(f"{LIST_URL}{secret.pk}/")

    assert response.json()["details_visible"] is True
    assert response.json()["title"] == "Giao ban tuần"


def test_meeting_confidential_busy_time_is_shown_in_the_users_language(
    api_as, alice, bob, tree, bridge
):
    secret = booked(alice, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)
    client = api_as(bob)

    english = client.get(f"{LIST_URL}{secret.pk}/")
    vietnamese = client.get(f"{LIST_URL}{secret.pk}/", HTTP_ACCEPT_LANGUAGE="vi")

    assert english["Content-Language"] == "en"
    assert vietnamese["Content-Language"] == "vi"
    assert english.json()["title"] == "Busy"


@pytest.mark.parametrize("count", [1, 3])
def test_meeting_list_queries_do_not_grow_with_meetings(
    api_as, alice, bob, carol, tree, bridge, django_assert_num_queries, count
):
    for day in range(count):
        booked(alice, bridge, at(2 + day, 8), attendees=((carol.pk, AttendeeRole.MEMBER),))
        booked(
            alice,
            bridge,
            at(2 + day, 14),
            classification=Classification.CONFIDENTIAL,
            sites=("HN", "HCM"),
        )
    client = api_as(bob)

    # session, user, roles, the site's lookup, count, page, readable ids
    with django_assert_num_queries(7):
        response = client.get(LIST_URL, {"site": "HN", "mine": "true"})

    assert response.json()["count"] == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_meeting_list_queries_do_not_grow_for_the_secretariat(
    api_as, alice, tree, bridge, django_assert_num_queries, count
):
    for day in range(count):
        booked(alice, bridge, at(2 + day, 8), sites=("HN", "HCM", "TW"))
    client = api_as(alice)

    with django_assert_num_queries(6):
        response = client.get(LIST_URL)

    assert response.json()["count"] == count


def test_meeting_list_pages_with_limit_and_offset(api_as, alice, tree, bridge):
    meetings = [booked(alice, bridge, at(2 + day, 8)) for day in range(3)]

    response = api_as(alice).get(LIST_URL, {"limit": 1, "offset": 1})

    assert response.json()["count"] == 3
    assert listed_ids(response) == [meetings[1].pk]
    assert response.json()["next"] == f"http://testserver{LIST_URL}?limit=1&offset=2"


# --- filters ------------------------------------------------------------------------------------


@pytest.fixture
def schedule(alice, carol, tree, bridge):
    """A national session, a Hà Nội commune session, a cancelled one and a confidential one."""
    EndpointFactory(code="X", name="Xã khác", level=Level.COMMUNE, parent=tree["saigon"])
    national = booked(alice, bridge, at(2, 8), sites=("TW", "HN", "HCM"), host="TW")
    communes = booked(
        alice,
        bridge,
        at(3, 8),
        sites=("HN", "HN-01"),
        attendees=((carol.pk, AttendeeRole.MEMBER),),
    )
    cancelled = booked(alice, bridge, at(4, 8), sites=("HCM-01",), host="HCM-01")
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.save()
    secret = booked(
        alice,
        bridge,
        at(5, 8),
        sites=("HN-02", "X"),
        host="HN-02",
        classification=Classification.CONFIDENTIAL,
    )
    return {"national": national, "communes": communes, "cancelled": cancelled, "secret": secret}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["national", "communes", "cancelled", "secret"]),
        ({"from": iso(at(3, 9))}, ["communes", "cancelled", "secret"]),
        ({"to": iso(at(3, 8))}, ["national"]),
        ({"from": iso(at(3, 0)), "to": iso(at(5, 0))}, ["communes", "cancelled"]),
        ({"level": "commune"}, ["communes", "cancelled", "secret"]),
        ({"level": "central"}, ["national"]),
        ({"province": "HN"}, ["national", "communes", "secret"]),
        ({"province": "HCM"}, ["national", "cancelled", "secret"]),
        ({"site": "HN-01"}, ["communes"]),
        ({"status": "cancelled"}, ["cancelled"]),
        ({"classification": "confidential"}, ["secret"]),
        ({"mine": "true"}, ["national", "communes", "cancelled", "secret"]),
    ],
)
def test_meeting_list_filters_for_the_secretariat(api_as, alice, schedule, filters, expected):
    response = api_as(alice).get(LIST_URL, filters)

    assert response.status_code == 200
    assert listed_ids(response) == [schedule[name].pk for name in expected]


@pytest.mark.parametrize(
    ("persona", "filters", "expected"),
    [
        ("carol", {}, ["communes"]),
        ("carol", {"mine": "true"}, ["communes"]),
        ("carol", {"province": "HCM"}, []),
        ("bob", {}, ["national", "communes", "secret"]),
        ("bob", {"mine": "true"}, ["national", "communes", "secret"]),
        ("bob", {"site": "HN-02"}, ["secret"]),
        # The confidential session's other site is none of bob's business.
        ("bob", {"site": "X"}, []),
        ("bob", {"province": "HCM"}, ["national"]),
        ("bob", {"level": "commune"}, ["communes", "secret"]),
    ],
)
def test_meeting_list_filters_for_technician_and_attendee(
    api_as, request, bob, schedule, persona, filters, expected
):
    bob_serves = schedule["secret"].conference.legs.get(endpoint__code="HN-02").endpoint
    bob_serves.technicians.add(bob)

    response = api_as(request.getfixturevalue(persona)).get(LIST_URL, filters)

    assert listed_ids(response) == [schedule[name].pk for name in expected]


@pytest.mark.parametrize(
    ("filters", "errors"),
    [
        ({"from": "2030-03-02T08:00:00"}, {"from": ["Give the time with its time zone offset."]}),
        ({"to": "yesterday"}, {"to": ["Datetime has wrong format."]}),
        (
            {"from": "2030-03-02T08:00:00+07:00", "to": "2030-03-02T08:00:00+07:00"},
            {"to": ["The end of the period must be after its start."]},
        ),
        ({"province": "NOPE"}, {"province": ["No site has the code NOPE."]}),
        ({"site": "NOPE"}, {"site": ["No site has the code NOPE."]}),
        ({"level": "galaxy"}, {"level": ['"galaxy" is not a valid choice.']}),
        ({"status": "lost"}, {"status": ['"lost" is not a valid choice.']}),
    ],
)
def test_meeting_list_bad_filter_is_400_with_the_field(api_as, alice, tree, filters, errors):
    response = api_as(alice).get(LIST_URL, filters)

    assert response.status_code == 400
    body = response.json()
    # DRF's own message lists the accepted formats after the first sentence.
    assert {field: [m.split(" Use one")[0] for m in ms] for field, ms in body.items()} == errors


# --- booking ------------------------------------------------------------------------------------


def test_book_creates_the_meeting_and_answers_201(api_as, alice, carol, tree, bridge):
    body = booking_body(
        bridge,
        agenda="Tình hình tuần",
        organising_unit="Văn phòng UBND",
        classification="public",
        setup_minutes=30,
        sites={"subtrees": ["HN"], "exclude_sites": ["HN-02"]},
        attendees=[{"user": carol.pk, "role": "observer"}],
    )

    response = api_as(alice).post(LIST_URL, body)

    assert response.status_code == 201
    meeting = Meeting.objects.get()
    assert response.json() == {
        **summary(meeting),
        "uid": meeting.uid,
        "agenda": "Tình hình tuần",
        "cancel_reason": "",
        "organiser": {"id": alice.pk, "username": "alice", "name": "Alice"},
        "sites": [
            {"code": "HN", "name": "Hà Nội", "level": "province", "role": "host"},
            {"code": "HN-01", "name": "Phúc Xá", "level": "commune", "role": "participant"},
        ],
        "attendees": [
            {"user": {"id": carol.pk, "username": "carol", "name": "Carol"}, "role": "observer"}
        ],
        "occurrence_start": None,
        "created_at": iso(timezone.localtime(meeting.created_at)),
        "updated_at": iso(timezone.localtime(meeting.updated_at)),
    }
    assert response.json()["setup_minutes"] == 30
    assert AuditEntry.objects.get().action == "meeting.booked"


def test_book_accepts_any_offset_and_answers_in_local_time(api_as, alice, tree, bridge):
    body = booking_body(bridge, start=f"{YEAR}-03-02T01:00:00Z", end=iso(at(2, 10)))

    response = api_as(alice).post(LIST_URL, body)

    assert response.json()["start"] == iso(at(2, 8))


def test_book_by_level_selects_every_active_site_of_the_level(api_as, alice, tree, bridge):
    body = booking_body(bridge, sites={"levels": ["province"]})

    response = api_as(alice).post(LIST_URL, body)

    assert response.status_code == 201
    assert [site["code"] for site in response.json()["sites"]] == ["HCM", "HN"]


def test_book_conflicting_sites_is_409_with_each_conflict(api_as, alice, tree, bridge):
    taken = booked(alice, bridge, at(2, 9), sites=("HCM", "HN"), title="Họp tỉnh")
    before = written()

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The booking conflicts with existing sessions.",
        "code": "conflict",
        "site_conflicts": [
            {
                "site": code,
                "site_name": name,
                "meeting_id": taken.pk,
                "meeting_title": "Họp tỉnh",
                "meeting_start": iso(at(2, 9)),
                "meeting_end": iso(at(2, 11)),
                "overlap_start": iso(at(2, 8)),
                "overlap_end": iso(at(2, 10)),
            }
            for code, name in [("HCM", "Hồ Chí Minh"), ("HN", "Hà Nội")]
        ],
        "capacity_conflicts": [],
    }
    assert written() == before


def test_book_over_the_bridge_capacity_is_409_with_the_instant(api_as, alice, tree):
    small = BridgeFactory(name="MCU nhỏ", port_capacity=3)
    booked(alice, small, at(2, 9), sites=("HN-01", "HN-02"), host="HN-01")
    before = written()

    response = api_as(alice).post(LIST_URL, booking_body(small))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The booking conflicts with existing sessions.",
        "code": "conflict",
        "site_conflicts": [],
        "capacity_conflicts": [{"instant": iso(at(2, 8)), "legs": 4, "capacity": 3}],
    }
    assert written() == before


def test_book_conflict_with_a_confidential_session_hides_its_details(
    api_as, alice, dave, tree, bridge
):
    booked(dave, bridge, at(2, 9), sites=("HN",), classification=Classification.CONFIDENTIAL)

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    assert response.status_code == 409
    [conflict] = response.json()["site_conflicts"]
    assert conflict["meeting_id"] is None
    assert conflict["meeting_title"] == BUSY_CONFIDENTIAL
    assert conflict["site"] == "HN"


def test_book_conflict_with_an_own_confidential_session_names_it(api_as, alice, tree, bridge):
    secret = booked(
        alice, bridge, at(2, 9), sites=("HN",), classification=Classification.CONFIDENTIAL
    )

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    [conflict] = response.json()["site_conflicts"]
    assert (conflict["meeting_id"], conflict["meeting_title"]) == (secret.pk, "Giao ban tuần")


def test_book_back_to_back_with_the_setup_window_is_accepted(api_as, alice, tree, bridge):
    booked(alice, bridge, at(2, 5), hours=2)

    response = api_as(alice).post(LIST_URL, booking_body(bridge))

    assert response.status_code == 201


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


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [case[1:] for case in BAD_BOOKINGS],
    ids=[case[0] for case in BAD_BOOKINGS],
)
def test_book_bad_input_is_400_with_the_field_and_writes_nothing(
    api_as, alice, tree, bridge, changes, field, message
):
    response = api_as(alice).post(LIST_URL, booking_body(bridge, **changes))

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert written() == NOTHING_WRITTEN


def test_book_inactive_bridge_is_400(api_as, alice, tree):
    retired = BridgeFactory(name="MCU cũ", is_active=False)

    response = api_as(alice).post(LIST_URL, booking_body(retired))

    assert response.json() == {"bridge": ["This bridge is out of service."]}
    assert written() == NOTHING_WRITTEN


def test_book_the_same_attendee_twice_is_400(api_as, alice, carol, tree, bridge):
    twice = [{"user": carol.pk, "role": "member"}, {"user": carol.pk, "role": "chair"}]

    response = api_as(alice).post(LIST_URL, booking_body(bridge, attendees=twice))

    assert response.json() == {"attendees": ["Invite each person once."]}
    assert written() == NOTHING_WRITTEN


def test_book_unknown_level_is_400_under_sites(api_as, alice, tree, bridge):
    response = api_as(alice).post(LIST_URL, booking_body(bridge, sites={"levels": ["galaxy"]}))

    assert response.json() == {"sites": {"levels": {"0": ['"galaxy" is not a valid choice.']}}}
    assert written() == NOTHING_WRITTEN


def test_book_missing_fields_are_400_each(api_as, alice, tree):
    response = api_as(alice).post(LIST_URL, {})

    assert response.status_code == 400
    assert sorted(response.json()) == ["bridge", "end", "host", "sites", "start", "title"]


def test_book_error_is_translated(api_as, alice, tree, bridge):
    body = booking_body(bridge, start=f"{YEAR}-03-02T08:00:00")

    response = api_as(alice).post(LIST_URL, body, HTTP_ACCEPT_LANGUAGE="vi")

    assert response["Content-Language"] == "vi"
    assert list(response.json()) == ["start"]


# --- series -------------------------------------------------------------------------------------

WEEKLY_3 = "FREQ=WEEKLY;COUNT=3"


def test_book_series_books_every_occurrence(api_as, alice, tree, bridge):
    response = api_as(alice).post(LIST_URL, booking_body(bridge, rrule=WEEKLY_3))

    assert response.status_code == 201
    series = Series.objects.get()
    meetings = list(Meeting.objects.order_by("conference__start"))
    assert response.json() == {
        "series": series_ref(series),
        "booked": [summary(meeting) for meeting in meetings],
        "skipped": [],
    }
    assert [m.conference.start for m in meetings] == [at(2, 8), at(9, 8), at(16, 8)]


def test_book_series_with_a_conflict_is_409_per_occurrence(api_as, alice, tree, bridge):
    taken = booked(alice, bridge, at(9, 9), sites=("HN",))
    before = written()

    response = api_as(alice).post(LIST_URL, booking_body(bridge, rrule=WEEKLY_3))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Some occurrences conflict with existing sessions.",
        "code": "conflict",
        "occurrences": [
            {
                "start": iso(at(9, 8)),
                "end": iso(at(9, 10)),
                "site_conflicts": [
                    {
                        "site": "HN",
                        "site_name": "Hà Nội",
                        "meeting_id": taken.pk,
                        "meeting_title": "Giao ban tuần",
                        "meeting_start": iso(at(9, 9)),
                        "meeting_end": iso(at(9, 11)),
                        "overlap_start": iso(at(9, 8)),
                        "overlap_end": iso(at(9, 10)),
                    }
                ],
                "capacity_conflicts": [],
            }
        ],
    }
    assert written() == before


def test_book_series_can_skip_the_conflicting_occurrences(api_as, alice, tree, bridge):
    booked(alice, bridge, at(9, 9), sites=("HN",))

    response = api_as(alice).post(
        LIST_URL, booking_body(bridge, rrule=WEEKLY_3, skip_conflicts=True)
    )

    assert response.status_code == 201
    body = response.json()
    assert [item["start"] for item in body["booked"]] == [iso(at(2, 8)), iso(at(16, 8))]
    assert [item["start"] for item in body["skipped"]] == [iso(at(9, 8))]
    assert Series.objects.get().occurrences.count() == 2


# --- the dry run --------------------------------------------------------------------------------


def test_check_free_slot_is_ok_and_writes_nothing(api_as, alice, tree, bridge):
    body = booking_body(bridge)
    del body["title"]

    response = api_as(alice).post(CHECK_URL, body)

    assert response.status_code == 200
    assert response.json() == {"ok": True, "site_conflicts": [], "capacity_conflicts": []}
    assert written() == NOTHING_WRITTEN


def test_check_reports_what_booking_would_refuse(api_as, alice, tree):
    small = BridgeFactory(name="MCU nhỏ", port_capacity=2)
    taken = booked(alice, small, at(2, 9), sites=("HN",))
    before = written()

    response = api_as(alice).post(CHECK_URL, booking_body(small))

    assert response.status_code == 200
    assert response.json() == {
        "ok": False,
        "site_conflicts": [
            {
                "site": "HN",
                "site_name": "Hà Nội",
                "meeting_id": taken.pk,
                "meeting_title": "Giao ban tuần",
                "meeting_start": iso(at(2, 9)),
                "meeting_end": iso(at(2, 11)),
                "overlap_start": iso(at(2, 8)),
                "overlap_end": iso(at(2, 10)),
            }
        ],
        "capacity_conflicts": [{"instant": iso(at(2, 8)), "legs": 3, "capacity": 2}],
    }
    assert written() == before


def test_check_series_answers_per_occurrence(api_as, alice, tree, bridge):
    booked(alice, bridge, at(9, 9), sites=("HN",))
    before = written()

    response = api_as(alice).post(CHECK_URL, booking_body(bridge, rrule=WEEKLY_3))

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert [
        (item["start"], len(item["site_conflicts"]), item["capacity_conflicts"])
        for item in body["occurrences"]
    ] == [(iso(at(2, 8)), 0, []), (iso(at(9, 8)), 1, []), (iso(at(16, 8)), 0, [])]
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [case[1:] for case in BAD_BOOKINGS if case[2] not in {"title"}],
    ids=[case[0] for case in BAD_BOOKINGS if case[2] not in {"title"}],
)
def test_check_bad_input_is_400_with_the_field(
    api_as, alice, tree, bridge, changes, field, message
):
    response = api_as(alice).post(CHECK_URL, booking_body(bridge, **changes))

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert written() == NOTHING_WRITTEN


# --- reschedule ---------------------------------------------------------------------------------


def test_reschedule_moves_the_session(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/reschedule/", {"start": iso(at(3, 14)), "end": iso(at(3, 16))}
    )

    assert response.status_code == 200
    assert response.json() == {"meetings": [summary(meeting)]}
    assert response.json()["meetings"][0]["start"] == iso(at(3, 14))
    assert response.json()["meetings"][0]["sequence"] == 1
    assert response.json()["meetings"][0]["setup_minutes"] == 60


def test_reschedule_keeps_the_setup_window_unless_given(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    url = f"{LIST_URL}{meeting.pk}/reschedule/"

    response = api_as(alice).post(
        url, {"start": iso(at(3, 14)), "end": iso(at(3, 16)), "setup_minutes": 15}
    )

    assert response.json()["meetings"][0]["setup_minutes"] == 15


def test_reschedule_into_a_taken_slot_is_409(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    taken = booked(alice, bridge, at(3, 8), title="Họp khác")
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/reschedule/", {"start": iso(at(3, 9)), "end": iso(at(3, 11))}
    )

    assert response.status_code == 409
    assert [c["meeting_id"] for c in response.json()["site_conflicts"]] == [taken.pk]
    assert written() == before
    meeting.conference.refresh_from_db()
    assert meeting.conference.start == at(2, 8)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start": f"{YEAR}-03-03T08:00:00"}, "start", "Give the time with its time zone offset."),
        ({"end": iso(at(3, 7))}, "end", "The session must end after it starts."),
        ({"scope": "all"}, "scope", '"all" is not a valid choice.'),
        (
            {"start": "2020-03-02T08:00:00+07:00", "end": "2020-03-02T10:00:00+07:00"},
            "start",
            "Sessions in the past cannot be booked or moved.",
        ),
    ],
)
def test_reschedule_bad_input_is_400(api_as, alice, tree, bridge, changes, field, message):
    meeting = booked(alice, bridge, at(2, 8))
    before = written()
    body = {"start": iso(at(3, 8)), "end": iso(at(3, 10)), **changes}

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/reschedule/", body)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert written() == before


def series_of_three(alice, bridge) -> list[Meeting]:
    request = BookingRequest(
        details=Details(title="Giao ban tuần"),
        slot=Slot(at(2, 8), at(2, 10)),
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=("HN",)),
        host_code="HN",
    )
    return book_series(request, WEEKLY_3, alice).booked


def test_reschedule_following_shifts_this_and_later_occurrences(api_as, alice, tree, bridge):
    first, second, third = series_of_three(alice, bridge)

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/reschedule/",
        {"start": iso(at(9, 14)), "end": iso(at(9, 16)), "scope": "following"},
    )

    assert response.status_code == 200
    assert [(m["id"], m["start"]) for m in response.json()["meetings"]] == [
        (second.pk, iso(at(9, 14))),
        (third.pk, iso(at(16, 14))),
    ]
    first.conference.refresh_from_db()
    assert first.conference.start == at(2, 8)


def test_reschedule_following_with_a_conflict_is_409_per_occurrence(api_as, alice, tree, bridge):
    _first, second, _third = series_of_three(alice, bridge)
    booked(alice, bridge, at(16, 14), sites=("HN",))
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/reschedule/",
        {"start": iso(at(9, 14)), "end": iso(at(9, 16)), "scope": "following"},
    )

    assert response.status_code == 409
    assert [o["start"] for o in response.json()["occurrences"]] == [iso(at(16, 14))]
    assert written() == before


# --- change sites -------------------------------------------------------------------------------


def test_change_sites_makes_the_sites_exactly_the_selection(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8), sites=("HN", "HCM"))

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/sites/", {"sites": {"subtrees": ["HCM"]}, "host": "HCM-01"}
    )

    assert response.status_code == 200
    assert response.json()["sites"] == [
        {"code": "HCM", "name": "Hồ Chí Minh", "level": "province", "role": "participant"},
        {"code": "HCM-01", "name": "Bến Nghé", "level": "commune", "role": "host"},
    ]
    assert response.json()["sequence"] == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"sites": {}, "host": "HN"}, "sites", "Choose at least one site."),
        (
            {"sites": {"sites": ["OLD"]}, "host": "OLD"},
            "sites",
            "Inactive sites cannot be booked: OLD.",
        ),
        (
            {"sites": {"sites": ["HN"]}, "host": "HCM"},
            "host",
            "The host site must be one of the chosen sites.",
        ),
        ({"host": "HN"}, "sites", "This field is required."),
    ],
)
def test_change_sites_bad_input_is_400(api_as, alice, tree, bridge, body, field, message):
    meeting = booked(alice, bridge, at(2, 8), sites=("HN", "HCM"))
    before = written()

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/sites/", body)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert written() == before
    assert meeting.conference.legs.count() == 2


def test_change_sites_to_a_taken_site_is_409(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8), sites=("HN",))
    booked(alice, bridge, at(2, 8), sites=("HCM",), host="HCM")
    before = written()

    response = api_as(alice).post(
        f"{LIST_URL}{meeting.pk}/sites/", {"sites": {"sites": ["HN", "HCM"]}, "host": "HN"}
    )

    assert response.status_code == 409
    assert [c["site"] for c in response.json()["site_conflicts"]] == ["HCM"]
    assert written() == before


# --- cancel -------------------------------------------------------------------------------------


def test_cancel_frees_the_sites_and_keeps_the_reason(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão số 3"})

    assert response.status_code == 200
    assert response.json() == {"meetings": [summary(meeting)]}
    assert response.json()["meetings"][0]["status"] == "cancelled"
    meeting.refresh_from_db()
    assert meeting.cancel_reason == "Bão số 3"
    assert api_as(alice).post(LIST_URL, booking_body(bridge)).status_code == 201


def test_cancel_following_cancels_this_and_later_occurrences(api_as, alice, tree, bridge):
    _first, second, third = series_of_three(alice, bridge)

    response = api_as(alice).post(
        f"{LIST_URL}{second.pk}/cancel/", {"reason": "Nghỉ lễ", "scope": "following"}
    )

    assert [m["id"] for m in response.json()["meetings"]] == [second.pk, third.pk]
    assert list(Meeting.objects.order_by("conference__start").values_list("status", flat=True)) == [
        "scheduled",
        "cancelled",
        "cancelled",
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Give a reason for cancelling."),
        ({}, "reason", "This field is required."),
    ],
)
def test_cancel_without_a_reason_is_400(api_as, alice, tree, bridge, body, field, message):
    meeting = booked(alice, bridge, at(2, 8))
    before = written()

    response = api_as(alice).post(f"{LIST_URL}{meeting.pk}/cancel/", body)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert written() == before


def test_cancel_twice_is_400_for_the_whole_request(api_as, alice, tree, bridge):
    meeting = booked(alice, bridge, at(2, 8))
    client = api_as(alice)
    client.post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão"})

    response = client.post(f"{LIST_URL}{meeting.pk}/cancel/", {"reason": "Bão"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Only a scheduled session can be changed."]}


# --- schema and docs ----------------------------------------------------------------------------

API_PATHS = [
    "/api/v1/meetings/",
    "/api/v1/meetings/check/",
    "/api/v1/meetings/{id}/",
    "/api/v1/meetings/{id}/reschedule/",
    "/api/v1/meetings/{id}/sites/",
    "/api/v1/meetings/{id}/cancel/",
    "/api/v1/endpoints/",
    "/api/v1/endpoints/{code}/",
    "/api/v1/bridges/",
    "/api/v1/bridges/{id}/",
]


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.stat().st_size > 0


def test_schema_lists_every_path_and_the_conflict_answer(api_as, carol):
    response = api_as(carol).get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert sorted(set(API_PATHS) - set(schema["paths"])) == []
    booking = schema["paths"]["/api/v1/meetings/"]["post"]["responses"]
    assert sorted(booking) == ["201", "400", "409"]
    assert booking["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Conflict"
    }
    assert sorted(schema["components"]["securitySchemes"]) == ["cookieAuth", "tokenAuth"]


def test_docs_page_loads_swagger_from_static_files_without_inline_script(api_as, carol):
    response = api_as(carol).get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/api/v1/docs/?script=",
    ]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_docs_start_up_script_is_served_as_javascript(api_as, carol):
    response = api_as(carol).get("/api/v1/docs/", {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in response.content.decode()


@pytest.mark.parametrize(
    "asset", ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"]
)
def test_docs_assets_ship_with_the_static_files(asset):
    assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}") is not None
