"""The agenda: upcoming sessions in local time order, grouped by local day, its filters,
paging and query count.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conferencing.site_selection import SiteSelection
from meetings.booking import cancel as cancel_meeting
from meetings.models import Attendee, Meeting
from tests.factories import booked, local_time
from tests.meetings.views.pages import AGENDA_URL, DAY, book_province


def book_sites(user, bridge, codes: str, start) -> Meeting:
    chosen = tuple(codes.split())
    return booked(
        user,
        bridge_id=bridge.pk,
        sites=SiteSelection(sites=chosen),
        host_code=chosen[0],
        slot__start=start,
    )


def test_agenda_lists_upcoming_scheduled_sessions_in_time_order(
    client_as, alice, bridge, meeting, english
):
    later = book_province(alice, bridge, "T02", local_time(DAY + 1, 8))
    earlier = book_province(alice, bridge, "T02", local_time(DAY - 1, 8))
    cancelled = book_province(alice, bridge, "T02", local_time(DAY + 2, 8))
    cancel_meeting(cancelled, "Hoãn", alice)

    response = client_as(alice).get(AGENDA_URL)

    assert response.context["rows"] == [earlier, meeting, later]
    row = response.context["rows"][1]
    assert (row.host_name, row.site_count) == ("Điểm cầu T01", 4)
    count = re.search(r'id="result-count">(.*?)</p>', response.content.decode(), re.S)
    assert count.group(1).strip() == "3 sessions"


def test_agenda_leaves_out_sessions_that_are_over(client_as, alice, bridge, meeting):
    past = book_province(alice, bridge, "T02", local_time(DAY, 8))
    ago = timezone.now() - timedelta(hours=3)
    type(past.conference).objects.filter(pk=past.conference_id).update(
        start=ago, end=ago + timedelta(hours=1)
    )

    response = client_as(alice).get(AGENDA_URL)

    assert response.context["rows"] == [meeting]


def test_agenda_groups_rows_under_their_local_day(client_as, alice, meeting, english):
    response = client_as(alice).get(AGENDA_URL)

    day = timezone.localtime(meeting.conference.start)
    assert f'<th scope="rowgroup" colspan="5">{day:%A, %d/%m/%Y}</th>' in response.content.decode()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"province": "T01"}, ["t01"]),
        ({"province": "T02"}, ["t02"]),
        ({"level": "commune"}, ["t01", "t02"]),
        ({"level": "central"}, ["tw"]),
        ({"level": "province", "province": "T02"}, ["t02"]),
    ],
)
def test_agenda_filters_by_level_and_province(client_as, alice, bridge, sites, filters, expected):
    booked_ = {
        "t01": book_province(alice, bridge, "T01", local_time(DAY, 8)),
        "t02": book_province(alice, bridge, "T02", local_time(DAY, 9)),
        "tw": book_sites(alice, bridge, "TW", local_time(DAY, 10)),
    }

    response = client_as(alice).get(AGENDA_URL, filters)

    assert response.context["rows"] == [booked_[name] for name in expected]


def test_agenda_mine_keeps_sessions_i_organise_attend_or_serve(
    client_as, alice, dung, bob, sites, bridge, meeting
):
    attended = book_sites(dung, bridge, "TW", local_time(DAY, 12))
    served = book_province(dung, bridge, "T02", local_time(DAY, 16))
    book_sites(dung, bridge, "TW", local_time(DAY + 1, 8))
    Attendee.objects.create(meeting=attended, user=alice)
    sites["X0201"].technicians.add(alice)

    response = client_as(alice).get(AGENDA_URL, {"mine": "on"})

    assert response.context["rows"] == [meeting, attended, served]


def test_agenda_unknown_province_is_a_form_error(client_as, alice, meeting, english):
    response = client_as(alice).get(AGENDA_URL, {"province": "NOPE"})

    assert response.context["form"].errors == {
        "province": ["Select a valid choice. NOPE is not one of the available choices."]
    }
    assert response.context["rows"] == []


def test_agenda_paginates_and_keeps_filters(client_as, alice, bridge, sites, monkeypatch):
    monkeypatch.setattr("meetings.views.lists.PAGE_SIZE", 2)
    for hour in (8, 11, 14):
        book_province(alice, bridge, "T01", local_time(DAY, hour), hours=1)

    response = client_as(alice).get(AGENDA_URL, {"province": "T01"})

    assert len(response.context["rows"]) == 2
    assert b'href="?province=T01&amp;page=2"' in response.content


@pytest.mark.parametrize("count", [1, 3])
def test_agenda_query_count_is_constant(
    client_as, bob, alice, sites, bridge, django_assert_num_queries, count
):
    sites["X0101"].technicians.add(bob)
    for number in range(count):
        book_province(alice, bridge, "T01", local_time(DAY + number, 8))
    client = client_as(bob)

    # session, user, roles, provinces of the filter, count, page, which rows show details
    # One query more since issue #13: the offices the user acts for (the header's office);
    # one since #15: the levels the tree uses (the level filter offers no others).
    with django_assert_num_queries(9):
        response = client.get(AGENDA_URL)

    assert len(response.context["rows"]) == count
