"""The session pages: who may open what, booking and its refusals, the dry run, the
agenda and the week (placement by local time, filters, confidential rows), the
meeting page and the secretariat's changes.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.roles import Role
from conferencing.models import Bridge, Leg, LegRole
from conferencing.site_selection import SiteSelection
from meetings.booking import cancel as cancel_meeting
from meetings.models import Attendee, Classification, Meeting, MeetingStatus, Series
from tests.factories import (
    BridgeFactory,
    UserFactory,
    booked,
    local_time,
    site_tree,
    stored_counts,
)

AGENDA_URL = "/meetings/"
WEEK_URL = "/meetings/week/"
BOOK_URL = "/meetings/new/"
CHECK_URL = "/meetings/check/"
DAY = 7  # days ahead of today for the sessions of these tests


@pytest.fixture
def english(client):
    """Text assertions below are on the English msgids, whatever the .po files say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


@pytest.fixture
def meeting(alice, sites, bridge):
    """T01 with its communes, 08:00 to 10:00 local, a week ahead."""
    return book_province(alice, bridge, "T01", local_time(DAY, 8), title="Giao ban T01")


@pytest.fixture
def dung(db):
    """A second secretariat member, not invited to alice's sessions."""
    return UserFactory(username="dung", roles=[Role.SECRETARIAT])


def book_province(user, bridge, code, start, hours=2, **details) -> Meeting:
    return booked(
        user,
        bridge_id=bridge.pk,
        sites=SiteSelection(subtrees=(code,)),
        host_code=code,
        slot__start=start,
        slot__end=start + timedelta(hours=hours),
        **{f"details__{name}": value for name, value in details.items()},
    )


def book_sites(user, bridge, codes: str, start) -> Meeting:
    chosen = tuple(codes.split())
    return booked(
        user,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=chosen),
        host_code=chosen[0],
        slot__start=start,
    )


def booking_data(bridge, /, **overrides) -> dict:
    """A valid booking form: T02 with its communes, 08:00 to 10:00 local, a week ahead."""
    data = {
        "title": "Giao ban tháng 11",
        "agenda": "Tình hình kinh tế - xã hội",
        "organising_unit": "Văn phòng UBND",
        "classification": "internal",
        "bridge": str(bridge.pk),
        "date": local_time(DAY, 8).date().isoformat(),
        "start_time": "08:00",
        "end_time": "10:00",
        "setup_minutes": "60",
        "subtrees": ["T02"],
        "host": "T02",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url_for(name: str, meeting: Meeting) -> str:
    return {
        "agenda": AGENDA_URL,
        "week": WEEK_URL,
        "detail": f"/meetings/{meeting.pk}/",
        "book": BOOK_URL,
        "reschedule": f"/meetings/{meeting.pk}/reschedule/",
        "sites": f"/meetings/{meeting.pk}/sites/",
        "cancel": f"/meetings/{meeting.pk}/cancel/",
    }[name]


# --- who may open what ---------------------------------------------------------------------------

ALL_VIEWS = ["agenda", "week", "detail", "book", "reschedule", "sites", "cancel"]
WRITE_VIEWS = ["book", "reschedule", "sites", "cancel"]


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_anonymous_redirects_to_login(client, meeting, view):
    url = url_for(view, meeting)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_check_anonymous_redirects_to_login(client, bridge):
    response = client.post(CHECK_URL, booking_data(bridge))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={CHECK_URL}"


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_user_without_role_is_refused(client_as, mallory, meeting, view):
    response = client_as(mallory).get(url_for(view, meeting))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["bob", "carol"])
@pytest.mark.parametrize("view", WRITE_VIEWS)
def test_write_views_refuse_technician_and_attendee(client_as, request, meeting, persona, view):
    user = request.getfixturevalue(persona)
    Attendee.objects.create(meeting=meeting, user=user)

    response = client_as(user).get(url_for(view, meeting))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["bob", "carol", "mallory"])
def test_check_refuses_everyone_but_the_secretariat(client_as, request, bridge, sites, persona):
    before = stored_counts()

    response = client_as(request.getfixturevalue(persona)).post(CHECK_URL, booking_data(bridge))

    assert response.status_code == 403
    assert stored_counts() == before


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_book_post_by_technician_or_attendee_writes_nothing(
    client_as, request, bridge, sites, persona
):
    before = stored_counts()

    response = client_as(request.getfixturevalue(persona)).post(BOOK_URL, booking_data(bridge))

    assert response.status_code == 403
    assert stored_counts() == before


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_secretariat_opens_everything(client_as, alice, meeting, view):
    response = client_as(alice).get(url_for(view, meeting))

    assert response.status_code == 200


@pytest.mark.parametrize("view", ["agenda", "week"])
@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_lists_open_for_technician_and_attendee(client_as, request, meeting, persona, view):
    response = client_as(request.getfixturevalue(persona)).get(url_for(view, meeting))

    assert response.status_code == 200


def test_check_get_is_not_allowed(client_as, alice):
    response = client_as(alice).get(CHECK_URL)

    assert response.status_code == 405


