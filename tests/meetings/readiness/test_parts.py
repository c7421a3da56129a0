"""Readiness pages of a session another office owns: each office its part (issue 13).

Sites: TW; T01, T02; communes X0101…X0103 and X0201…X0203. The central office's
alice books a national session over TW, T01, X0101, X0102, T02, X0201, X0202; hoa
acts for T02's office (jurisdiction T02): the board page, the readiness report and
both CSVs show her T02, X0201 and X0202 only. An office the session does not touch
finds no such pages (404, as for a session that does not exist).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from conferencing import readiness
from conferencing.models import Endpoint, Leg, Level
from conferencing.site_selection import SiteSelection
from meetings.models import Meeting
from tests.factories import (
    BridgeFactory,
    EndpointFactory,
    OfficeFactory,
    UserFactory,
    booked,
    site_tree,
)
from tests.meetings.refusals import MISSING, answer

ALL_OK = dict.fromkeys(readiness.CHECK_ITEMS, True)

NATIONAL = ("TW", "T01", "X0101", "X0102", "T02", "X0201", "X0202")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def national(alice, sites) -> Meeting:
    """The central office's session, starting in 30 minutes (its window is open)."""
    start = (timezone.now() + timedelta(minutes=30)).replace(microsecond=0)
    return booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=NATIONAL),
        host_code="TW",
        slot__start=start,
        slot__end=start + timedelta(hours=2),
        details__title="Giao ban toàn quốc",
    )


@pytest.fixture
def hoa(sites):
    office = OfficeFactory(code="VP-T02", name="Văn phòng UBND T02", jurisdiction=sites["T02"])
    return UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[office])


@pytest.fixture
def tam(sites):
    """The secretariat of T03, a province the session does not touch."""
    t03 = EndpointFactory(code="T03", level=Level.PROVINCE, parent=sites["TW"])
    office = OfficeFactory(code="VP-T03", jurisdiction=t03)
    return UserFactory(username="tam", roles=[Role.SECRETARIAT], offices=[office])


@pytest.fixture
def reported(national, bob, sites) -> Meeting:
    """X0101 (T01's part) and X0201 (T02's part) reported ready, by their technician."""
    for code in ("X0101", "X0201"):
        sites[code].technicians.add(bob)
        leg = Leg.objects.get(conference=national.conference, endpoint__code=code)
        readiness.submit_report(readiness.Report(leg.pk, "checking"), bob)
        readiness.submit_report(readiness.Report(leg.pk, "ready", ALL_OK), bob)
    return national


def url(name: str, meeting: Meeting) -> str:
    return {
        "board": f"/meetings/{meeting.pk}/board/",
        "readiness": f"/meetings/{meeting.pk}/readiness/",
        "csv": f"/meetings/{meeting.pk}/readiness.csv",
    }[name]


def site_codes(html: str) -> list[str]:
    return re.findall(r'<tr data-site="(\w+)"', html)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_board_page_of_another_office_names_its_part_and_counts_its_sites(
    client_as, hoa, national, english
):
    html = client_as(hoa).get(url("board", national)).content.decode()

    part = re.search(
        r'<p class="board-part" id="board-part" data-sites="(\d+)">(.*?)</p>', html, re.S
    )
    assert part is not None
    assert part.group(1) == "3"
    text = " ".join(part.group(2).split())
    assert "Điểm cầu T02's part" in text
    assert "3 sites of the session" in text


def test_the_board_page_says_the_part_in_vietnamese(client_as, hoa, national):
    html = client_as(hoa).get(url("board", national)).content.decode()

    assert "Phần của Điểm cầu T02" in html
    assert "3 điểm cầu của phiên họp" in html


def test_the_owning_office_sees_the_whole_board_without_a_part(client_as, alice, national):
    response = client_as(alice).get(url("board", national))

    assert response.status_code == 200
    assert 'id="board-part"' not in response.content.decode()


@pytest.mark.parametrize("page", ["board", "readiness", "csv"])
def test_an_office_the_session_does_not_touch_finds_nothing(client_as, tam, national, page):
    missing = client_as(tam).get(url(page, national).replace(str(national.pk), str(MISSING)))
    refused = client_as(tam).get(url(page, national))

    assert refused.status_code == 404
    assert answer(refused, national.pk) == answer(missing, MISSING)


def test_the_report_of_a_part_covers_its_sites_only(client_as, hoa, reported, english):
    response = client_as(hoa).get(url("readiness", reported))

    html = response.content.decode()
    assert site_codes(html) == ["T02", "X0201", "X0202"]
    # X0201 became ready before the start: on time; the others not yet.
    assert response.context["summary"].totals == {"on_time": 1, "late": 0, "never": 2}
    assert [row.name for row in response.context["provinces"]] == ["Điểm cầu T02"]
    assert 'id="board-part"' in html


def test_the_owner_s_report_covers_every_site(client_as, alice, reported):
    response = client_as(alice).get(url("readiness", reported))

    assert site_codes(response.content.decode()) == list(
        Endpoint.objects.filter(code__in=NATIONAL).order_by("path").values_list("code", flat=True)
    )
    assert response.context["summary"].totals == {"on_time": 2, "late": 0, "never": 5}


def test_the_csv_of_a_part_lists_its_sites_only(client_as, hoa, reported, english):
    rows = csv_rows(client_as(hoa).get(url("csv", reported)))

    assert [row[0] for row in rows] == ["Site code", "T02", "X0201", "X0202"]


def test_the_csv_by_province_of_a_part_counts_its_province_only(client_as, hoa, reported, english):
    rows = csv_rows(client_as(hoa).get(url("csv", reported), {"by": "province"}))

    assert rows == [
        ["Province", "Ready on time", "Late", "Never ready"],
        ["Điểm cầu T02", "1", "0", "2"],
        ["All sites", "1", "0", "2"],
    ]
