"""GET /meetings/<id>/board/legs/<leg id>/: one site of the board in detail, for the
panel the board opens on a cell. Authorised exactly like the board
(visibility.board_part): a leg outside the viewer's part answers like a missing one.

Sites: TW; T01, T02; communes X0101…X0103 and X0201…X0203. The central office's
alice books a national session over TW, T01, X0101, X0102, T02, X0201; hoa acts for
T02's office; bob serves X0101 and X0201 (his phone 0912 345 678).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from conferencing import readiness
from conferencing.models import Leg
from conferencing.site_selection import SiteSelection
from tests.factories import BridgeFactory, OfficeFactory, UserFactory, booked, site_tree
from tests.meetings.refusals import MISSING, answer

NATIONAL = ("TW", "T01", "X0101", "X0102", "T02", "X0201")
ALL_OK = {"audio": True, "video": True, "network": True, "display": True}


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=3)


@pytest.fixture
def national(alice, sites):
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
def legs(national) -> dict[str, Leg]:
    return {
        leg.endpoint.code: leg
        for leg in Leg.objects.filter(conference=national.conference).select_related("endpoint")
    }


@pytest.fixture
def technician(bob, sites):
    bob.person.full_name = "Trần Văn Bình"
    bob.person.phone = "0912 345 678"
    bob.person.save()
    for code in ("X0101", "X0201"):
        sites[code].technicians.add(bob)
    return bob


@pytest.fixture
def hoa(sites):
    office = OfficeFactory(code="VP-T02", name="Văn phòng UBND T02", jurisdiction=sites["T02"])
    return UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[office])


def url(meeting_id: int, leg_id: int) -> str:
    return f"/meetings/{meeting_id}/board/legs/{leg_id}/"


def told(response, leg_id: int) -> tuple[int, bytes]:
    """What a 404 tells, the asked leg id set aside (the language form returns to it)."""
    status, body = answer(response, 0)
    return status, body.replace(f"/legs/{leg_id}/".encode(), b"/legs/ID/")


def report(user, leg: Leg, state: str, **fields) -> None:
    readiness.submit_report(readiness.Report(leg.pk, state, **fields), user)


def test_the_owning_office_reads_a_site_with_its_technician_and_its_reports(
    client_as, alice, national, legs, technician
):
    leg = legs["X0101"]
    report(technician, leg, "checking", checklist={"audio": True})
    report(
        technician,
        leg,
        "problem",
        checklist={**ALL_OK, "video": False},
        people_present=12,
        note="Mất tín hiệu hình ảnh từ camera",
    )

    response = client_as(alice).get(url(national.pk, leg.pk))

    assert response.status_code == 200
    detail = response.json()
    assert detail["name"] == leg.endpoint.name
    assert detail["site"] == "X0101"
    assert detail["state"] == "problem"
    assert detail["note"] == "Mất tín hiệu hình ảnh từ camera"
    assert detail["people"] == 12
    assert detail["checklist"] == {**ALL_OK, "video": False}
    assert detail["technicians"] == [{"name": "Trần Văn Bình", "phone": "0912 345 678"}]
    assert [(event["from"], event["to"], event["by"]) for event in detail["history"]] == [
        ("checking", "problem", "Trần Văn Bình"),
        ("pending", "checking", "Trần Văn Bình"),
    ]
    assert detail["history"][0]["note"] == "Mất tín hiệu hình ảnh từ camera"


def test_a_site_ready_despite_a_failed_check_shows_the_reason(
    client_as, alice, national, legs, technician
):
    leg = legs["X0101"]
    report(technician, leg, "checking")
    report(
        technician,
        leg,
        "ready",
        checklist={**ALL_OK, "audio": False},
        override_reason="Dùng micro dự phòng, đã thử tiếng tốt",
    )

    detail = client_as(alice).get(url(national.pk, leg.pk)).json()

    assert detail["state"] == "ready"
    assert detail["override"] == "Dùng micro dự phòng, đã thử tiếng tốt"
    assert detail["history"][0]["override"] == "Dùng micro dự phòng, đã thử tiếng tốt"


def test_a_site_never_reported_has_no_history(client_as, alice, national, legs):
    detail = client_as(alice).get(url(national.pk, legs["T02"].pk)).json()

    assert detail["state"] == "pending"
    assert detail["at"] is None
    assert detail["technicians"] == []
    assert detail["history"] == []


def test_another_office_reads_a_site_of_its_part(client_as, hoa, national, legs):
    response = client_as(hoa).get(url(national.pk, legs["X0201"].pk))

    assert response.status_code == 200
    assert response.json()["site"] == "X0201"


def test_a_site_outside_the_viewers_part_answers_like_a_missing_one(client_as, hoa, national, legs):
    client = client_as(hoa)

    outside = client.get(url(national.pk, legs["X0101"].pk))
    missing = client.get(url(national.pk, MISSING))

    assert outside.status_code == 404
    assert told(outside, legs["X0101"].pk) == told(missing, MISSING)


def test_a_leg_of_another_session_is_not_found_through_this_one(client_as, alice, sites, national):
    other = booked(
        alice,
        bridge_id=BridgeFactory().pk,
        sites=SiteSelection(sites=("X0103",)),
        host_code="X0103",
        details__title="Phiên khác",
    )
    leg = Leg.objects.get(conference=other.conference)

    response = client_as(alice).get(url(national.pk, leg.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_who_may_not_watch_the_board_finds_no_site(client_as, national, legs, persona, request):
    user = request.getfixturevalue(persona)
    client = client_as(user)

    refused = client.get(url(national.pk, legs["X0101"].pk))
    missing = client.get(url(MISSING, legs["X0101"].pk))

    assert refused.status_code == 404
    assert answer(refused, national.pk) == answer(missing, MISSING)


def test_the_site_is_refused_to_an_anonymous_visitor(client, national, legs):
    response = client.get(url(national.pk, legs["X0101"].pk))

    assert response.status_code == 302


@pytest.mark.parametrize("reports", [1, 3])
def test_the_queries_do_not_grow_with_the_reports_or_technicians(
    client_as, alice, national, legs, sites, reports, django_assert_num_queries
):
    leg = legs["X0101"]
    technicians = [UserFactory(username=f"kt{n}", roles=[Role.TECHNICIAN]) for n in range(reports)]
    sites["X0101"].technicians.add(*technicians)
    state = "checking"
    for n in range(reports):
        report(technicians[n], leg, state, note=f"lần {n}")
        state = "problem" if state == "checking" else "checking"
    client = client_as(alice)

    with django_assert_num_queries(9):
        response = client.get(url(national.pk, leg.pk))

    assert len(response.json()["history"]) == reports


def test_the_board_page_tells_its_script_where_a_sites_detail_is(client_as, alice, national):
    html = client_as(alice).get(f"/meetings/{national.pk}/board/").content.decode()

    assert f'data-leg-url="/meetings/{national.pk}/board/legs/"' in html
    assert 'id="leg-panel"' in html