# --- what concerns whom --------------------------------------------------------------------------


def test_detail_of_a_meeting_not_concerning_the_user_is_not_found(client_as, carol, meeting):
    response = client_as(carol).get(url_for("detail", meeting))

    assert response.status_code == 404


def test_detail_opens_for_an_invited_attendee(client_as, carol, meeting):
    Attendee.objects.create(meeting=meeting, user=carol)

    response = client_as(carol).get(url_for("detail", meeting))

    assert response.status_code == 200
    assert response.context["meeting"] == meeting


def test_detail_opens_for_the_technician_of_one_of_its_sites(client_as, bob, sites, meeting):
    sites["X0102"].technicians.add(bob)

    response = client_as(bob).get(url_for("detail", meeting))

    assert response.status_code == 200
    assert b'id="meeting-actions"' not in response.content


def test_agenda_shows_the_technician_only_sessions_of_the_sites_they_serve(
    client_as, alice, bob, sites, bridge, meeting
):
    book_province(alice, bridge, "T02", local_time(DAY, 8))
    sites["X0101"].technicians.add(bob)

    response = client_as(bob).get(AGENDA_URL)

    assert response.context["rows"] == [meeting]


def test_agenda_shows_the_attendee_only_sessions_they_attend(
    client_as, alice, carol, bridge, meeting
):
    other = book_province(alice, bridge, "T02", local_time(DAY, 8))
    Attendee.objects.create(meeting=other, user=carol)

    response = client_as(carol).get(AGENDA_URL)

    assert response.context["rows"] == [other]


# --- confidential sessions -----------------------------------------------------------------------


@pytest.fixture
def confidential(alice, sites, bridge):
    return book_province(
        alice,
        bridge,
        "T01",
        local_time(DAY, 14),
        title="Họp mật",
        classification=Classification.CONFIDENTIAL,
    )


