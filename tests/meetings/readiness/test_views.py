"""Readiness on the web: the technician console and its HTTP fallback, the board page,
the readiness report and its CSV, and the links other pages give to them.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
`soon` is T01 with its communes, starting in 30 minutes with a 60-minute setup window:
its window is open. bob serves X0101 unless a test says otherwise.
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.roles import Role
from conferencing import readiness
from conferencing.models import Conference, Leg, ReadinessEvent, ReadinessState
from conferencing.site_selection import SiteSelection
from meetings.models import Attendee, Classification, Meeting
from meetings.readiness import report_views
from meetings.readiness.console_views import next_states
from tests.factories import BridgeFactory, UserFactory, booked, local_time, site_tree

CONSOLE_URL = "/meetings/console/"
REPORT_URL = "/meetings/console/report/"


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


def book_at(user, bridge, codes: str, start, hours: float = 2, **details) -> Meeting:
    """A session at these sites (the first is the host), through the booking domain."""
    chosen = tuple(codes.split())
    return booked(
        user,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=chosen),
        host_code=chosen[0],
        slot__start=start,
        slot__end=start + timedelta(hours=hours),
        **{f"details__{name}": value for name, value in details.items()},
    )


def in_minutes(minutes: int):
    return (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0)


@pytest.fixture
def soon(alice, sites, bridge):
    return book_at(alice, bridge, "T01 X0101 X0102 X0103", in_minutes(30), title="Giao ban T01")


@pytest.fixture
def serving(bob, sites):
    sites["X0101"].technicians.add(bob)
    return bob


def move(meeting: Meeting, start, end) -> None:
    """Put a booked session elsewhere in time, past included (booking refuses the past)."""
    setup = timedelta(minutes=meeting.conference.setup_minutes)
    Conference.objects.filter(pk=meeting.conference_id).update(start=start, end=end)
    Leg.objects.filter(conference_id=meeting.conference_id).update(
        reserved_from=start - setup, reserved_until=end
    )
    meeting.conference.refresh_from_db()


def leg_of(meeting: Meeting, code: str) -> Leg:
    return Leg.objects.get(conference=meeting.conference, endpoint__code=code)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


ALL_CHECKED = {f"checklist_{item}": "on" for item in readiness.CHECK_ITEMS}


def report_data(leg: Leg, state: str, **extra) -> dict:
    return {"leg": str(leg.pk), "state": state, **extra}


def written(meeting: Meeting) -> dict:
    """What a refused report must leave untouched."""
    return {
        "events": ReadinessEvent.objects.count(),
        "states": dict(
            Leg.objects.filter(conference=meeting.conference).values_list("pk", "state")
        ),
        "seq": Conference.objects.get(pk=meeting.conference_id).readiness_seq,
    }


def url_for(name: str, meeting: Meeting) -> str:
    return {
        "console": CONSOLE_URL,
        "board": f"/meetings/{meeting.pk}/board/",
        "readiness": f"/meetings/{meeting.pk}/readiness/",
        "csv": f"/meetings/{meeting.pk}/readiness.csv",
    }[name]


def say(user, leg: Leg, state: str, at, **fields) -> None:
    fields.setdefault("checklist", dict.fromkeys(readiness.CHECK_ITEMS, True))
    readiness.submit_report(readiness.Report(leg.pk, state, **fields), user, now=at)


# --- who may open what ---------------------------------------------------------------------------

PAGES = ["console", "board", "readiness", "csv"]


@pytest.mark.parametrize("view", PAGES)
def test_page_anonymous_redirects_to_login(client, soon, view):
    url = url_for(view, soon)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_report_anonymous_redirects_to_login_and_writes_nothing(client, soon):
    before = written(soon)

    response = client.post(REPORT_URL, report_data(leg_of(soon, "X0101"), "checking"))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={REPORT_URL}"
    assert written(soon) == before


@pytest.mark.parametrize("view", PAGES)
def test_page_user_without_role_is_refused(client_as, mallory, soon, view):
    response = client_as(mallory).get(url_for(view, soon))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["alice", "carol", "mallory"])
def test_report_by_a_non_technician_is_refused_and_writes_nothing(
    client_as, request, sites, soon, persona
):
    user = request.getfixturevalue(persona)
    sites["X0101"].technicians.add(user)
    before = written(soon)

    response = client_as(user).post(REPORT_URL, report_data(leg_of(soon, "X0101"), "checking"))

    assert response.status_code == 403
    assert written(soon) == before


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_console_is_for_technicians_only(client_as, request, soon, persona):
    response = client_as(request.getfixturevalue(persona)).get(CONSOLE_URL)

    assert response.status_code == 403


@pytest.mark.parametrize("view", ["board", "readiness", "csv"])
def test_secretariat_opens_board_and_report(client_as, alice, soon, view):
    response = client_as(alice).get(url_for(view, soon))

    assert response.status_code == 200


@pytest.mark.parametrize("view", ["board", "readiness", "csv"])
def test_attendee_is_refused_board_and_report_even_when_invited(client_as, carol, soon, view):
    Attendee.objects.create(meeting=soon, user=carol)

    response = client_as(carol).get(url_for(view, soon))

    # As for a meeting that does not exist (tests/meetings/readiness/test_confidentiality.py).
    assert response.status_code == 404


@pytest.mark.parametrize("view", ["board", "readiness", "csv"])
def test_technician_of_a_participant_site_is_refused_board_and_report(
    client_as, serving, soon, view
):
    response = client_as(serving).get(url_for(view, soon))

    assert response.status_code == 404


@pytest.mark.parametrize("view", ["board", "readiness", "csv"])
def test_technician_of_the_host_site_opens_board_and_report(client_as, bob, sites, soon, view):
    sites["T01"].technicians.add(bob)

    response = client_as(bob).get(url_for(view, soon))

    assert response.status_code == 200


@pytest.mark.parametrize("view", ["board", "readiness", "csv"])
def test_board_and_report_of_an_unknown_meeting_are_not_found(client_as, alice, view):
    response = client_as(alice).get(url_for(view, Meeting(pk=999_999)))

    assert response.status_code == 404


def test_report_get_is_not_allowed(client_as, serving):
    response = client_as(serving).get(REPORT_URL)

    assert response.status_code == 405


# --- the state buttons ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "in_session", "expected"),
    [
        ("pending", False, ["checking"]),
        ("checking", False, ["ready", "problem"]),
        ("ready", False, ["checking", "problem"]),
        ("problem", False, ["checking"]),
        ("pending", True, ["checking", "connected"]),
        ("checking", True, ["ready", "problem", "connected"]),
        ("ready", True, ["checking", "problem", "connected"]),
        ("problem", True, ["checking", "connected"]),
        ("connected", True, ["disconnected"]),
        ("disconnected", True, ["problem", "connected"]),
    ],
)
def test_next_states_follow_the_state_machine(current, in_session, expected):
    assert next_states(current, in_session) == expected


# --- the console ---------------------------------------------------------------------------------


def buttons_of(html: str, leg: Leg) -> list[str]:
    """The state buttons shown (not hidden) in one leg's form."""
    form = html.split(f'id="leg-{leg.pk}"', 1)[1].split("</form>", 1)[0]
    return re.findall(r'<button type="submit" name="state" value="(\w+)" [^>]*?(?<!hidden)>', form)


