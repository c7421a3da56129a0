"""The dry run (/meetings/check/): what it reports (conflicts, the setup window, form
and domain errors), and that it writes nothing.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from tests.factories import local_time, stored_counts
from tests.meetings.views.pages import CHECK_URL, DAY, booking_data


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