def test_agenda_shows_a_confidential_session_as_busy_time_only(
    client_as, bob, sites, confidential, english
):
    sites["X0101"].technicians.add(bob)

    response = client_as(bob).get(AGENDA_URL)

    html = response.content.decode()
    row = re.search(rf'<tr class="row-busy" id="meeting-{confidential.pk}">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "14:00\u201316:00" in row.group(1)
    assert "Busy" in row.group(1)
    assert "Họp mật" not in html
    assert f"/meetings/{confidential.pk}/" not in html


def test_week_shows_a_confidential_session_as_busy_time_only(
    client_as, dung, confidential, english
):
    response = client_as(dung).get(WEEK_URL, {"start": local_time(DAY, 0).date().isoformat()})

    html = response.content.decode()
    assert f'<li class="week-session week-session-busy" id="meeting-{confidential.pk}">' in html
    assert "Họp mật" not in html
    assert f"/meetings/{confidential.pk}/" not in html


def test_detail_of_a_confidential_session_shows_only_its_time(
    client_as, dung, confidential, english
):
    response = client_as(dung).get(url_for("detail", confidential))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/busy.html"
    assert '<h1 id="meeting-title">Busy</h1>' in html
    assert "14:00\u201316:00" in html
    assert "Họp mật" not in html
    assert "Điểm cầu X0101" not in html


def test_detail_of_a_confidential_session_shows_everything_to_an_invited_user(
    client_as, carol, confidential
):
    Attendee.objects.create(meeting=confidential, user=carol)

    response = client_as(carol).get(url_for("detail", confidential))

    assert response.templates[0].name == "meetings/detail.html"
    assert "Họp mật" in response.content.decode()


@pytest.mark.parametrize("view", ["reschedule", "sites", "cancel"])
def test_changes_to_a_confidential_session_are_not_found_for_the_uninvited(
    client_as, dung, confidential, view
):
    response = client_as(dung).get(url_for(view, confidential))

    assert response.status_code == 404


def test_check_names_a_confidential_conflict_only_as_busy(
    client_as, dung, bridge, confidential, english
):
    data = booking_data(bridge, subtrees=["T01"], host="T01", start_time="14:00", end_time="15:00")

    response = client_as(dung).post(CHECK_URL, data)

    html = response.content.decode()
    assert "Busy (confidential session)" in html
    assert "Họp mật" not in html
    assert f"/meetings/{confidential.pk}/" not in html


# --- booking -------------------------------------------------------------------------------------


def test_book_page_offers_provinces_and_a_datalist_of_sites(client_as, alice, sites, bridge):
    response = client_as(alice).get(BOOK_URL)

    html = response.content.decode()
    assert 'name="subtrees" value="T01"' in html
    assert '<option value="X0203">Điểm cầu X0203</option>' in html
    assert f'data-check-url="{CHECK_URL}"' in html
    assert '<div id="conflicts" aria-live="polite"' in html
    # One active bridge: already chosen.
    assert response.context["form"].initial["bridge"] == bridge.pk


def test_book_creates_the_session_in_local_time_and_opens_its_page(
    client_as, alice, carol, sites, bridge, english
):
    data = booking_data(bridge, attendees=[str(carol.pk)], setup_minutes="30")

    response = client_as(alice).post(BOOK_URL, data)

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert messages_of(response) == ["The session was booked."]
    assert meeting.title == "Giao ban tháng 11"
    assert meeting.organiser == alice
    assert meeting.organising_unit == "Văn phòng UBND"
    assert meeting.conference.start == local_time(DAY, 8)
    assert meeting.conference.end == local_time(DAY, 10)
    assert meeting.conference.setup_minutes == 30
    assert timezone.localtime(meeting.conference.start).strftime("%H:%M") == "08:00"
    legs = Leg.objects.filter(conference=meeting.conference)
    assert sorted(legs.values_list("endpoint__code", flat=True)) == [
        "T02",
        "X0201",
        "X0202",
        "X0203",
    ]
    assert legs.get(role=LegRole.HOST).endpoint.code == "T02"
    assert list(meeting.attendees.values_list("user__username", flat=True)) == ["carol"]


def test_book_combines_levels_sites_and_exclusions(client_as, alice, sites, bridge):
    data = booking_data(
        bridge,
        subtrees=None,
        levels=["1"],
        sites="TW, X0101;X0102",
        exclude_sites="X0102",
        host="TW",
    )

    client_as(alice).post(BOOK_URL, data)

    codes = Leg.objects.values_list("endpoint__code", flat=True).order_by("endpoint__path")
    assert list(codes) == ["TW", "T01", "X0101", "T02"]


def test_book_excluding_a_subtree(client_as, alice, sites, bridge):
    data = booking_data(
        bridge, subtrees=None, levels=["1", "3"], exclude_subtrees="T02", host="T01"
    )

    client_as(alice).post(BOOK_URL, data)

    codes = Leg.objects.values_list("endpoint__code", flat=True).order_by("endpoint__path")
    assert list(codes) == ["T01", "X0101", "X0102", "X0103"]


BAD_BOOKINGS = [
    pytest.param(
        {"start_time": "10:00", "end_time": "09:00"},
        "end_time",
        "The session must end after it starts.",
        id="end-before-start",
    ),
    pytest.param(
        {"date": (timezone.localdate() - timedelta(days=1)).isoformat()},
        "start_time",
        "Sessions in the past cannot be booked or moved.",
        id="past",
    ),
    pytest.param({"subtrees": None}, "sites", "Choose at least one site.", id="no-sites"),
    pytest.param(
        {"subtrees": None, "sites": "X0101, NOPE"}, "sites", "Unknown sites: NOPE.", id="unknown"
    ),
    pytest.param(
        {"host": "T01"}, "host", "The host site must be one of the chosen sites.", id="host-outside"
    ),
    pytest.param({"title": ""}, "title", "This field is required.", id="no-title"),
    pytest.param({"title": "   "}, "title", "This field is required.", id="blank-title"),
    pytest.param({"date": "31/02/2026"}, "date", "Enter a valid date.", id="bad-date"),
    pytest.param({"start_time": "25:00"}, "start_time", "Enter a valid time.", id="bad-time"),
    pytest.param(
        {"setup_minutes": "99999"},
        "setup_minutes",
        "Ensure this value is less than or equal to 1440.",
        id="absurd-setup",
    ),
    pytest.param(
        {"bridge": "999999"},
        "bridge",
        "Select a valid choice. That choice is not one of the available choices.",
        id="unknown-bridge",
    ),
    pytest.param(
        {"repeat": "WEEKLY"}, "count", "Give the number of sessions or the last date.", id="no-end"
    ),
    pytest.param(
        {"repeat": "WEEKLY", "count": "3", "until": "2099-01-01"},
        "until",
        "Give either the number of sessions or the last date.",
        id="count-and-until",
    ),
    pytest.param(
        {"repeat": "YEARLY", "count": "3"},
        "repeat",
        "Select a valid choice. YEARLY is not one of the available choices.",
        id="malformed-frequency",
    ),
    pytest.param(
        {"repeat": "DAILY", "count": "1000"},
        "count",
        "A series can have at most 400 occurrences within 12 months.",
        id="absurd-count",
    ),
    pytest.param(
        {"repeat": "WEEKLY", "count": "0"},
        "count",
        "Ensure this value is greater than or equal to 1.",
        id="zero-count",
    ),
    pytest.param(
        {"repeat": "DAILY", "until": "2099-12-31"},
        "until",
        "A series can span at most 12 months.",
        id="absurd-until",
    ),
    pytest.param(
        {"repeat": "WEEKLY", "until": timezone.localdate().isoformat()},
        "until",
        "The recurrence rule gives no occurrence.",
        id="until-before-start",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_BOOKINGS)
def test_book_bad_input_is_a_field_error_and_writes_nothing(
    client_as, alice, sites, bridge, english, overrides, field, message
):
    before = stored_counts()

    response = client_as(alice).post(BOOK_URL, booking_data(bridge, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert stored_counts() == before
    assert b"Nothing was booked." in response.content


def test_book_inactive_bridge_is_refused(client_as, alice, sites, bridge, english):
    Bridge.objects.filter(pk=bridge.pk).update(is_active=False)

    response = client_as(alice).post(BOOK_URL, booking_data(bridge))

    assert list(response.context["form"].errors) == ["bridge"]
    assert Meeting.objects.count() == 0


def test_book_conflict_is_shown_on_submit_and_writes_nothing(
    client_as, alice, sites, bridge, meeting, english
):
    before = stored_counts()
    data = booking_data(bridge, sites="X0102", start_time="09:30", end_time="11:00")

    response = client_as(alice).post(BOOK_URL, data)

    html = response.content.decode()
    assert response.status_code == 409
    assert stored_counts() == before
    assert 'id="booking-refused"' in html
    conflicts = response.context["check"].occurrences[0].groups
    assert [(group.meeting_id, group.title, group.sites) for group in conflicts] == [
        (meeting.pk, "Giao ban T01", [("X0102", "Điểm cầu X0102")])
    ]
    assert '<span class="conflict-time">' in html
    assert "08:00\u201310:00" in html


def test_book_conflict_of_bridge_capacity_is_shown(client_as, alice, sites, meeting, english):
    small = BridgeFactory(name="MCU nhỏ", port_capacity=5)
    book_province(alice, small, "T01", local_time(DAY + 1, 8))
    data = booking_data(small, date=local_time(DAY + 1, 8).date().isoformat())

    response = client_as(alice).post(BOOK_URL, data)

    assert response.status_code == 409
    assert "the bridge would carry 8 sites; it has 5 ports." in response.content.decode()


# --- the dry run ---------------------------------------------------------------------------------


def test_check_lists_conflicting_sites_and_writes_nothing(
    client_as, alice, sites, bridge, meeting, english
):
    before = stored_counts()
    data = booking_data(bridge, title="", sites="X0101, X0103", start_time="09:00")

    response = client_as(alice).post(CHECK_URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert stored_counts() == before
    assert "<html" not in html
    assert 'id="conflict-list"' in html
    assert f'<a href="/meetings/{meeting.pk}/">Giao ban T01</a>' in html
    assert "2 busy sites:" in html
    assert 'data-codes="X0101,X0103"' in html


def test_check_without_conflict_says_so(client_as, alice, sites, bridge, meeting, english):
    response = client_as(alice).post(CHECK_URL, booking_data(bridge))

    assert response.context["check"].state == "clear"
    assert "No conflict: every site and the bridge are free." in response.content.decode()


def test_check_counts_the_setup_window(client_as, alice, sites, bridge, meeting):
    # 10:30 starts after alice's session ends, but its 60-minute setup reaches back to 09:30.
    data = booking_data(bridge, subtrees=["T01"], host="T01", start_time="10:30", end_time="11:00")

    response = client_as(alice).post(CHECK_URL, data)

    assert response.context["check"].state == "conflicts"


def test_check_of_an_incomplete_form_names_what_is_missing(client_as, alice, bridge, english):
    data = booking_data(bridge, date="", host="")

    response = client_as(alice).post(CHECK_URL, data)

    assert response.context["check"].state == "incomplete"
    assert "To check for conflicts, fill in: Date, Host site." in response.content.decode()


def test_check_reports_domain_errors(client_as, alice, sites, bridge, english):
    data = booking_data(bridge, subtrees=None, sites="NOPE", host="NOPE")

    response = client_as(alice).post(CHECK_URL, data)

    assert response.context["check"].state == "error"
    assert response.context["check"].messages == ["Unknown sites: NOPE."]


def test_check_reports_form_errors(client_as, alice, sites, bridge, english):
    data = booking_data(bridge, start_time="10:00", end_time="09:00")

    response = client_as(alice).post(CHECK_URL, data)

    assert response.context["check"].state == "invalid"
    assert response.context["check"].messages == ["Ends at: The session must end after it starts."]


def test_check_of_a_series_lists_the_conflicting_occurrences(
    client_as, alice, sites, bridge, meeting, english
):
    data = booking_data(bridge, subtrees=["T01"], host="T01", repeat="WEEKLY", count="3")

    response = client_as(alice).post(CHECK_URL, data)

    check = response.context["check"]
    assert check.checked == 3
    assert [occurrence.slot.start for occurrence in check.occurrences] == [local_time(DAY, 8)]
    assert "1 of 3 sessions conflicts." in response.content.decode()


# --- series --------------------------------------------------------------------------------------


def test_book_weekly_series_books_every_occurrence(client_as, alice, sites, bridge, english):
    response = client_as(alice).post(BOOK_URL, booking_data(bridge, repeat="WEEKLY", count="3"))

    series = Series.objects.get()
    starts = [m.conference.start for m in series.occurrences.order_by("conference__start")]
    assert series.rrule == "FREQ=WEEKLY;COUNT=3"
    assert starts == [local_time(DAY, 8), local_time(DAY + 7, 8), local_time(DAY + 14, 8)]
    assert messages_of(response) == ["The series was booked: 3 sessions."]
    assert response["Location"] == f"/meetings/{series.occurrences.earliest('pk').pk}/"


def test_book_series_until_a_date_includes_that_day(client_as, alice, sites, bridge):
    until = local_time(DAY + 2, 0).date().isoformat()

    client_as(alice).post(BOOK_URL, booking_data(bridge, repeat="DAILY", until=until))

    assert Meeting.objects.count() == 3


def test_book_series_with_a_conflict_books_nothing(
    client_as, alice, sites, bridge, meeting, english
):
    before = stored_counts()
    data = booking_data(bridge, subtrees=["T01"], host="T01", repeat="WEEKLY", count="3")

    response = client_as(alice).post(BOOK_URL, data)

    assert response.status_code == 409
    assert stored_counts() == before
    assert Series.objects.count() == 0
    assert [o.slot.start for o in response.context["check"].occurrences] == [local_time(DAY, 8)]


def test_book_series_skipping_conflicts_books_the_free_occurrences(
    client_as, alice, sites, bridge, meeting, english
):
    data = booking_data(
        bridge,
        subtrees=["T01"],
        host="T01",
        repeat="WEEKLY",
        count="3",
        skip_conflicts="on",
    )

    response = client_as(alice).post(BOOK_URL, data)

    series = Series.objects.get()
    assert series.occurrences.count() == 2
    assert messages_of(response) == [
        "The series was booked: 2 sessions. 1 conflicting occurrence was skipped."
    ]


# --- the agenda ----------------------------------------------------------------------------------


def test_agenda_lists_upcoming_scheduled_sessions_in_time_order(
    client_as, alice, bridge, meeting, english
):
    later = book_province(alice, bridge, "T02", local_time(DAY + 1, 8))
    earlier = book_province(alice, bridge, "T02", local_time(DAY - 1, 8))
    cancelled = book_province(alice, bridge, "T02", local_time(DAY + 2, 8))
    cancel_meeting(cancelled, "Hoãn", alice)

    response = client_as(alice).get(AGENDA_URL)

    assert response.context["rows"] == [earlier, meeting, later]
    row = response.context["rows"][1]
    assert (row.host_name, row.site_count) == ("Điểm cầu T01", 4)
    count = re.search(r'id="result-count">(.*?)</p>', response.content.decode(), re.S)
    assert count.group(1).strip() == "3 sessions"


def test_agenda_leaves_out_sessions_that_are_over(client_as, alice, bridge, meeting):
    past = book_province(alice, bridge, "T02", local_time(DAY, 8))
    ago = timezone.now() - timedelta(hours=3)
    type(past.conference).objects.filter(pk=past.conference_id).update(
        start=ago, end=ago + timedelta(hours=1)
    )

    response = client_as(alice).get(AGENDA_URL)

    assert response.context["rows"] == [meeting]


def test_agenda_groups_rows_under_their_local_day(client_as, alice, meeting, english):
    response = client_as(alice).get(AGENDA_URL)

    day = timezone.localtime(meeting.conference.start)
    assert f'<th scope="rowgroup" colspan="5">{day:%A, %d/%m/%Y}</th>' in response.content.decode()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"province": "T01"}, ["t01"]),
        ({"province": "T02"}, ["t02"]),
        ({"level": "commune"}, ["t01", "t02"]),
        ({"level": "central"}, ["tw"]),
        ({"level": "province", "province": "T02"}, ["t02"]),
    ],
)
def test_agenda_filters_by_level_and_province(client_as, alice, bridge, sites, filters, expected):
    booked_ = {
        "t01": book_province(alice, bridge, "T01", local_time(DAY, 8)),
        "t02": book_province(alice, bridge, "T02", local_time(DAY, 9)),
        "tw": book_sites(alice, bridge, "TW", local_time(DAY, 10)),
    }

    response = client_as(alice).get(AGENDA_URL, filters)

    assert response.context["rows"] == [booked_[name] for name in expected]


def test_agenda_mine_keeps_sessions_i_organise_attend_or_serve(
    client_as, alice, dung, bob, sites, bridge, meeting
):
    attended = book_sites(dung, bridge, "TW", local_time(DAY, 12))
    served = book_province(dung, bridge, "T02", local_time(DAY, 16))
    book_sites(dung, bridge, "TW", local_time(DAY + 1, 8))
    Attendee.objects.create(meeting=attended, user=alice)
    sites["X0201"].technicians.add(alice)

    response = client_as(alice).get(AGENDA_URL, {"mine": "on"})

    assert response.context["rows"] == [meeting, attended, served]


def test_agenda_unknown_province_is_a_form_error(client_as, alice, meeting, english):
    response = client_as(alice).get(AGENDA_URL, {"province": "NOPE"})

    assert response.context["form"].errors == {
        "province": ["Select a valid choice. NOPE is not one of the available choices."]
    }
    assert response.context["rows"] == []


def test_agenda_paginates_and_keeps_filters(client_as, alice, bridge, sites, monkeypatch):
    monkeypatch.setattr("meetings.views.lists.PAGE_SIZE", 2)
    for hour in (8, 11, 14):
        book_province(alice, bridge, "T01", local_time(DAY, hour), hours=1)

    response = client_as(alice).get(AGENDA_URL, {"province": "T01"})

    assert len(response.context["rows"]) == 2
    assert b'href="?province=T01&amp;page=2"' in response.content


@pytest.mark.parametrize("count", [1, 3])
def test_agenda_query_count_is_constant(
    client_as, bob, alice, sites, bridge, django_assert_num_queries, count
):
    sites["X0101"].technicians.add(bob)
    for number in range(count):
        book_province(alice, bridge, "T01", local_time(DAY + number, 8))
    client = client_as(bob)

    # session, user, roles, provinces of the filter, count, page, which rows show details
    with django_assert_num_queries(7):
        response = client.get(AGENDA_URL)

    assert len(response.context["rows"]) == count


# --- the week ------------------------------------------------------------------------------------


def monday_of(moment) -> str:
    day = timezone.localtime(moment).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def test_week_places_sessions_on_their_local_day(client_as, alice, bridge, meeting):
    start = meeting.conference.start

    response = client_as(alice).get(WEEK_URL, {"start": timezone.localtime(start).date()})

    days = response.context["days"]
    placed = {day.date: day.meetings for day in days if day.meetings}
    assert [day.date.weekday() for day in days] == [0, 1, 2, 3, 4, 5, 6]
    assert placed == {timezone.localtime(start).date(): [meeting]}


def test_week_shows_a_session_across_midnight_on_its_start_day(client_as, alice, bridge, sites):
    late = book_province(alice, bridge, "T02", local_time(DAY, 23, 30), hours=1)
    local_start = timezone.localtime(late.conference.start)
    # 23:30 local is 16:30 UTC: the UTC date and the local date agree, but the end is tomorrow.
    assert timezone.localtime(late.conference.end).date() == local_start.date() + timedelta(days=1)

    response = client_as(alice).get(WEEK_URL, {"start": monday_of(late.conference.start)})

    placed = {day.date: day.meetings for day in response.context["days"] if day.meetings}
    assert placed == {local_start.date(): [late]}
    html = response.content.decode()
    assert "23:30\u201300:30" in html


def test_week_uses_local_not_utc_days(client_as, alice, bridge, sites):
    # 06:00 local is 23:00 UTC the day before: it belongs to the local day.
    early = book_province(alice, bridge, "T02", local_time(DAY, 6), hours=1)
    assert early.conference.start.astimezone(timezone.UTC).day != local_time(DAY, 6).day

    response = client_as(alice).get(WEEK_URL, {"start": monday_of(early.conference.start)})

    placed = {day.date: day.meetings for day in response.context["days"] if day.meetings}
    assert placed == {local_time(DAY, 6).date(): [early]}


def test_week_starts_on_the_monday_of_the_chosen_day(client_as, alice, english):
    response = client_as(alice).get(WEEK_URL, {"start": "2026-11-26"})

    assert response.context["monday"].isoformat() == "2026-11-23"
    html = response.content.decode()
    assert 'href="?start=2026-11-16"' in html
    assert 'href="?start=2026-11-30"' in html
    assert "23/11/2026 \u2013 29/11/2026" in html


def test_week_defaults_to_this_week(client_as, alice):
    response = client_as(alice).get(WEEK_URL)

    today = timezone.localdate()
    assert response.context["monday"] == today - timedelta(days=today.weekday())


def test_week_links_keep_the_filters(client_as, alice, sites):
    response = client_as(alice).get(WEEK_URL, {"start": "2026-11-26", "province": "T01"})

    assert b'href="?start=2026-11-30&amp;province=T01"' in response.content


def test_week_filters_by_province(client_as, alice, bridge, meeting):
    book_province(alice, bridge, "T02", local_time(DAY, 8))

    response = client_as(alice).get(
        WEEK_URL, {"start": monday_of(meeting.conference.start), "province": "T01"}
    )

    assert [m for day in response.context["days"] for m in day.meetings] == [meeting]


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_week_at_the_ends_of_the_calendar_is_a_form_error(client_as, alice, english, start):
    response = client_as(alice).get(WEEK_URL, {"start": start})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["start"]


def test_week_bad_date_is_a_form_error(client_as, alice, english):
    response = client_as(alice).get(WEEK_URL, {"start": "someday"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"start": ["Enter a valid date."]}


@pytest.mark.parametrize("count", [1, 3])
def test_week_query_count_is_constant(
    client_as, carol, alice, sites, bridge, django_assert_num_queries, count
):
    meetings = [
        book_province(alice, bridge, "T01", local_time(DAY, 8 + 3 * number), hours=2)
        for number in range(count)
    ]
    for meeting in meetings:
        Attendee.objects.create(meeting=meeting, user=carol)
    client = client_as(carol)
    start = monday_of(meetings[0].conference.start)

    # session, user, roles, provinces of the filter, the week's sessions, which show details
    with django_assert_num_queries(6):
        response = client.get(WEEK_URL, {"start": start})

    assert sum(len(day.meetings) for day in response.context["days"]) == count


# --- the meeting page ----------------------------------------------------------------------------


def test_detail_shows_times_sites_by_level_and_actions(client_as, alice, carol, meeting, english):
    Attendee.objects.create(meeting=meeting, user=carol)

    response = client_as(alice).get(url_for("detail", meeting))

    html = response.content.decode()
    assert '<h1 id="meeting-title">Giao ban T01</h1>' in html
    assert "08:00\u201310:00" in html
    assert "60 minutes before the start: sites are reserved from 07:00" in html
    assert [
        (group.label, [s.code for s in group.sites]) for group in response.context["levels"]
    ] == [
        ("Province", ["T01"]),
        ("Commune", ["X0101", "X0102", "X0103"]),
    ]
    assert response.context["host"].code == "T01"
    assert "4 sites" in html
    assert "Carol" in html
    assert 'id="reschedule-link"' in html
    assert 'id="cancel-link"' in html


def test_detail_of_a_cancelled_session_shows_the_reason_and_no_actions(
    client_as, alice, meeting, english
):
    cancel_meeting(meeting, "Trùng lịch", alice)

    response = client_as(alice).get(url_for("detail", meeting))

    html = response.content.decode()
    assert "Reason: Trùng lịch" in html
    assert 'id="meeting-actions"' not in html


def test_detail_of_a_series_occurrence_describes_the_series(
    client_as, alice, sites, bridge, english
):
    client = client_as(alice)
    client.post(BOOK_URL, booking_data(bridge, repeat="WEEKLY", count="3"))
    occurrence = Meeting.objects.earliest("pk")

    response = client.get(url_for("detail", occurrence))

    series = re.search(r'id="meeting-series">(.*?)</dd>', response.content.decode(), re.S)
    assert " ".join(series.group(1).split()) == "Every week, 3 sessions · 3 still scheduled"


@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_is_constant(
    client_as, alice, sites, bridge, django_assert_num_queries, count
):
    meeting = book_province(alice, bridge, "T01", local_time(DAY, 8))
    for number in range(count):
        Attendee.objects.create(meeting=meeting, user=UserFactory(username=f"guest{number}"))
    client = client_as(alice)

    # session, user, roles, meeting, details visible, legs with their sites, attendees,
    # may change, records, may watch (readiness links)
    with django_assert_num_queries(10):
        response = client.get(url_for("detail", meeting))

    assert len(response.context["attendees"]) == count


# --- reschedule ----------------------------------------------------------------------------------


def test_reschedule_form_starts_from_the_current_local_time(client_as, alice, meeting):
    response = client_as(alice).get(url_for("reschedule", meeting))

    form = response.context["form"]
    assert (
        form["start_time"].value().strftime("%H:%M"),
        form["end_time"].value().strftime("%H:%M"),
    ) == (
        "08:00",
        "10:00",
    )
    assert "scope" not in form.fields


def test_reschedule_moves_the_session(client_as, alice, meeting, english):
    data = {
        "date": local_time(DAY + 1, 0).date().isoformat(),
        "start_time": "14:00",
        "end_time": "15:30",
        "setup_minutes": "30",
    }

    response = client_as(alice).post(url_for("reschedule", meeting), data)

    meeting.refresh_from_db()
    meeting.conference.refresh_from_db()
    assert response["Location"] == url_for("detail", meeting)
    assert messages_of(response) == ["The session was moved."]
    assert meeting.conference.start == local_time(DAY + 1, 14)
    assert meeting.conference.end == local_time(DAY + 1, 15, 30)
    assert meeting.sequence == 1


def test_reschedule_onto_a_busy_site_changes_nothing(client_as, alice, bridge, meeting, english):
    other = book_province(alice, bridge, "T01", local_time(DAY, 14))
    before = stored_counts()
    data = {
        "date": local_time(DAY, 0).date().isoformat(),
        "start_time": "14:30",
        "end_time": "15:00",
        "setup_minutes": "60",
    }

    response = client_as(alice).post(url_for("reschedule", meeting), data)

    meeting.conference.refresh_from_db()
    assert response.status_code == 409
    assert stored_counts() == before
    assert meeting.conference.start == local_time(DAY, 8)
    assert response.context["check"].occurrences[0].groups[0].meeting_id == other.pk
    assert b'id="change-refused"' in response.content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_time": "10:00", "end_time": "09:00"},
            "end_time",
            "The session must end after it starts.",
        ),
        ({"date": "2020-01-01"}, "start_time", "Sessions in the past cannot be booked or moved."),
    ],
)
def test_reschedule_bad_input_changes_nothing(
    client_as, alice, meeting, english, overrides, field, message
):
    data = {
        "date": local_time(DAY, 0).date().isoformat(),
        "start_time": "14:00",
        "end_time": "15:00",
        "setup_minutes": "60",
        **overrides,
    }

    response = client_as(alice).post(url_for("reschedule", meeting), data)

    meeting.conference.refresh_from_db()
    assert response.context["form"].errors == {field: [message]}
    assert meeting.conference.start == local_time(DAY, 8)


