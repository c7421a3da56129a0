"""Cancelling from the meeting page: the reason, the freed sites, this and following
occurrences, and who may not.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from conferencing.models import Leg
from meetings.models import Attendee, Meeting, MeetingStatus
from tests.meetings.views.pages import BOOK_URL, booking_data, messages_of, url_for


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