def test_console_lists_the_legs_of_my_sites_with_their_next_states(
    client_as, serving, soon, english
):
    response = client_as(serving).get(CONSOLE_URL)

    html = response.content.decode()
    leg = leg_of(soon, "X0101")
    assert response.status_code == 200
    assert "Giao ban T01" in html
    assert f'id="leg-{leg.pk}"' in html
    assert f'id="leg-{leg_of(soon, "X0102").pk}"' not in html
    assert f'id="leg-{leg_of(soon, "T01").pk}"' not in html
    assert buttons_of(html, leg) == ["checking"]
    assert "Setup window open" in html
    assert 'data-ws-path="/ws/readiness/"' in html
    assert f'action="{REPORT_URL}"' in html


def test_console_shows_the_last_report_and_prefills_the_form(client_as, serving, soon, english):
    leg = leg_of(soon, "X0101")
    say(serving, leg, "checking", timezone.now())
    say(
        serving,
        leg,
        "problem",
        timezone.now(),
        checklist={"audio": True, "video": False},
        people_present=12,
        note="Mất tiếng",
    )

    html = client_as(serving).get(CONSOLE_URL).content.decode()

    form = html.split(f'id="leg-{leg.pk}"', 1)[1].split("</form>", 1)[0]
    assert 'data-state="problem"' in form
    assert buttons_of(html, leg) == ["checking"]
    assert re.search(r'name="checklist_audio" checked', form)
    assert not re.search(r'name="checklist_video" checked', form)
    assert 'value="12"' in form
    assert "Mất tiếng</textarea>" in form


