"""The live dry runs of the change pages (/meetings/<id>/sites/check/ and
/meetings/<id>/reschedule/check/): the conflicts panel's fragment, the session's own
reservation never in its way, nothing written, only for the owning office.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from meetings.booking import cancel as cancel_meeting
from meetings.models import Meeting
from tests.factories import local_time, stored_counts
from tests.meetings.views.pages import BOOK_URL, DAY, book_province, booking_data, url_for


def sites_check_url(meeting: Meeting) -> str:
    return url_for("sites", meeting) + "check/"


def reschedule_check_url(meeting: Meeting) -> str:
    return url_for("reschedule", meeting) + "check/"


def slot_data(start_time: str, end_time: str, days: int = DAY, **more) -> dict:
    return {
        "date": local_time(days, 0).date().isoformat(),
        "start_time": start_time,
        "end_time": end_time,
        "setup_minutes": "60",
        **more,
    }


def test_sites_check_of_the_sessions_own_sites_is_clear(client_as, alice, meeting, english):
    response = client_as(alice).post(
        sites_check_url(meeting), {"subtrees": ["T01"], "sites": "TW", "host": "T01"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "No conflict: every site and the bridge are free." in html


def test_sites_check_names_the_busy_sites_and_writes_nothing(
    client_as, alice, bridge, meeting, english
):
    busy = book_province(alice, bridge, "T02", local_time(DAY, 9), title="Giao ban T02")
    before = stored_counts()

    response = client_as(alice).post(
        sites_check_url(meeting), {"subtrees": ["T01"], "sites": "X0202", "host": "T01"}
    )

    html = response.content.decode()
    assert stored_counts() == before
    assert response.context["check"].state == "conflicts"
    assert f'<a href="/meetings/{busy.pk}/">Giao ban T02</a>' in html
    assert 'data-codes="X0202"' in html


def test_sites_check_without_a_host_names_what_is_missing(client_as, alice, meeting, english):
    response = client_as(alice).post(sites_check_url(meeting), {"subtrees": ["T01"]})

    assert "To check for conflicts, fill in: Host site." in response.content.decode()


def test_sites_check_of_a_cancelled_session_says_it_cannot_change(
    client_as, alice, meeting, english
):
    cancel_meeting(meeting, "Hoãn", alice)

    response = client_as(alice).post(sites_check_url(meeting), {"subtrees": ["T01"], "host": "T01"})

    assert response.context["check"].state == "error"
    assert response.context["check"].messages == ["Only a scheduled session can be changed."]


def test_reschedule_check_over_the_sessions_own_time_is_clear(client_as, alice, meeting, english):
    response = client_as(alice).post(reschedule_check_url(meeting), slot_data("09:00", "11:00"))

    assert response.context["check"].state == "clear"


def test_reschedule_check_names_the_session_in_the_way_and_writes_nothing(
    client_as, alice, bridge, meeting, english
):
    other = book_province(alice, bridge, "T01", local_time(DAY, 14), title="Họp chiều")
    before = stored_counts()

    response = client_as(alice).post(reschedule_check_url(meeting), slot_data("14:30", "15:00"))

    assert stored_counts() == before
    assert response.context["check"].occurrences[0].groups[0].meeting_id == other.pk
    assert f'<a href="/meetings/{other.pk}/">Họp chiều</a>' in response.content.decode()


def test_reschedule_check_of_an_incomplete_form_names_what_is_missing(
    client_as, alice, meeting, english
):
    response = client_as(alice).post(reschedule_check_url(meeting), slot_data("", "11:00"))

    assert "To check for conflicts, fill in: Starts at." in response.content.decode()


def test_reschedule_check_of_following_occurrences_checks_each(
    client_as, alice, sites, bridge, english
):
    client = client_as(alice)
    client.post(BOOK_URL, booking_data(bridge, repeat="WEEKLY", count="3"))
    _first, second, _third = Meeting.objects.order_by("conference__start")
    busy = book_province(alice, bridge, "T02", local_time(DAY + 14, 14))
    data = slot_data("14:00", "15:00", DAY + 7, scope="following")

    response = client.post(reschedule_check_url(second), data)

    check = response.context["check"]
    assert (check.state, check.checked) == ("conflicts", 2)
    [occurrence] = check.occurrences
    assert occurrence.slot.start == local_time(DAY + 14, 14)
    assert occurrence.groups[0].meeting_id == busy.pk


def test_change_checks_are_not_found_for_another_office(client_as, hana, meeting):
    responses = [
        client_as(hana).post(sites_check_url(meeting), {"subtrees": ["T01"], "host": "T01"}),
        client_as(hana).post(reschedule_check_url(meeting), slot_data("09:00", "10:00")),
    ]

    assert [response.status_code for response in responses] == [404, 404]


def test_change_checks_refuse_a_technician(client_as, bob, meeting):
    response = client_as(bob).post(reschedule_check_url(meeting), slot_data("09:00", "10:00"))

    assert response.status_code == 403
