"""The API's series and the days off: `off_days` on the dry run and on booking, the
occurrences concerned in the answer, the choice kept on the series."""

from datetime import timedelta

from meetings.models import Series
from tests.meetings.api.helpers import CHECK_URL, LIST_URL, NOTHING_WRITTEN, booking_body, written
from tests.meetings.off_day_helpers import DAY_OFF_NAME, announced_day_off_ahead, at_eight
from tests.problems import field_errors

WEEKLY_2 = "FREQ=WEEKLY;COUNT=2"


def series_body(bridge, day, **changes) -> dict:
    start = at_eight(day)
    return booking_body(
        bridge,
        **{
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "rrule": WEEKLY_2,
            **changes,
        },
    )


def test_check_lists_the_occurrence_moved_off_its_day_off(api_as, alice, tree, bridge):
    day_off = announced_day_off_ahead()
    start, moved = at_eight(day_off), at_eight(day_off + timedelta(days=1))

    response = api_as(alice).post(CHECK_URL, series_body(bridge, day_off, off_days="move"))

    assert response.status_code == 200
    body = response.json()
    assert [item["start"] for item in body["occurrences"]] == [
        moved.isoformat(),
        (start + timedelta(weeks=1)).isoformat(),
    ]
    assert body["off_days"] == [
        {
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "reason": DAY_OFF_NAME,
            "off_days": "move",
            "moved_start": moved.isoformat(),
            "moved_end": (moved + timedelta(hours=2)).isoformat(),
        }
    ]
    assert written() == NOTHING_WRITTEN


def test_book_series_skipping_days_off(api_as, alice, tree, bridge):
    day_off = announced_day_off_ahead()

    response = api_as(alice).post(LIST_URL, series_body(bridge, day_off, off_days="skip"))

    assert response.status_code == 201
    body = response.json()
    assert [item["start"] for item in body["booked"]] == [
        at_eight(day_off + timedelta(weeks=1)).isoformat()
    ]
    assert [
        (item["start"], item["off_days"], item["moved_start"]) for item in body["off_days"]
    ] == [(at_eight(day_off).isoformat(), "skip", None)]
    assert body["series"]["off_days"] == "skip"
    assert Series.objects.get().off_days == "skip"


def test_book_series_keeps_days_off_by_default(api_as, alice, tree, bridge):
    day_off = announced_day_off_ahead()

    response = api_as(alice).post(LIST_URL, series_body(bridge, day_off))

    body = response.json()
    assert len(body["booked"]) == 2
    assert [item["off_days"] for item in body["off_days"]] == ["keep"]


def test_unknown_off_days_choice_is_400(api_as, alice, tree, bridge):
    day_off = announced_day_off_ahead()

    response = api_as(alice).post(LIST_URL, series_body(bridge, day_off, off_days="later"))

    assert response.status_code == 400
    assert field_errors(response) == {"off_days": ['"later" is not a valid choice.']}
    assert written() == NOTHING_WRITTEN


def test_moving_onto_another_occurrence_is_400(api_as, alice, tree, bridge):
    day_off = announced_day_off_ahead()

    response = api_as(alice).post(
        LIST_URL, series_body(bridge, day_off, off_days="move", rrule="FREQ=DAILY;COUNT=2")
    )

    assert response.status_code == 400
    assert list(field_errors(response)) == ["off_days"]
    assert written() == NOTHING_WRITTEN
