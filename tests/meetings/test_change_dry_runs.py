"""The dry runs of the secretariat's changes (moving a session, changing its sites), the
selection a session keeps, and the count of a selection: what the change pages ask
while they are being filled in.

Sites: TW; T01, T02; communes X0101, X0102 under T01 and X0201, X0202 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

from datetime import timedelta

import pytest
from django.utils import translation

from conferencing.models import Conference, Endpoint, Level
from conferencing.site_selection import SiteSelection, as_provinces
from meetings.booking import (
    BookingError,
    Slot,
    booked_selection,
    cancel,
    check_change_sites,
    check_reschedule,
    count_sites,
    host_code_of,
)
from meetings.series import book_series, check_reschedule_following
from tests.factories import (
    BookingRequestFactory,
    BridgeFactory,
    booked,
    bulk_communes,
    central_office,
    local_time,
    office_of,
    site_tree,
    stored_counts,
)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def bridge(db):
    return BridgeFactory(name="MCU Trung ương", port_capacity=40)


def province(alice, bridge, code: str, start, hours: int = 2):
    return booked(
        alice,
        bridge_id=bridge.pk,
        sites=SiteSelection(subtrees=(code,)),
        host_code=code,
        slot__start=start,
        slot__end=start + hours * HOUR,
    )


# -- The selection a session keeps -----------------------------------------------------------


def test_booked_selection_is_the_one_booking_kept(alice, sites, bridge):
    selection = SiteSelection(levels=(Level.PROVINCE,), sites=("X0101",), exclude_sites=("T02",))
    meeting = booked(alice, bridge_id=bridge.pk, sites=selection, host_code="T01")

    assert booked_selection(meeting) == selection
    assert host_code_of(meeting) == "T01"


def test_booked_selection_without_one_kept_is_the_sites_one_by_one(alice, sites, bridge):
    meeting = province(alice, bridge, "T02", local_time(7, 8))
    Conference.objects.filter(pk=meeting.conference_id).update(site_selection={})
    meeting.conference.refresh_from_db()

    assert booked_selection(meeting) == SiteSelection(sites=("T02", "X0201", "X0202"))


# -- Changing the sites ------------------------------------------------------------------------


def test_check_change_sites_ignores_the_sessions_own_sites(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))

    report = check_change_sites(
        meeting, SiteSelection(levels=(Level.CENTRAL,), subtrees=("T01",)), "TW", alice
    )

    assert not report


def test_check_change_sites_names_the_busy_site_and_writes_nothing(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))
    busy = province(alice, bridge, "T02", local_time(7, 9))
    before = stored_counts()

    report = check_change_sites(meeting, SiteSelection(sites=("T01", "X0201")), "T01", alice)

    assert [(taken.site, taken.meeting_id) for taken in report.sites] == [("X0201", busy.pk)]
    assert stored_counts() == before


def test_check_change_sites_refuses_what_change_sites_refuses(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))

    with pytest.raises(BookingError) as refused:
        check_change_sites(meeting, SiteSelection(sites=("X0101",)), "T01", alice)

    assert (refused.value.field, refused.value.message) == (
        "host",
        "The host site must be one of the chosen sites.",
    )


def test_check_change_sites_of_a_cancelled_session_is_refused(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))
    cancel(meeting, "Hoãn", alice)
    meeting.refresh_from_db()

    with pytest.raises(BookingError) as refused:
        check_change_sites(meeting, SiteSelection(subtrees=("T01",)), "T01", alice)

    assert refused.value.message == "Only a scheduled session can be changed."


# -- Moving a session --------------------------------------------------------------------------


def test_check_reschedule_ignores_the_sessions_own_reservation(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))
    later = local_time(7, 9)

    assert not check_reschedule(meeting, Slot(later, later + 2 * HOUR, 60), alice)


def test_check_reschedule_names_the_session_in_the_way(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))
    busy = province(alice, bridge, "T01", local_time(7, 14))
    before = stored_counts()

    report = check_reschedule(meeting, Slot(local_time(7, 14), local_time(7, 15), 0), alice)

    assert {taken.meeting_id for taken in report.sites} == {busy.pk}
    assert [taken.site for taken in report.sites] == ["T01", "X0101", "X0102"]
    assert stored_counts() == before


def test_check_reschedule_into_the_past_is_refused(alice, sites, bridge):
    meeting = province(alice, bridge, "T01", local_time(7, 8))
    past = local_time(-1, 8)

    with pytest.raises(BookingError) as refused:
        check_reschedule(meeting, Slot(past, past + HOUR, 0), alice)

    assert refused.value.field == "start"


def test_check_reschedule_following_reports_each_occurrence(alice, sites, bridge):
    first = local_time(3, 8)
    request = BookingRequestFactory(bridge_id=bridge.pk, slot__start=first)
    occurrences = book_series(request, "FREQ=DAILY;COUNT=4", alice).booked
    busy = booked(alice, bridge_id=bridge.pk, slot__start=first + 3 * DAY + 4 * HOUR)
    new_start = first + DAY + 4 * HOUR

    checked = check_reschedule_following(
        occurrences[1], Slot(new_start, new_start + 2 * HOUR, 60), alice
    )

    assert [slot.start for slot, _report in checked] == [
        first + k * DAY + 4 * HOUR for k in (1, 2, 3)
    ]
    assert [[t.meeting_id for t in report.sites] for _slot, report in checked] == [
        [],
        [],
        [busy.pk],
    ]


# -- Counting a selection ----------------------------------------------------------------------


def test_count_sites_counts_what_booking_would_reserve(sites):
    office = central_office()
    selection = SiteSelection(levels=(Level.PROVINCE,), subtrees=("T01",), exclude_sites=("X0102",))

    assert count_sites(selection, office) == 3  # T01, T02, X0101


def test_count_sites_refuses_sites_outside_the_jurisdiction(sites):
    office = office_of(sites["T01"], "VP-HN")

    with pytest.raises(BookingError) as refused:
        count_sites(SiteSelection(sites=("X0101", "X0201")), office)

    assert refused.value.field == "sites"
    assert "X0201" in refused.value.message


def test_count_sites_within_a_province_counts_its_level_only(sites):
    office = office_of(sites["T01"], "VP-HN")

    assert count_sites(SiteSelection(levels=(Level.COMMUNE,)), office) == 2


@pytest.mark.parametrize("communes", [1, 400])
def test_count_sites_queries_do_not_grow_with_the_sites(sites, communes, django_assert_num_queries):
    office = central_office()
    bulk_communes(sites["T02"], communes)
    office.jurisdiction  # noqa: B018 - loaded here, not counted below

    with django_assert_num_queries(2):
        counted = count_sites(SiteSelection(subtrees=("T02",), sites=("T01",)), office)

    assert counted == communes + 4  # T01, T02, X0201, X0202 and the new ones


# -- Sites one by one as provinces ----------------------------------------------------------------


def test_as_provinces_makes_whole_provinces_of_their_sites(sites):
    selection = SiteSelection(sites=("TW", "T01", "X0101", "X0102", "T02", "X0201"))

    assert as_provinces(selection) == SiteSelection(subtrees=("T01",), sites=("TW", "T02", "X0201"))


def test_as_provinces_leaves_inactive_sites_out_of_the_whole(sites):
    Endpoint.objects.filter(code="X0202").update(is_active=False)
    selection = SiteSelection(sites=("T02", "X0201"))

    assert as_provinces(selection) == SiteSelection(subtrees=("T02",))


def test_as_provinces_keeps_any_other_selection(sites):
    selection = SiteSelection(levels=(Level.CENTRAL,), sites=("T01", "X0101", "X0102"))

    assert as_provinces(selection) == selection
