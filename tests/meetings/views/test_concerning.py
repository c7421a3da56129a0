"""The session pages show each user only the sessions that concern them: the meeting
page and the agenda for an invited attendee and a site's technician.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from meetings.models import Attendee
from tests.factories import local_time
from tests.meetings.views.pages import AGENDA_URL, DAY, book_province, url_for


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
