"""The booking page and occurrences on a day off: the check lists them before booking,
with what happens to each; booking skips or moves them as chosen."""

from datetime import timedelta

from meetings.models import Series
from tests.meetings.off_day_helpers import DAY_OFF_NAME, announced_day_off_ahead, at_eight
from tests.meetings.views.pages import BOOK_URL, CHECK_URL, booking_data, messages_of


def series_data(bridge, day, **overrides) -> dict:
    return booking_data(bridge, date=day.isoformat(), repeat="WEEKLY", count="2", **overrides)


def test_check_shows_the_occurrence_on_a_day_off_skipped(client_as, alice, sites, bridge):
    day_off = announced_day_off_ahead()

    response = client_as(alice).post(CHECK_URL, series_data(bridge, day_off, off_days="skip"))

    assert response.status_code == 200
    assert f"{day_off:%d/%m/%Y} ({DAY_OFF_NAME}) → bỏ qua" in response.content.decode()


def test_check_shows_where_the_occurrence_moves(client_as, alice, sites, bridge):
    day_off = announced_day_off_ahead()
    next_day = day_off + timedelta(days=1)

    response = client_as(alice).post(CHECK_URL, series_data(bridge, day_off, off_days="move"))

    expected = f"{day_off:%d/%m/%Y} ({DAY_OFF_NAME}) → dời sang {next_day:%d/%m/%Y}"
    assert expected in response.content.decode()


def test_check_shows_the_kept_occurrence_by_default(client_as, alice, sites, bridge, english):
    day_off = announced_day_off_ahead()

    response = client_as(alice).post(CHECK_URL, series_data(bridge, day_off))

    assert f"{day_off:%d/%m/%Y} ({DAY_OFF_NAME}) → kept" in response.content.decode()


def test_booking_moves_the_occurrence_on_a_day_off(client_as, alice, sites, bridge, english):
    day_off = announced_day_off_ahead()

    response = client_as(alice).post(BOOK_URL, series_data(bridge, day_off, off_days="move"))

    series = Series.objects.get()
    starts = [m.conference.start for m in series.occurrences.order_by("conference__start")]
    assert starts == [at_eight(day_off + timedelta(days=1)), at_eight(day_off + timedelta(days=7))]
    assert series.off_days == "move"
    assert messages_of(response) == [
        "The series was booked: 2 sessions. 1 occurrence on a day off was moved to the next "
        "working day."
    ]


def test_booking_skips_the_occurrence_on_a_day_off(client_as, alice, sites, bridge, english):
    day_off = announced_day_off_ahead()

    response = client_as(alice).post(BOOK_URL, series_data(bridge, day_off, off_days="skip"))

    assert Series.objects.get().occurrences.count() == 1
    assert messages_of(response) == [
        "The series was booked: 1 session. 1 occurrence on a day off was skipped."
    ]


def test_unknown_choice_is_refused(client_as, alice, sites, bridge, english):
    day_off = announced_day_off_ahead()

    response = client_as(alice).post(BOOK_URL, series_data(bridge, day_off, off_days="later"))

    assert response.context["form"].errors["off_days"] == [
        "Select a valid choice. later is not one of the available choices."
    ]
    assert Series.objects.count() == 0