def test_console_offers_connected_once_the_session_runs(client_as, serving, soon):
    move(soon, timezone.now() - timedelta(minutes=10), timezone.now() + timedelta(hours=1))

    html = client_as(serving).get(CONSOLE_URL).content.decode()

    assert buttons_of(html, leg_of(soon, "X0101")) == ["checking", "connected"]


def test_console_shows_an_upcoming_session_without_buttons(
    client_as, serving, alice, bridge, english
):
    later = book_at(alice, bridge, "X0101", in_minutes(20 * 60), title="Tập huấn")

    html = client_as(serving).get(CONSOLE_URL).content.decode()

    assert "Tập huấn" in html
    assert buttons_of(html, leg_of(later, "X0101")) == []
    assert "Reports open at" in html


def test_console_shows_a_session_ended_less_than_an_hour_ago_without_buttons(
    client_as, serving, soon, english
):
    move(soon, timezone.now() - timedelta(hours=2), timezone.now() - timedelta(minutes=30))

    html = client_as(serving).get(CONSOLE_URL).content.decode()

    assert "Giao ban T01" in html
    assert buttons_of(html, leg_of(soon, "X0101")) == []
    assert "reports are closed" in html


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (timedelta(days=7, hours=1, minutes=5), timedelta(days=7, hours=3)),
        (timedelta(hours=-3), timedelta(hours=-1, minutes=-5)),
    ],
    ids=["opens-after-a-week", "ended-over-an-hour-ago"],
)
def test_console_leaves_out_sessions_outside_its_range(client_as, serving, soon, start, end):
    move(soon, timezone.now() + start, timezone.now() + end)

    response = client_as(serving).get(CONSOLE_URL)

    assert response.context["sessions"] == []
    assert 'id="console-empty"' in response.content.decode()


def test_console_shows_a_session_three_days_ahead_with_the_date_its_window_opens(
    client_as, serving, soon, english
):
    start = timezone.now() + timedelta(days=3)
    move(soon, start, start + timedelta(hours=2))
    opens = timezone.localtime(soon.conference.reserved_from).strftime("%d/%m/%Y %H:%M")

    response = client_as(serving).get(CONSOLE_URL)

    assert [session.meeting for session in response.context["sessions"]] == [soon]
    assert f"Reports open at {opens}, when the setup window starts." in response.content.decode()


def test_console_leaves_out_cancelled_sessions(client_as, serving, alice, soon):
    from meetings.booking import cancel

    cancel(soon, "Trùng lịch", alice)

    response = client_as(serving).get(CONSOLE_URL)

    assert response.context["sessions"] == []


def test_console_hides_the_title_of_a_confidential_session(
    client_as, serving, alice, bridge, english
):
    secret = book_at(
        alice,
        bridge,
        "X0101",
        in_minutes(30),
        title="Họp mật",
        classification=Classification.CONFIDENTIAL,
    )

    html = client_as(serving).get(CONSOLE_URL).content.decode()

    assert "Họp mật" not in html
    assert "Confidential session" in html
    assert f'id="leg-{leg_of(secret, "X0101").pk}"' in html


def test_console_links_the_host_technician_to_the_board(client_as, bob, sites, soon, english):
    sites["T01"].technicians.add(bob)

    html = client_as(bob).get(CONSOLE_URL).content.decode()

    assert f'href="/meetings/{soon.pk}/board/"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_console_query_count_is_constant(
    client_as, serving, alice, bridge, sites, django_assert_num_queries, count
):
    sites["X0102"].technicians.add(serving)
    for number in range(count):
        book_at(alice, bridge, "X0101 X0102", in_minutes(30 + 180 * number))
    client = client_as(serving)

    # session, user, roles, legs with their conferences and meetings, which titles show,
    # which boards may be watched
    # One query more since issue #13: the offices the user acts for (the header's office).
    with django_assert_num_queries(7):
        response = client.get(CONSOLE_URL)

    assert len(response.context["sessions"]) == count


