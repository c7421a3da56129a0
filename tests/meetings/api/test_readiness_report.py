"""The readiness report as JSON (meetings.api.readiness): totals and provinces, and the
sites a page at a time, of the part the viewer watches; the HTML report's authority.

Sites: TW; T01, T02; communes X0101…X0103 and X0201…X0203. alice (the centre) books a
national session over TW, T01, X0101, X0102, T02, X0201, X0202, its window open; hoa
acts for T02's office; X0101 and X0201 reported ready on time (bob serves them).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from conferencing import readiness
from conferencing.models import Leg
from conferencing.site_selection import SiteSelection
from meetings.models import Meeting
from tests.factories import BridgeFactory, OfficeFactory, UserFactory, booked, site_tree
from tests.problems import field_errors, members

ALL_OK = dict.fromkeys(readiness.CHECK_ITEMS, True)
NATIONAL = ("TW", "T01", "X0101", "X0102", "T02", "X0201", "X0202")


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def national(alice, bob, sites) -> Meeting:
    start = (timezone.now() + timedelta(minutes=30)).replace(microsecond=0)
    meeting = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=NATIONAL),
        host_code="TW",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
    )
    for code in ("X0101", "X0201"):
        sites[code].technicians.add(bob)
        leg = Leg.objects.get(conference=meeting.conference, endpoint__code=code)
        readiness.submit_report(readiness.Report(leg.pk, "checking"), bob)
        readiness.submit_report(readiness.Report(leg.pk, "ready", ALL_OK), bob)
    return meeting


@pytest.fixture
def hoa(sites):
    office = OfficeFactory(code="VP-T02", name="Văn phòng UBND T02", jurisdiction=sites["T02"])
    return UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[office])


def report_url(meeting: Meeting) -> str:
    return f"/api/v1/meetings/{meeting.pk}/readiness/"


def sites_url(meeting: Meeting) -> str:
    return f"/api/v1/meetings/{meeting.pk}/readiness/sites/"


def test_the_owner_gets_the_totals_and_every_province(api_as, alice, national):
    response = api_as(alice).get(report_url(national))

    assert response.status_code == 200
    body = response.json()
    assert (body["meeting"], body["conference"], body["whole"]) == (
        national.pk,
        national.conference_id,
        True,
    )
    assert body["totals"] == {"on_time": 2, "late": 0, "never": 5}
    assert {row["code"]: (row["on_time"], row["never"]) for row in body["provinces"]} == {
        "": (0, 1),
        "T01": (1, 2),
        "T02": (1, 2),
    }
    assert body["sites"] == sites_url(national)


def test_another_office_gets_its_part_only(api_as, hoa, national):
    body = api_as(hoa).get(report_url(national)).json()

    assert (body["whole"], body["totals"]) == (False, {"on_time": 1, "late": 0, "never": 2})
    assert [row["code"] for row in body["provinces"]] == ["T02"]


def test_the_sites_come_in_tree_order_with_what_they_reported(api_as, alice, national):
    response = api_as(alice).get(sites_url(national))

    rows = response.json()["results"]
    assert [row["code"] for row in rows] == ["TW", "T01", "X0101", "X0102", "T02", "X0201", "X0202"]
    x0101 = rows[2]
    assert (x0101["final_state"], x0101["punctuality"], x0101["unchecked"]) == (
        "ready",
        "on_time",
        [],
    )
    assert x0101["late_by_minutes"] is None
    assert response.json()["next"] is None


def test_the_sites_of_one_province_needing_attention(api_as, alice, national):
    response = api_as(alice).get(sites_url(national), {"province": "T02", "attention": "true"})

    assert [row["code"] for row in response.json()["results"]] == ["T02", "X0202"]


def test_the_sites_come_a_page_at_a_time(api_as, alice, national):
    client = api_as(alice)
    codes, url = [], f"{sites_url(national)}?limit=3"

    while url:
        page = client.get(url).json()
        codes += [row["code"] for row in page["results"]]
        url = page["next"]

    assert codes == list(NATIONAL)


def test_a_bad_limit_is_400(api_as, alice, national):
    response = api_as(alice).get(sites_url(national), {"limit": 0})

    assert response.status_code == 400
    assert field_errors(response) == {"limit": ["Ensure this value is greater than or equal to 1."]}


def test_a_bad_cursor_is_400(api_as, alice, national):
    response = api_as(alice).get(sites_url(national), {"cursor": "%%%"})

    assert response.status_code == 400
    assert field_errors(response) == {"cursor": ["Invalid cursor."]}


@pytest.mark.parametrize("path", [report_url, sites_url])
def test_a_session_the_user_may_not_watch_answers_as_missing(api_as, carol, national, path):
    refused = api_as(carol).get(path(national))
    missing = api_as(carol).get(path(Meeting(pk=999_999)))

    assert (refused.status_code, members(refused)) == (404, members(missing))


@pytest.mark.parametrize("path", [report_url, sites_url])
def test_anonymous_is_401(api, national, path):
    assert api.get(path(national)).status_code == 401


@pytest.mark.parametrize("communes", [1, 3])
def test_the_report_and_its_sites_take_the_same_queries_whatever_their_number(
    api_as, alice, communes, django_assert_num_queries
):
    tree = site_tree(provinces=1, communes=communes)
    start = (timezone.now() + timedelta(minutes=30)).replace(microsecond=0)
    meeting = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=tuple(code for code in tree if code != "TW")),
        host_code="T01",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
    )
    client = api_as(alice)

    # Session, user, roles; the meeting; watchable, acting office (board_part); the
    # provinces, the legs, their events; and for the report its provinces' names.
    with django_assert_num_queries(9):
        client.get(report_url(meeting))
    with django_assert_num_queries(9):
        client.get(sites_url(meeting))