def test_reschedule_this_and_following_occurrences(client_as, alice, sites, bridge, english):
    client = client_as(alice)
    client.post(BOOK_URL, booking_data(bridge, repeat="WEEKLY", count="3"))
    _first, second, _third = Meeting.objects.order_by("conference__start")
    data = {
        "date": local_time(DAY + 7, 0).date().isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "setup_minutes": "60",
        "scope": "following",
    }

    response = client.post(url_for("reschedule", second), data)

    starts = [
        m.conference.start for m in Meeting.objects.order_by("pk").select_related("conference")
    ]
    assert starts == [local_time(DAY, 8), local_time(DAY + 7, 9), local_time(DAY + 14, 9)]
    assert messages_of(response)[-1] == "2 sessions were moved."


def test_reschedule_of_a_cancelled_session_goes_back_to_its_page(
    client_as, alice, meeting, english
):
    cancel_meeting(meeting, "Hoãn", alice)

    response = client_as(alice).get(url_for("reschedule", meeting))

    assert response["Location"] == url_for("detail", meeting)
    assert messages_of(response) == [
        "Only a scheduled session that has not started can be changed."
    ]


# --- change sites --------------------------------------------------------------------------------


def test_sites_form_starts_from_the_current_sites(client_as, alice, meeting):
    response = client_as(alice).get(url_for("sites", meeting))

    form = response.context["form"]
    assert form.initial == {"sites": "T01, X0101, X0102, X0103", "host": "T01"}