# --- the fallback post ---------------------------------------------------------------------------


def test_report_post_applies_the_report_and_confirms_it(client_as, serving, soon, english):
    leg = leg_of(soon, "X0101")

    response = client_as(serving).post(
        REPORT_URL,
        report_data(
            leg,
            "checking",
            checklist_audio="on",
            checklist_network="on",
            people="14",
            note="  Phòng họp tầng 3 ",
            client_id="c-1",
        ),
    )

    leg.refresh_from_db()
    event = ReadinessEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{CONSOLE_URL}#leg-{leg.pk}"
    assert leg.state == ReadinessState.CHECKING
    assert (event.actor, event.client_id, event.people_present, event.note) == (
        serving,
        "c-1",
        14,
        "Phòng họp tầng 3",
    )
    assert event.checklist == {"audio": True, "video": False, "network": True, "display": False}
    time = timezone.localtime(event.at).strftime("%H:%M:%S")
    assert messages_of(response) == [f"Report received at {time}: Điểm cầu X0101 is “Checking”."]


def test_report_post_without_people_leaves_them_unknown(client_as, serving, soon):
    leg = leg_of(soon, "X0101")

    client_as(serving).post(REPORT_URL, report_data(leg, "checking", people=""))

    assert ReadinessEvent.objects.get().people_present is None


def test_report_post_twice_with_one_client_id_is_applied_once(client_as, serving, soon, english):
    leg = leg_of(soon, "X0101")
    client = client_as(serving)
    data = report_data(leg, "checking", client_id="same-form")

    client.post(REPORT_URL, data)
    second = client.post(REPORT_URL, data)

    assert ReadinessEvent.objects.count() == 1
    assert second.status_code == 302
    assert messages_of(second)[0].startswith("Report received at ")


def test_report_post_for_a_site_i_do_not_serve_is_refused(client_as, serving, soon, english):
    before = written(soon)

    response = client_as(serving).post(REPORT_URL, report_data(leg_of(soon, "X0102"), "checking"))

    assert response.status_code == 302
    assert written(soon) == before
    assert messages_of(response) == ["Nothing was reported: This site is not in that session."]


def test_report_post_outside_the_window_is_refused(
    client_as, serving, alice, bridge, soon, english
):
    later = book_at(alice, bridge, "X0101", local_time(7, 8))
    before = written(later)

    response = client_as(serving).post(REPORT_URL, report_data(leg_of(later, "X0101"), "checking"))

    assert written(later) == before
    assert messages_of(response) == [
        "Nothing was reported: Reports are accepted from the start of the setup window "
        "until the session ends."
    ]


def test_report_post_of_an_illegal_transition_is_refused(client_as, serving, soon, english):
    before = written(soon)

    response = client_as(serving).post(
        REPORT_URL, report_data(leg_of(soon, "X0101"), "ready", **ALL_CHECKED)
    )

    assert written(soon) == before
    assert messages_of(response) == [
        "Nothing was reported: A site cannot go from “Not reported” to “Ready”."
    ]


def test_report_post_of_ready_with_a_failed_check_is_refused_and_names_it(
    client_as, serving, soon, english
):
    leg = leg_of(soon, "X0101")
    client_as(serving).post(REPORT_URL, report_data(leg, "checking"))
    before = written(soon)

    response = client_as(serving).post(
        REPORT_URL, report_data(leg, "ready", **{**ALL_CHECKED, "checklist_audio": ""})
    )

    assert written(soon) == before
    assert messages_of(response)[-1:] == [
        "Nothing was reported: Not ready: Audio not checked ok. Check them, report a problem, "
        "or give the reason the site is ready nonetheless."
    ]


