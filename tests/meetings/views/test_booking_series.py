"""Booking a series from the booking page: every occurrence, until a date, all or
nothing, or skipping the conflicting occurrences.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from meetings.models import Meeting, Series
from tests.factories import local_time, stored_counts
from tests.meetings.views.pages import BOOK_URL, DAY, booking_data, messages_of


def test_book_weekly_series_books_every_occurrence(client_as, alice, sites, bridge, english):
    response = client_as(alice).post(BOOK_URL, booking_data(bridge, repeat="WEEKLY", count="3"))

    series = Series.objects.get()
    starts = [m.conference.start for m in series.occurrences.order_by("conference__start")]
    assert series.rrule == "FREQ=WEEKLY;COUNT=3"
    assert starts == [local_time(DAY, 8), local_time(DAY + 7, 8), local_time(DAY + 14, 8)]
    assert messages_of(response) == ["The series was booked: 3 sessions."]
    assert response["Location"] == f"/meetings/{series.occurrences.earliest('pk').pk}/"


def test_book_series_until_a_date_includes_that_day(client_as, alice, sites, bridge):
    until = local_time(DAY + 2, 0).date().isoformat()

    client_as(alice).post(BOOK_URL, booking_data(bridge, repeat="DAILY", until=until))

    assert Meeting.objects.count() == 3


def test_book_series_with_a_conflict_books_nothing(
    client_as, alice, sites, bridge, meeting, english
):
    before = stored_counts()
    data = booking_data(bridge, subtrees=["T01"], host="T01", repeat="WEEKLY", count="3")

    response = client_as(alice).post(BOOK_URL, data)

    assert response.status_code == 409
    assert stored_counts() == before
    assert Series.objects.count() == 0
    assert [o.slot.start for o in response.context["check"].occurrences] == [local_time(DAY, 8)]


def test_book_series_skipping_conflicts_books_the_free_occurrences(
    client_as, alice, sites, bridge, meeting, english
):
    data = booking_data(
        bridge,
        subtrees=["T01"],
        host="T01",
        repeat="WEEKLY",
        count="3",
        skip_conflicts="on",
    )

    response = client_as(alice).post(BOOK_URL, data)

    series = Series.objects.get()
    assert series.occurrences.count() == 2
    assert messages_of(response) == [
        "The series was booked: 2 sessions. 1 conflicting occurrence was skipped."
    ]