def test_sites_change_makes_the_session_exactly_the_new_selection(
    client_as, alice, meeting, english
):
    data = {"sites": "T01, X0101", "subtrees": ["T02"], "host": "T02"}

    response = client_as(alice).post(url_for("sites", meeting), data)

    legs = Leg.objects.filter(conference=meeting.conference).order_by("endpoint__path")
    assert messages_of(response) == ["The sites of the session were changed."]
    assert [leg.endpoint.code for leg in legs] == ["T01", "X0101", "T02", "X0201", "X0202", "X0203"]
    assert legs.get(role=LegRole.HOST).endpoint.code == "T02"


def test_sites_change_with_host_outside_changes_nothing(client_as, alice, meeting, english):
    before = list(Leg.objects.values_list("endpoint__code", "role"))

    response = client_as(alice).post(url_for("sites", meeting), {"sites": "X0101", "host": "T01"})

    assert response.context["form"].errors == {
        "host": ["The host site must be one of the chosen sites."]
    }
    assert list(Leg.objects.values_list("endpoint__code", "role")) == before


def test_sites_change_onto_a_busy_site_is_a_conflict(client_as, alice, bridge, meeting, english):
    book_province(alice, bridge, "T02", local_time(DAY, 9))

    response = client_as(alice).post(
        url_for("sites", meeting), {"sites": "T01, X0201", "host": "T01"}
    )

    assert response.status_code == 409
    assert Leg.objects.filter(conference=meeting.conference).count() == 4


