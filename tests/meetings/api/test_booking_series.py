"""Booking a series through the meeting API: every occurrence, 409 per occurrence, or
skipping the conflicting ones."""

from meetings.models import Meeting, Series
from tests.meetings.api.helpers import (
    LIST_URL,
    WEEKLY_3,
    at,
    booked,
    booking_body,
    iso,
    series_ref,
    summary,
    written,
)
from tests.problems import members


def test_book_series_books_every_occurrence(api_as, alice, tree, bridge):
    response = api_as(alice).post(LIST_URL, booking_body(bridge, rrule=WEEKLY_3))

    assert response.status_code == 201
    series = Series.objects.get()
    meetings = list(Meeting.objects.order_by("conference__start"))
    assert response.json() == {
        "series": series_ref(series),
        "booked": [summary(meeting) for meeting in meetings],
        "skipped": [],
        "off_days": [],
    }


def test_book_series_with_a_conflict_is_409_per_occurrence(api_as, alice, tree, bridge):
    taken = booked(alice, bridge, at(9, 9), sites=("HN",))
    before = written()

    response = api_as(alice).post(LIST_URL, booking_body(bridge, rrule=WEEKLY_3))

    assert response.status_code == 409
    assert members(response) == {
        "detail": "Some occurrences conflict with existing sessions.",
        "code": "conflict",
        "occurrences": [
            {
                "start": iso(at(9, 8)),
                "end": iso(at(9, 10)),
                "sessions": [
                    {
                        "meeting_id": taken.pk,
                        "busy": False,
                        "title": "Giao ban tuần",
                        "start": iso(at(9, 9)),
                        "end": iso(at(9, 11)),
                        "overlap_start": iso(at(9, 8)),
                        "overlap_end": iso(at(9, 10)),
                        "site_count": 1,
                        "sites": [{"code": "HN", "name": "Hà Nội"}],
                    }
                ],
                "capacity": None,
            }
        ],
    }
    assert written() == before


def test_book_series_can_skip_the_conflicting_occurrences(api_as, alice, tree, bridge):
    booked(alice, bridge, at(9, 9), sites=("HN",))

    response = api_as(alice).post(
        LIST_URL, booking_body(bridge, rrule=WEEKLY_3, skip_conflicts=True)
    )

    assert response.status_code == 201
    body = response.json()
    assert [item["start"] for item in body["booked"]] == [iso(at(2, 8)), iso(at(16, 8))]
    assert [item["start"] for item in body["skipped"]] == [iso(at(9, 8))]
    assert Series.objects.get().occurrences.count() == 2
