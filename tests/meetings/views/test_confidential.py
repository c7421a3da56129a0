"""The session pages show a confidential session to the uninvited as busy time only:
agenda, week, meeting page, changes and the dry run.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re

import pytest

from meetings.models import Attendee, Classification
from tests.factories import local_time
from tests.meetings.views.pages import (
    AGENDA_URL,
    CHECK_URL,
    DAY,
    WEEK_URL,
    book_province,
    booking_data,
    url_for,
)


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