def test_report_post_refused_for_a_failed_check_opens_that_legs_reason_field(
    client_as, serving, soon
):
    leg = leg_of(soon, "X0101")
    leg_of(soon, "X0102").endpoint.technicians.add(serving)  # a second leg, left closed
    client = client_as(serving)
    client.post(REPORT_URL, report_data(leg, "checking"))

    response = client.post(REPORT_URL, report_data(leg, "ready"))
    html = response.content.decode()

    assert response.status_code == 400
    assert re.findall(r'<article class="console-leg" id="leg-(\d+)"', html) == [
        str(leg.pk),
        str(leg_of(soon, "X0102").pk),
    ]
    assert re.findall(r'<details class="override" data-role="override"( open)?>', html) == [
        " open",
        "",
    ]


def test_report_post_refused_for_a_failed_check_keeps_what_the_technician_filled_in(
    client_as, serving, soon
):
    leg = leg_of(soon, "X0101")
    client = client_as(serving)
    client.post(REPORT_URL, report_data(leg, "checking"))
    three_of_four = {key: "on" for key in list(ALL_CHECKED)[:3]}

    response = client.post(
        REPORT_URL,
        report_data(leg, "ready", **three_of_four, people="12", note="Máy chiếu đang khởi động"),
    )
    html = response.content.decode()

    ticked = re.findall(rf'id="leg-{leg.pk}-(\w+)" name="checklist_\w+"( checked)?', html)
    assert ticked == [(item, " checked") for item in readiness.CHECK_ITEMS[:3]] + [
        (readiness.CHECK_ITEMS[3], "")
    ]
    assert f'id="leg-{leg.pk}-people" name="people"' in html and 'value="12"' in html
    assert ">Máy chiếu đang khởi động</textarea>" in html
    assert Leg.objects.get(pk=leg.pk).note == ""


def test_report_post_of_ready_with_a_failed_check_and_a_reason_is_applied(
    client_as, serving, soon, english
):
    leg = leg_of(soon, "X0101")
    client_as(serving).post(REPORT_URL, report_data(leg, "checking"))
    unticked = {key: value for key, value in ALL_CHECKED.items() if key != "checklist_audio"}

    client_as(serving).post(
        REPORT_URL, report_data(leg, "ready", **unticked, override="  Dùng micro dự phòng ")
    )

    leg.refresh_from_db()
    assert (leg.state, leg.override_reason) == ("ready", "Dùng micro dự phòng")
    assert leg.checklist == {"audio": False, "video": True, "network": True, "display": True}


@pytest.mark.parametrize(
    "extra",
    [
        {"people": "many"},
        {"people": "-1"},
        {"state": "pending"},
        {"state": "asleep"},
        {"note": "x" * (readiness.MAX_NOTE_LENGTH + 1)},
        {"client_id": "x" * 65},
    ],
    ids=["people-text", "people-negative", "pending", "unknown-state", "long-note", "long-id"],
)
def test_report_post_with_bad_input_writes_nothing(client_as, serving, soon, extra):
    before = written(soon)
    data = {**report_data(leg_of(soon, "X0101"), "checking"), **extra}

    response = client_as(serving).post(REPORT_URL, data)

    assert response.status_code == 302
    assert written(soon) == before
    assert len(messages_of(response)) == 1


def test_report_post_without_a_leg_writes_nothing(client_as, serving, soon, english):
    before = written(soon)

    response = client_as(serving).post(REPORT_URL, {"state": "checking"})

    assert response["Location"] == CONSOLE_URL
    assert written(soon) == before
    assert messages_of(response) == ["Nothing was reported: site: This field is required."]


def test_report_post_for_an_unknown_leg_is_refused(client_as, serving, soon, english):
    response = client_as(serving).post(REPORT_URL, {"leg": "999999", "state": "checking"})

    assert messages_of(response) == ["Nothing was reported: This site is not in that session."]


# --- the board page ------------------------------------------------------------------------------


def test_board_page_carries_the_socket_path_and_the_texts(client_as, alice, soon, english):
    response = client_as(alice).get(url_for("board", soon))

    html = response.content.decode()
    assert f'data-ws-path="/ws/conferences/{soon.conference_id}/board/"' in html
    assert "Giao ban T01" in html
    assert "&quot;ready&quot;: &quot;Ready&quot;" in html
    assert 'id="filter-not-ready"' in html
    assert 'class="cell' not in html
    assert "js/board.js" in html


