"""The home page: each role's part, its empty states, its dates, the links below, and a
number of queries that does not grow with the data.

alice: the central office's secretariat; bob: technician of X0101 and X0102; carol: an
attendee; mallory: signed in with no role."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.roles import Role
from meetings.home import dashboard
from tests.factories import UserFactory
from tests.meetings.home.helpers import publish_minutes, session_at, set_states

HOME = "/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(HOME)["Location"] == "/login/?next=/"


def test_home_answers_only_get(client, alice):
    client.force_login(alice)

    assert client.post(HOME).status_code == 405


def test_each_role_sees_its_part_only(client, alice, serving, carol, mallory):
    parts = ("dashboard-secretariat", "dashboard-technician", "dashboard-attendee")

    shown = {
        user.username: [f'id="{part}"' in page(client, user) for part in parts]
        for user in (alice, serving, carol, mallory)
    }

    assert shown == {
        "alice": [True, False, False],
        "bob": [False, True, False],
        "carol": [False, False, True],
        "mallory": [False, False, False],
    }


def test_the_secretariat_reaches_its_month_at_a_glance(client, alice, carol):
    assert 'href="/meetings/month/"' in page(client, alice)
    assert 'href="/meetings/month/"' not in page(client, carol)


def test_someone_with_several_roles_sees_each_part(client, sites):
    both = UserFactory(username="dan", roles=[Role.TECHNICIAN, Role.ATTENDEE])

    content = page(client, both)

    assert 'id="dashboard-technician"' in content and 'id="dashboard-attendee"' in content


def test_the_links_of_the_pages_stay_under_the_dashboard(client, alice, mallory, english):
    assert 'id="tile-agenda"' in page(client, alice)
    assert "Your account has no role yet" in page(client, mallory)


def test_empty_parts_say_so(client, alice, serving, carol, english):
    secretariat, technician, attendee = (page(client, u) for u in (alice, serving, carol))

    assert "Your office has no session today." in secretariat
    assert "Your office has no session tomorrow." in secretariat
    assert 'id="missing-minutes-empty"' in secretariat
    assert "None of your sites joins a session in the next 7 days." in technician
    assert "You are invited to no upcoming session." in attendee
    assert "No minutes were published in the last 14 days." in attendee


def test_the_secretariat_sees_readiness_as_a_bar_with_text_linking_to_the_board(
    client, alice, sites, english
):
    now = timezone.now()
    start = dashboard.local_midnight(now, 1) + timedelta(hours=8, minutes=30)
    meeting = session_at(alice, start, sites=("T01", "X0101", "X0102", "T02"))
    set_states(meeting, T01="ready", X0101="problem")

    content = page(client, alice)

    assert f'href="/meetings/{meeting.pk}/board/"' in content
    assert 'max="4" value="1"' in content
    assert "1 of 4 sites ready" in content
    assert "1 problem" in content
    assert timezone.localtime(start).strftime("%d/%m/%Y 08:30") in content


def test_the_secretariat_sees_a_session_missing_minutes_with_its_end(client, alice, sites, english):
    meeting = session_at(alice, timezone.now() - timedelta(days=2))
    end = timezone.localtime(meeting.conference.end).strftime("%d/%m/%Y %H:%M")

    content = page(client, alice)

    assert f'id="missing-minutes-{meeting.pk}"' in content
    assert f"ended {end}" in content
    assert f'href="/meetings/{meeting.pk}/#records"' in content


def test_a_technician_sees_when_the_window_opens(client, alice, serving, english):
    meeting = session_at(alice, timezone.now() + timedelta(days=2))
    opens = timezone.localtime(meeting.conference.reserved_from).strftime("%d/%m/%Y %H:%M")

    content = page(client, serving)

    assert f"Readiness window opens {opens}" in content
    assert "Điểm cầu X0101, Điểm cầu X0102" in content


def test_an_attendee_sees_the_new_minutes_with_a_download_link(client, alice, carol, sites):
    meeting = session_at(alice, timezone.now() - timedelta(days=1), attendees=[carol])
    version = publish_minutes(meeting, timezone.now())

    content = page(client, carol)

    assert f'id="new-minutes-{version.pk}"' in content
    assert f"/meetings/{meeting.pk}/records/versions/{version.pk}/file/" in content


# --- queries do not grow with the data -----------------------------------------------------------


def secretariat_world(alice, count: int) -> None:
    now = timezone.now()
    for index in range(count):
        today = session_at(alice, dashboard.local_midnight(now, 1) + timedelta(hours=4 * index))
        set_states(today, X0101="problem")
        session_at(alice, now - timedelta(days=index + 1))


def technician_world(alice, count: int) -> None:
    for index in range(count):
        session_at(alice, timezone.now() + timedelta(days=1, hours=4 * index))


def attendee_world(alice, carol, count: int) -> None:
    for index in range(count):
        session_at(alice, timezone.now() + timedelta(days=1, hours=4 * index), attendees=[carol])
        ended = session_at(alice, timezone.now() - timedelta(days=index + 1), attendees=[carol])
        publish_minutes(ended, timezone.now())


@pytest.mark.parametrize("count", [1, 3])
def test_the_secretariat_home_queries_do_not_grow(
    client, alice, sites, count, django_assert_num_queries
):
    secretariat_world(alice, count)
    client.force_login(alice)

    # 7, and 4 for the conclusion notices (due with their countdown, how many, the
    # working-day calendar's revision, the new ones): meetings.conclusions.reading.
    with django_assert_num_queries(11):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_technician_home_queries_do_not_grow(
    client, alice, serving, count, django_assert_num_queries
):
    technician_world(alice, count)
    client.force_login(serving)

    with django_assert_num_queries(6):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_attendee_home_queries_do_not_grow(
    client, alice, carol, sites, count, django_assert_num_queries
):
    attendee_world(alice, carol, count)
    client.force_login(carol)

    with django_assert_num_queries(6):
        assert client.get(HOME).status_code == 200
