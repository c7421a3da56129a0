"""Rescheduling from the meeting page: the form, the move, conflicts and bad input
changing nothing, this and following occurrences.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import pytest

from meetings.booking import cancel as cancel_meeting
from meetings.models import Meeting
from tests.factories import local_time, stored_counts
from tests.meetings.views.pages import (
    BOOK_URL,
    DAY,
    book_province,
    booking_data,
    messages_of,
    url_for,
)


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