def test_board_of_a_confidential_session_names_it_to_an_invited_host_technician(
    client_as, bob, alice, sites, bridge, english
):
    sites["T01"].technicians.add(bob)
    secret = book_at(
        alice,
        bridge,
        "T01",
        in_minutes(30),
        title="Họp mật",
        classification=Classification.CONFIDENTIAL,
    )
    Attendee.objects.create(meeting=secret, user=bob)

    html = client_as(bob).get(url_for("board", secret)).content.decode()

    assert f'<a href="/meetings/{secret.pk}/">Họp mật</a>' in html


def test_board_of_an_ended_session_points_to_the_report(client_as, alice, soon, english):
    move(soon, timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1))

    html = client_as(alice).get(url_for("board", soon)).content.decode()

    assert 'id="board-ended"' in html
    assert f'href="/meetings/{soon.pk}/readiness/"' in html


# --- the readiness report ------------------------------------------------------------------------


@pytest.fixture
def held(alice, bob, sites, soon):
    """`soon`, moved to yesterday 08:00-10:00 and reported as it was: X0101 ready at 07:50
    (on time), X0102 with a problem at 07:56, then ready at 08:05 (late) despite its
    display, T01 connected at 08:01 (late, connected counts as ready), X0103 only
    checking, its video not ok (never)."""
    for code in ("T01", "X0101", "X0102", "X0103"):
        sites[code].technicians.add(bob)
    start = local_time(-1, 8)
    move(soon, start, start + timedelta(hours=2))
    minute = timedelta(minutes=1)
    say(bob, leg_of(soon, "X0101"), "checking", start - 20 * minute)
    say(bob, leg_of(soon, "X0101"), "ready", start - 10 * minute)
    say(bob, leg_of(soon, "X0102"), "checking", start - 5 * minute)
    say(bob, leg_of(soon, "X0102"), "problem", start - 4 * minute, note=PROBLEM)
    say(bob, leg_of(soon, "X0102"), "checking", start - 3 * minute)
    no_display = {**dict.fromkeys(readiness.CHECK_ITEMS, True), "display": False}
    say(bob, leg_of(soon, "X0102"), "ready", start + 5 * minute, checklist=no_display,
        override_reason=REASON)  # fmt: skip
    say(bob, leg_of(soon, "T01"), "connected", start + minute)
    no_video = {**dict.fromkeys(readiness.CHECK_ITEMS, True), "video": False}
    say(bob, leg_of(soon, "X0103"), "checking", start - 3 * minute, checklist=no_video)
    return soon


PROBLEM = "Micro phòng họp rè, đang thay dây"
REASON = "Trình chiếu qua màn hình phụ"


