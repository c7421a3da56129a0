"""The home page's parts (meetings.home.dashboard): what each role needs now.

alice: the central office's secretariat; bob: technician of X0101 and X0102; carol:
an attendee; hana: Hà Nội's secretariat (jurisdiction T01)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from meetings.booking import cancel
from meetings.home import dashboard
from meetings.models import Classification
from meetings.records.models import RecordStatus
from tests.factories import RecordVersionFactory, UserFactory, serve
from tests.meetings.home.helpers import publish_minutes, session_at, set_states


@pytest.fixture
def now():
    return timezone.now()


def today_at(now, hour: int):
    return dashboard.local_midnight(now) + timedelta(hours=hour)


def tomorrow_at(now, hour: int):
    return dashboard.local_midnight(now, 1) + timedelta(hours=hour)


# --- the secretariat -----------------------------------------------------------------------------


def test_the_office_sees_its_sessions_of_today_and_tomorrow_in_order(alice, sites, now):
    late_today = session_at(alice, today_at(now, 20), title="Tối nay")
    early_today = session_at(alice, today_at(now, 7), title="Sáng nay")
    tomorrow = session_at(alice, tomorrow_at(now, 8), title="Ngày mai")
    session_at(alice, dashboard.local_midnight(now, 2) + timedelta(hours=8), title="Ngày kia")
    session_at(alice, dashboard.local_midnight(now) - timedelta(hours=2), title="Hôm qua")

    part = dashboard.secretariat_part(alice, now)

    assert [[m.title for m in day.meetings] for day in part.days] == [
        [early_today.title, late_today.title],
        [tomorrow.title],
    ]
    assert part.days[1].day - part.days[0].day == timedelta(days=1)


def test_each_session_counts_its_ready_sites_and_its_problems(alice, sites, now):
    meeting = session_at(alice, today_at(now, 9), sites=("T01", "X0101", "X0102", "T02"))
    set_states(meeting, T01="ready", X0101="connected", X0102="problem", T02="disconnected")

    (shown,) = dashboard.secretariat_part(alice, now).days[0].meetings

    # Disconnected is a problem, as on the board.
    assert (shown.sites, shown.ready, shown.problems) == (4, 2, 2)


def test_another_offices_and_cancelled_sessions_are_not_the_offices(alice, hana, sites, now):
    session_at(hana, today_at(now, 9), sites=("T01", "X0101"))
    cancelled = session_at(alice, tomorrow_at(now, 10), sites=("T02",))
    cancel(cancelled, "Hoãn", alice)

    part = dashboard.secretariat_part(alice, now)

    assert [day.meetings for day in part.days] == [[], []]


def test_ended_sessions_without_published_minutes_are_listed_latest_first(alice, sites, now):
    older = session_at(alice, now - timedelta(days=3), title="Tuần này")
    newer = session_at(alice, now - timedelta(days=1), title="Hôm qua")
    published = session_at(alice, now - timedelta(days=2), title="Đã có biên bản")
    publish_minutes(published, now - timedelta(hours=5))
    drafted = session_at(alice, now - timedelta(days=4), title="Biên bản nháp")
    publish_minutes(drafted, now, status=RecordStatus.DRAFT)
    session_at(alice, now + timedelta(hours=3), title="Chưa họp")

    part = dashboard.secretariat_part(alice, now)

    assert [m.title for m in part.missing_minutes] == [newer.title, older.title, drafted.title]
    assert part.missing_minutes_count == 3


def test_the_missing_minutes_list_is_cut_but_counts_them_all(alice, sites, now, monkeypatch):
    monkeypatch.setattr(dashboard, "SHOWN", 2)
    for days in (1, 2, 3):
        session_at(alice, now - timedelta(days=days))

    part = dashboard.secretariat_part(alice, now)

    assert (len(part.missing_minutes), part.missing_minutes_count) == (2, 3)


def test_someone_who_acts_for_no_office_has_no_secretariat_part(carol, now):
    assert dashboard.secretariat_part(carol, now) is None


def test_a_confidential_session_alice_is_not_invited_to_is_not_on_her_colleagues_home(
    alice, sites, now
):
    lan = UserFactory(username="lan", roles=[Role.SECRETARIAT])
    session_at(lan, today_at(now, 9), classification=Classification.CONFIDENTIAL)

    assert [day.meetings for day in dashboard.secretariat_part(alice, now).days] == [[], []]


# --- technicians ---------------------------------------------------------------------------------


def test_a_technician_sees_the_next_7_days_with_when_each_window_opens(alice, serving, now):
    in_three_days = session_at(alice, now + timedelta(days=3), title="Thứ năm")
    in_an_hour = session_at(alice, now + timedelta(hours=1), title="Sắp họp")
    session_at(alice, now + timedelta(days=8), title="Tuần sau nữa")
    session_at(alice, now + timedelta(hours=2), sites=("T02",), title="Không phải điểm của bob")

    sessions = dashboard.technician_sessions(serving, now)

    assert [s.meeting.title for s in sessions] == [in_an_hour.title, in_three_days.title]
    assert [s.window_opens for s in sessions] == [
        in_an_hour.conference.reserved_from,
        in_three_days.conference.reserved_from,
    ]
    assert [s.window_open for s in sessions] == [True, False]
    assert sessions[0].sites == ["Điểm cầu X0101", "Điểm cầu X0102"]


def test_a_technician_sees_a_confidential_session_of_their_site_as_busy(alice, serving, now):
    session_at(alice, now + timedelta(days=1), classification=Classification.CONFIDENTIAL)

    (session,) = dashboard.technician_sessions(serving, now)

    assert session.title_visible is False


def test_a_technician_of_many_sites_sees_three_names_and_how_many_more(alice, serving, now):
    serve(serving, "T01", "T02", "X0201")
    session_at(alice, now + timedelta(days=1), sites=("T01", "X0101", "X0102", "T02", "X0201"))

    (session,) = dashboard.technician_sessions(serving, now)

    assert (len(session.shown_sites), session.more_sites) == (3, 2)


# --- attendees -----------------------------------------------------------------------------------


def test_an_attendee_sees_the_next_sessions_they_are_invited_to(alice, carol, sites, now):
    invited = session_at(alice, now + timedelta(days=2), attendees=[carol], title="Mời carol")
    session_at(alice, now + timedelta(days=1), title="Không mời")
    session_at(alice, now - timedelta(days=1), attendees=[carol], title="Đã qua")

    assert [m.title for m in dashboard.next_sessions(carol, now)] == [invited.title]


def test_an_attendee_sees_minutes_published_in_the_last_14_days_they_may_read(
    alice, carol, sites, now
):
    recent = publish_minutes(session_at(alice, now - timedelta(days=3), attendees=[carol]), now)
    publish_minutes(
        session_at(alice, now - timedelta(days=30), attendees=[carol]), now - timedelta(days=15)
    )
    publish_minutes(session_at(alice, now - timedelta(days=2), attendees=[carol]), now, "draft")
    publish_minutes(session_at(alice, now - timedelta(days=5)), now)  # carol not invited
    confidential = session_at(
        alice, now - timedelta(days=4), classification=Classification.CONFIDENTIAL
    )
    publish_minutes(confidential, now)

    assert dashboard.new_minutes(carol, now) == [recent]


def test_corrected_minutes_show_once_as_their_latest_version(alice, carol, sites, now):
    first = publish_minutes(session_at(alice, now - timedelta(days=3), attendees=[carol]), now)
    corrected = RecordVersionFactory(
        record=first.record, number=first.number + 1, status="published", published_at=now
    )

    assert dashboard.new_minutes(carol, now) == [corrected]


def test_a_session_running_since_before_midnight_is_todays(alice, sites, now):
    midnight = dashboard.local_midnight(now)
    overnight = session_at(alice, midnight - timedelta(hours=1), hours=3)
    # Ended at 22:00, on other sites (a site is in one session at a time, setup included).
    session_at(alice, midnight - timedelta(hours=4), hours=2, sites=("T02", "X0201"))

    part = dashboard.secretariat_part(alice, now)

    assert [[m.pk for m in day.meetings] for day in part.days] == [[overnight.pk], []]
