"""The week: sessions placed on their local day, the chosen week, its links and
filters, its form errors and query count.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Attendee
from tests.factories import local_time
from tests.meetings.views.pages import DAY, WEEK_URL, book_province


def monday_of(moment) -> str:
    day = timezone.localtime(moment).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def test_week_places_sessions_on_their_local_day(client_as, alice, bridge, meeting):
    start = meeting.conference.start

    response = client_as(alice).get(WEEK_URL, {"start": timezone.localtime(start).date()})

    days = response.context["days"]
    placed = {day.date: day.meetings for day in days if day.meetings}
    assert [day.date.weekday() for day in days] == [0, 1, 2, 3, 4, 5, 6]
    assert placed == {timezone.localtime(start).date(): [meeting]}


def test_week_shows_a_session_across_midnight_on_its_start_day(client_as, alice, bridge, sites):
    late = book_province(alice, bridge, "T02", local_time(DAY, 23, 30), hours=1)
    local_start = timezone.localtime(late.conference.start)
    # 23:30 local is 16:30 UTC: the UTC date and the local date agree, but the end is tomorrow.
    assert timezone.localtime(late.conference.end).date() == local_start.date() + timedelta(days=1)

    response = client_as(alice).get(WEEK_URL, {"start": monday_of(late.conference.start)})

    placed = {day.date: day.meetings for day in response.context["days"] if day.meetings}
    assert placed == {local_start.date(): [late]}
    html = response.content.decode()
    assert "23:30\u201300:30" in html


def test_week_uses_local_not_utc_days(client_as, alice, bridge, sites):
    # 06:00 local is 23:00 UTC the day before: it belongs to the local day.
    early = book_province(alice, bridge, "T02", local_time(DAY, 6), hours=1)
    assert early.conference.start.astimezone(timezone.UTC).day != local_time(DAY, 6).day

    response = client_as(alice).get(WEEK_URL, {"start": monday_of(early.conference.start)})

    placed = {day.date: day.meetings for day in response.context["days"] if day.meetings}
    assert placed == {local_time(DAY, 6).date(): [early]}


def test_week_starts_on_the_monday_of_the_chosen_day(client_as, alice, english):
    response = client_as(alice).get(WEEK_URL, {"start": "2026-11-26"})

    assert response.context["monday"].isoformat() == "2026-11-23"
    html = response.content.decode()
    assert 'href="?start=2026-11-16"' in html
    assert 'href="?start=2026-11-30"' in html
    assert "23/11/2026 \u2013 29/11/2026" in html


def test_week_defaults_to_this_week(client_as, alice):
    response = client_as(alice).get(WEEK_URL)

    today = timezone.localdate()
    assert response.context["monday"] == today - timedelta(days=today.weekday())


def test_week_links_keep_the_filters(client_as, alice, sites):
    response = client_as(alice).get(WEEK_URL, {"start": "2026-11-26", "province": "T01"})

    assert b'href="?start=2026-11-30&amp;province=T01"' in response.content


def test_week_filters_by_province(client_as, alice, bridge, meeting):
    book_province(alice, bridge, "T02", local_time(DAY, 8))

    response = client_as(alice).get(
        WEEK_URL, {"start": monday_of(meeting.conference.start), "province": "T01"}
    )

    assert [m for day in response.context["days"] for m in day.meetings] == [meeting]


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_week_at_the_ends_of_the_calendar_is_a_form_error(client_as, alice, english, start):
    response = client_as(alice).get(WEEK_URL, {"start": start})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["start"]


def test_week_bad_date_is_a_form_error(client_as, alice, english):
    response = client_as(alice).get(WEEK_URL, {"start": "someday"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "start": ["Enter a date as dd/mm/yyyy, for example 31/12/2026."]
    }


@pytest.mark.parametrize("count", [1, 3])
def test_week_query_count_is_constant(
    client_as, carol, alice, sites, bridge, django_assert_num_queries, count
):
    meetings = [
        book_province(alice, bridge, "T01", local_time(DAY, 8 + 3 * number), hours=2)
        for number in range(count)
    ]
    for meeting in meetings:
        Attendee.objects.create(meeting=meeting, user=carol)
    client = client_as(carol)
    start = monday_of(meetings[0].conference.start)

    # session, user, roles, provinces of the filter, the week's sessions, which show details
    # One query more since issue #13: the offices the user acts for (the header's office);
    # one since #15: the levels the tree uses (the level filter offers no others).
    with django_assert_num_queries(8):
        response = client.get(WEEK_URL, {"start": start})

    assert sum(len(day.meetings) for day in response.context["days"]) == count