def site_rows(html: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-site="(\w+)" data-punctuality="(\w+)">', html)
    return dict(rows)


def test_report_classifies_each_site(client_as, alice, held, english):
    response = client_as(alice).get(url_for("readiness", held))

    html = response.content.decode()
    assert response.status_code == 200
    assert site_rows(html) == {
        "T01": "late",
        "X0101": "on_time",
        "X0102": "late",
        "X0103": "never",
    }
    assert response.context["summary"].totals == {"on_time": 1, "late": 2, "never": 1}
    assert '<dd data-punctuality="on_time">1</dd>' in html
    assert '<dd data-punctuality="late">2</dd>' in html
    assert '<dd data-punctuality="never">1</dd>' in html
    assert "07:50:00" in html
    assert "08:05:00" in html
    assert "+5 min" in html
    assert 'id="report-so-far"' not in html


def test_report_counts_per_province(client_as, alice, held):
    response = client_as(alice).get(url_for("readiness", held))

    rows = [(row.name, row.counts, row.total) for row in response.context["provinces"]]
    assert rows == [("Điểm cầu T01", {"on_time": 1, "late": 2, "never": 1}, 4)]


def notes_of(html: str, code: str) -> list[str]:
    """The notes of one site's row, as read: "Problem: …", "Checks not ok: …"."""
    row = re.search(rf'<tr data-site="{code}".*?</tr>', html, re.DOTALL).group(0)
    cell = re.search(r'<td class="report-notes">(.*?)</td>', row, re.DOTALL).group(1)
    return [re.sub(r"<[^>]+>", "", note) for note in re.findall(r"<p [^>]*>(.*?)</p>", cell)]


def test_report_shows_each_sites_problem_failed_checks_and_override(
    client_as, alice, held, english
):
    html = client_as(alice).get(url_for("readiness", held)).content.decode()

    assert notes_of(html, "X0102") == [
        f"Problem: {PROBLEM}",
        "Checks not ok: Display",
        f"Ready despite a failed check: {REASON}",
    ]
    assert notes_of(html, "X0103") == ["Checks not ok: Video"]
    assert notes_of(html, "X0101") == []


def test_report_counts_problems_and_overrides_per_province(client_as, alice, held):
    html = client_as(alice).get(url_for("readiness", held)).content.decode()

    assert '<td class="col-number col-optional" data-count="problem">1</td>' in html
    assert '<td class="col-number col-optional" data-count="override">1</td>' in html


@pytest.fixture
def large(monkeypatch):
    """Reports count as large from three sites on: they list sites per province only."""
    monkeypatch.setattr(report_views, "SITE_LIST_LIMIT", 2)


def test_large_report_lists_no_site_and_links_each_province_to_its_sites(
    client_as, alice, held, large, english
):
    html = client_as(alice).get(url_for("readiness", held)).content.decode()

    assert site_rows(html) == {}
    assert 'id="report-choose-province"' in html
    assert re.findall(r'<a href="\?province=(\w+)#report-sites-title"[^>]*>([^<]+)</a>', html) == [
        ("T01", "3 sites")
    ]


def test_large_report_of_a_province_lists_its_sites_that_need_attention(
    client_as, alice, held, large, english
):
    html = client_as(alice).get(url_for("readiness", held), {"province": "T01"}).content.decode()

    # X0101, ready on time without a problem, needs no attention.
    assert site_rows(html) == {"T01": "late", "X0102": "late", "X0103": "never"}
    assert "Sites of Điểm cầu T01 that need attention" in html
    assert notes_of(html, "X0102")[-1] == f"Ready despite a failed check: {REASON}"


def test_large_report_of_an_unknown_province_asks_for_one(client_as, alice, held, large):
    html = client_as(alice).get(url_for("readiness", held), {"province": "T99"}).content.decode()

    assert site_rows(html) == {}
    assert 'id="report-choose-province"' in html


def test_report_of_a_session_not_ended_says_it_is_so_far(client_as, alice, soon, english):
    html = client_as(alice).get(url_for("readiness", soon)).content.decode()

    assert 'id="report-so-far"' in html
    assert "This is the report so far" in html


def test_csv_is_utf8_with_bom_and_named_after_the_meeting(client_as, alice, held, english):
    response = client_as(alice).get(url_for("csv", held))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="giaoban-readiness-{held.pk}.csv"'
    )
    assert response.content.startswith("\ufeff".encode())


def test_csv_lists_every_site_with_its_readiness(client_as, alice, held, english):
    response = client_as(alice).get(url_for("csv", held))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    day = local_time(-1, 8).strftime("%Y-%m-%d")
    assert rows == [
        [
            "Site code",
            "Site",
            "Level",
            "Province",
            "First ready at",
            "Final state",
            "Readiness",
            "Problem",
            "Checks not ok",
            "Reason for ready despite a failed check",
        ],
        [
            "T01",
            "Điểm cầu T01",
            "Province",
            "Điểm cầu T01",
            f"{day} 08:01:00",
            "Connected",
            "Late",
            "",
            "",
            "",
        ],
        [
            "X0101",
            "Điểm cầu X0101",
            "Commune",
            "Điểm cầu T01",
            f"{day} 07:50:00",
            "Ready",
            "Ready on time",
            "",
            "",
            "",
        ],
        [
            "X0102",
            "Điểm cầu X0102",
            "Commune",
            "Điểm cầu T01",
            f"{day} 08:05:00",
            "Ready",
            "Late",
            PROBLEM,
            "Display",
            REASON,
        ],
        [
            "X0103",
            "Điểm cầu X0103",
            "Commune",
            "Điểm cầu T01",
            "",
            "Checking",
            "Never ready",
            "",
            "Video",
            "",
        ],
    ]


