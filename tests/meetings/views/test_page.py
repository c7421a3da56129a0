"""The meeting page: times, sites by level, actions; a cancelled session; a series
occurrence; its query count.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re

import pytest

from meetings.booking import cancel as cancel_meeting
from meetings.models import Attendee, Meeting
from tests.factories import UserFactory, local_time
from tests.meetings.views.pages import BOOK_URL, DAY, book_province, booking_data, url_for


def test_detail_shows_times_sites_by_level_and_actions(client_as, alice, carol, meeting, english):
    Attendee.objects.create(meeting=meeting, user=carol)

    response = client_as(alice).get(url_for("detail", meeting))

    html = response.content.decode()
    assert '<h1 id="meeting-title">Giao ban T01</h1>' in html
    assert "08:00\u201310:00" in html
    assert "60 minutes before the start: sites are reserved from 07:00" in html
    assert [(s.level_label, s.code) for s in response.context["sites"].listed] == [
        ("Province", "T01"),
        ("Commune", "X0101"),
        ("Commune", "X0102"),
        ("Commune", "X0103"),
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
    # One query more since issue #13: the offices the user acts for (the header's office).
    # Whether they manage the records (the owning office's) is the page's "may change",
    # handed to the records section rather than asked again. Since issue #15 the sites
    # are counted, not loaded (conferencing.session_sites: three queries instead of one,
    # whatever their number: tests/meetings/views/test_page_sites.py). Two more since
    # issue #16, for the owning office only: the expected attendance (the answers'
    # counts, and the first names who answered: meetings.calendar.answers).
    # 16 since the conclusion notice's card (meetings.conclusions: one query).
    with django_assert_num_queries(16):
        response = client.get(url_for("detail", meeting))

    assert len(response.context["attendees"]) == count
