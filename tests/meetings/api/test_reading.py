"""Reading the meeting API: a meeting's detail, confidential sessions as busy time,
paging, and query counts that do not grow with the list."""

import pytest
from django.utils import timezone

from meetings.models import AttendeeRole, Classification, Meeting
from tests.meetings.api.helpers import LIST_URL, at, booked, iso, listed_ids, summary


def busy(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "kind": "busy",
        "details_visible": False,
        "title": "Busy",
        "start": iso(timezone.localtime(meeting.conference.start)),
        "end": iso(timezone.localtime(meeting.conference.end)),
        "status": meeting.status,
        "classification": meeting.classification,
    }


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
        # An attendee watches no board and serves no site (meetings.api.live).
        "live": {
            "conference": meeting.conference_id,
            "legs": None,
            "sockets": {"board": None, "console": None},
        },
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

    # One query more since issue #13: the offices the user acts for (the header's office).
    with django_assert_num_queries(7):
        response = client.get(LIST_URL)

    assert response.json()["count"] == count


def test_meeting_list_pages_with_limit_and_offset(api_as, alice, tree, bridge):
    meetings = [booked(alice, bridge, at(2 + day, 8)) for day in range(3)]

    response = api_as(alice).get(LIST_URL, {"limit": 1, "offset": 1})

    assert response.json()["count"] == 3
    assert listed_ids(response) == [meetings[1].pk]
    assert response.json()["next"] == f"http://testserver{LIST_URL}?limit=1&offset=2"