def test_csv_by_province_counts_each_provinces_sites(client_as, alice, held, english):
    response = client_as(alice).get(url_for("csv", held), {"by": "province"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"] == (
        f'attachment; filename="giaoban-readiness-{held.pk}-provinces.csv"'
    )
    assert rows == [
        ["Province", "Ready on time", "Late", "Never ready"],
        ["Điểm cầu T01", "1", "2", "1"],
        ["All sites", "1", "2", "1"],
    ]


def test_csv_in_an_unknown_layout_is_a_bad_request(client_as, alice, held, english):
    response = client_as(alice).get(url_for("csv", held), {"by": "weekday"})

    assert response.status_code == 400


@pytest.mark.parametrize("codes", ["X0101", "T01 X0101 X0102 X0103"])
def test_report_query_count_is_constant(
    client_as, alice, bridge, sites, django_assert_num_queries, codes
):
    meeting = book_at(alice, bridge, codes, in_minutes(30))
    client = client_as(alice)

    # session, user, roles, the meeting if it may be watched, provinces, sites
    # Two queries more since issue #13: the offices the user acts for (the header's
    # office), and the part of the board they watch (visibility.board_part). One more
    # since ready means checked: the event log the summary folds, and the line of ready
    # sites replays.
    with django_assert_num_queries(9):
        response = client.get(url_for("readiness", meeting))

    assert len(response.context["sites"]) == len(codes.split())


@pytest.mark.parametrize("codes", ["T01 X0101", "T01 X0101 X0102 X0103"])
def test_large_report_of_a_province_query_count_is_constant(
    client_as, alice, bridge, sites, large, django_assert_num_queries, codes
):
    meeting = book_at(alice, bridge, codes, in_minutes(30))
    client = client_as(alice)

    # As the whole report (above), whatever the number of the province's sites.
    with django_assert_num_queries(9):
        response = client.get(url_for("readiness", meeting), {"province": "T01"})

    assert len(response.context["sites"]) == len(codes.split())


# --- links from other pages ----------------------------------------------------------------------


def test_meeting_page_links_the_secretariat_to_the_board(client_as, alice, soon):
    html = client_as(alice).get(f"/meetings/{soon.pk}/").content.decode()

    assert f'href="/meetings/{soon.pk}/board/"' in html
    assert f'href="/meetings/{soon.pk}/readiness/"' not in html
    assert 'id="console-link"' not in html


def test_meeting_page_links_to_the_report_after_the_session(client_as, alice, soon):
    move(soon, timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1))

    html = client_as(alice).get(f"/meetings/{soon.pk}/").content.decode()

    assert f'href="/meetings/{soon.pk}/readiness/"' in html
    assert f'href="/meetings/{soon.pk}/board/"' not in html


def test_meeting_page_links_a_participant_technician_to_the_console_only(client_as, serving, soon):
    html = client_as(serving).get(f"/meetings/{soon.pk}/").content.decode()

    assert 'id="console-link"' in html
    assert 'id="board-link"' not in html


def test_meeting_page_links_the_host_technician_to_the_board(client_as, bob, sites, soon):
    sites["T01"].technicians.add(bob)

    html = client_as(bob).get(f"/meetings/{soon.pk}/").content.decode()

    assert 'id="board-link"' in html
    assert 'id="console-link"' in html


def test_meeting_page_of_an_attendee_has_no_readiness_links(client_as, carol, soon):
    Attendee.objects.create(meeting=soon, user=carol)

    html = client_as(carol).get(f"/meetings/{soon.pk}/").content.decode()

    assert 'id="readiness-links"' not in html


@pytest.mark.parametrize(("persona", "shown"), [("bob", True), ("alice", False), ("carol", False)])
def test_navigation_offers_the_console_to_technicians(client_as, request, persona, shown):
    html = client_as(request.getfixturevalue(persona)).get("/").content.decode()

    assert ('id="nav-console"' in html) is shown
    assert ('id="tile-console"' in html) is shown


def test_a_technician_without_the_role_gets_no_console_link(client_as, db, sites, soon):
    helper = UserFactory(username="helper", roles=[Role.ATTENDEE])
    sites["X0101"].technicians.add(helper)

    html = client_as(helper).get("/").content.decode()

    assert 'id="nav-console"' not in html