# --- cancel --------------------------------------------------------------------------------------


def test_cancel_needs_a_reason(client_as, alice, meeting, english):
    response = client_as(alice).post(url_for("cancel", meeting), {"reason": "  "})

    meeting.refresh_from_db()
    assert response.context["form"].errors == {"reason": ["Give a reason for cancelling."]}
    assert meeting.status == MeetingStatus.SCHEDULED


def test_cancel_with_a_reason_frees_the_sites(client_as, alice, meeting, english):
    response = client_as(alice).post(url_for("cancel", meeting), {"reason": "Trùng lịch"})

    meeting.refresh_from_db()
    assert response["Location"] == url_for("detail", meeting)
    assert messages_of(response) == ["The session was cancelled."]
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancel_reason == "Trùng lịch"
    assert not Leg.objects.filter(conference=meeting.conference, is_reserved=True).exists()


def test_cancel_this_and_following_occurrences(client_as, alice, sites, bridge, english):
    client = client_as(alice)
    client.post(BOOK_URL, booking_data(bridge, repeat="WEEKLY", count="3"))
    _first, second, _third = Meeting.objects.order_by("conference__start")

    response = client.post(
        url_for("cancel", second), {"reason": "Hết nhiệm vụ", "scope": "following"}
    )

    statuses = list(Meeting.objects.order_by("conference__start").values_list("status", flat=True))
    assert statuses == ["scheduled", "cancelled", "cancelled"]
    assert messages_of(response)[-1] == "2 sessions were cancelled."


def test_cancel_post_by_attendee_changes_nothing(client_as, carol, meeting):
    Attendee.objects.create(meeting=meeting, user=carol)

    response = client_as(carol).post(url_for("cancel", meeting), {"reason": "x"})

    meeting.refresh_from_db()
    assert response.status_code == 403
    assert meeting.status == MeetingStatus.SCHEDULED


# --- navigation ----------------------------------------------------------------------------------


def test_navigation_offers_booking_only_to_the_secretariat(client_as, alice, carol, english):
    as_alice = client_as(alice).get("/").content.decode()
    as_carol = client_as(carol).get("/").content.decode()

    assert 'href="/meetings/new/"' in as_alice
    assert 'href="/meetings/"' in as_carol
    assert 'href="/meetings/new/"' not in as_carol
