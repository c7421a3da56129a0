"""An office's month at a glance (meetings.month_glance): its sessions by week, held and
to come, and the share of their sites ready on time."""

from datetime import date, datetime, timedelta

import pytest

from accounts.roles import Role
from conferencing.models import Conference, ConferenceStatus, Endpoint, Leg, ReadinessEvent
from meetings.models import Classification, Meeting, MeetingStatus
from meetings.month_glance import month_glance, next_month, previous_month, weeks_of
from tests.factories import LOCAL_ZONE, BridgeFactory, UserFactory, central_office, site_tree

MARCH = date(2026, 3, 1)  # a Sunday
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=LOCAL_ZONE)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def office(sites):
    return central_office()


def session(
    organiser, office, start: datetime, reports: dict[str, tuple[str, int] | None], **fields
):
    """A session of `office` at these sites, written directly (booking refuses the past);
    each site's report: (state, minutes after the start), or None for no report."""
    conference_status = fields.pop("conference_status", ConferenceStatus.SCHEDULED)
    conference = Conference.objects.create(
        bridge=BridgeFactory(name="MCU"),
        start=start,
        end=start + timedelta(hours=1),
        setup_minutes=30,
        status=conference_status,
    )
    for seq, (code, report) in enumerate(reports.items(), start=1):
        leg = Leg.objects.create(
            conference=conference,
            endpoint_id=site_id(code),
            reserved_from=start - 30 * MINUTE,
            reserved_until=conference.end,
            is_reserved=conference_status == ConferenceStatus.SCHEDULED,
        )
        if report:
            state, minutes = report
            ReadinessEvent.objects.create(
                leg=leg,
                seq=seq,
                at=start + minutes * MINUTE,
                from_state="checking",
                to_state=state,
            )
    return Meeting.objects.create(
        title="Phiên", organiser=organiser, owner_office=office, conference=conference, **fields
    )


def site_id(code: str) -> int:
    return Endpoint.objects.get(code=code).pk


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=LOCAL_ZONE)


def test_weeks_run_monday_to_sunday_cut_to_the_month():
    assert weeks_of(date(2026, 12, 1)) == [
        (date(2026, 12, 1), date(2026, 12, 6)),
        (date(2026, 12, 7), date(2026, 12, 13)),
        (date(2026, 12, 14), date(2026, 12, 20)),
        (date(2026, 12, 21), date(2026, 12, 27)),
        (date(2026, 12, 28), date(2026, 12, 31)),
    ]
    assert weeks_of(MARCH)[0] == (date(2026, 3, 1), date(2026, 3, 1))
    assert len(weeks_of(MARCH)) == 6


def test_months_before_and_after():
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)


def test_the_month_counts_the_offices_sessions_by_week_and_their_sites_on_time(
    alice, office, sites
):
    session(alice, office, at(3, 9), {
        "T01": ("ready", -10),  # on time
        "X0101": ("ready", 5),  # late
        "X0102": ("problem", -20),  # never ready
    })  # fmt: skip
    session(alice, office, at(4, 14), {"T02": ("connected", -5)})
    session(alice, office, at(25, 9), {"T01": None})  # to come
    session(alice, office, at(10, 9), {"T01": ("ready", -5)}, status=MeetingStatus.CANCELLED,
            conference_status=ConferenceStatus.CANCELLED)  # fmt: skip
    hanoi_office = office.__class__.objects.create(
        code="VP-HN", name="Hà Nội", jurisdiction=sites["T01"]
    )
    session(alice, hanoi_office, at(11, 9), {"T01": ("ready", -5)})  # another office's
    session(alice, office, datetime(2026, 4, 1, 9, tzinfo=LOCAL_ZONE), {"T01": None})

    glance = month_glance(alice, office, MARCH, NOW)

    assert [(w.first.day, w.held, w.upcoming, w.sites, w.on_time) for w in glance.weeks] == [
        (1, 0, 0, 0, 0),
        (2, 2, 0, 4, 2),
        (9, 0, 0, 0, 0),
        (16, 0, 0, 0, 0),
        (23, 0, 1, 0, 0),
        (30, 0, 0, 0, 0),
    ]
    assert glance.weeks[1].on_time_percent == 50
    assert glance.weeks[0].on_time_percent is None
    assert glance.sessions == 3
    assert glance.on_time_percent == 50


def test_a_confidential_session_counts_but_is_not_looked_into(alice, office, sites):
    organiser = UserFactory(username="chu-tri", roles=[Role.SECRETARIAT])
    session(organiser, office, at(12, 9), {"X0201": ("ready", -5)},
            classification=Classification.CONFIDENTIAL)  # fmt: skip

    seen_by_alice = month_glance(alice, office, MARCH, NOW)
    seen_by_organiser = month_glance(organiser, office, MARCH, NOW)

    assert (seen_by_alice.weeks[2].held, seen_by_alice.weeks[2].sites) == (1, 0)
    assert (seen_by_organiser.weeks[2].held, seen_by_organiser.weeks[2].sites) == (1, 1)


@pytest.mark.parametrize("sessions", [1, 3])
def test_one_query_whatever_the_sessions_and_sites(
    alice, office, sites, sessions, django_assert_num_queries
):
    for day in (2, 9, 16)[:sessions]:
        session(alice, office, at(day, 9), {"T01": ("ready", -5), "X0101": ("ready", 5)})

    with django_assert_num_queries(1):
        glance = month_glance(alice, office, MARCH, NOW)

    assert glance.on_time == sessions
