"""The lists' office filter: "sessions of my office" and "sessions touching my
jurisdiction" (SiteFilters.office_scope), on the agenda, the week and
GET /api/v1/meetings/?office_scope=…, offered to the secretariat of an office only.

Sites: TW; T01 (Hà Nội), T02, each with communes X0101, X0201. Offices: VPCP (TW; alice),
VP-HN (T01; hoa), VP-T02 (T02; tam); kim belongs to VPCP and VP-HN. One day next week:
- national: the centre's, at TW, T01, X0101 and T02;
- hanoi: Hà Nội's own, at T01 and X0101;
- t02: VP-T02's own, at T02 and X0201; hoa is invited to it;
- central_t02: the centre's, at X0201 only.
"""

from datetime import timedelta

import pytest
from django.conf import settings

from accounts.roles import Role
from conferencing.site_selection import SiteSelection
from meetings.models import Attendee, AttendeeRole
from tests.factories import (
    BridgeFactory,
    UserFactory,
    booked,
    central_office,
    local_time,
    office_of,
    site_tree,
)
from tests.problems import field_errors

DAY = 7
NAMES = ("national", "hanoi", "t02", "central_t02")


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=1)


@pytest.fixture
def hoa(sites):
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[])
    office_of(sites["T01"], "VP-HN", hoa)
    return hoa


@pytest.fixture
def tam(sites):
    tam = UserFactory(username="tam", roles=[Role.SECRETARIAT], offices=[])
    office_of(sites["T02"], "VP-T02", tam)
    return tam


@pytest.fixture
def kim(hoa):
    return UserFactory(
        username="kim", roles=[Role.SECRETARIAT], offices=[central_office(), hoa.offices.get()]
    )


def session(user, codes: tuple[str, ...], hour: int, title: str):
    office = user.offices.get()
    return booked(
        user,
        bridge_id=BridgeFactory(name=f"MCU {office.code}", owner=office).pk,
        sites=SiteSelection(sites=codes),
        host_code=codes[0],
        slot__start=local_time(DAY, hour),
        slot__end=local_time(DAY, hour) + timedelta(hours=2),
        details__title=title,
    )


@pytest.fixture
def schedule(alice, hoa, tam):
    meetings = {
        "national": session(alice, ("TW", "T01", "X0101", "T02"), 7, "Giao ban toàn quốc"),
        "hanoi": session(hoa, ("T01", "X0101"), 11, "Giao ban Hà Nội"),
        "t02": session(tam, ("T02", "X0201"), 15, "Giao ban T02"),
        "central_t02": session(alice, ("X0201",), 19, "Làm việc với X0201"),
    }
    Attendee.objects.create(meeting=meetings["t02"], user=hoa, role=AttendeeRole.MEMBER)
    return {meeting.pk: name for name, meeting in meetings.items()}


def names(schedule, ids) -> list[str]:
    return sorted(schedule[pk] for pk in ids)


def web(client, schedule, page: str = "agenda", **query) -> list[str]:
    if page == "agenda":
        response = client.get("/meetings/", query)
        ids = [row.pk for row in response.context["rows"]]
    else:
        start = local_time(DAY, 8).date().isoformat()
        response = client.get("/meetings/week/", {"start": start, **query})
        ids = [meeting.pk for day in response.context["days"] for meeting in day.meetings]
    assert response.status_code == 200
    return names(schedule, ids)


def api(client, schedule, **query) -> list[str]:
    response = client.get("/api/v1/meetings/", query)
    assert response.status_code == 200
    return names(schedule, [item["id"] for item in response.json()["results"]])


@pytest.mark.parametrize("page", ["agenda", "week"])
@pytest.mark.parametrize(
    ("persona", "scope", "shown"),
    [
        ("alice", "", ["central_t02", "hanoi", "national", "t02"]),
        ("alice", "office", ["central_t02", "national"]),
        ("alice", "jurisdiction", ["central_t02", "hanoi", "national", "t02"]),
        ("hoa", "", ["hanoi", "national", "t02"]),
        ("hoa", "office", ["hanoi"]),
        ("hoa", "jurisdiction", ["hanoi", "national"]),
        ("tam", "office", ["t02"]),
        ("tam", "jurisdiction", ["central_t02", "national", "t02"]),
    ],
)
def test_lists_filter_by_office_scope(client, request, schedule, page, persona, scope, shown):
    client.force_login(request.getfixturevalue(persona))

    assert web(client, schedule, page, office_scope=scope) == shown
    assert api(client, schedule, **({"office_scope": scope} if scope else {})) == shown


def test_the_office_filter_follows_the_office_one_acts_for(client, schedule, kim):
    client.force_login(kim)
    first = web(client, schedule, office_scope="office")  # VP-HN: the first by code

    client.post("/offices/act/", {"office": kim.offices.get(code="VPCP").pk})

    assert first == ["hanoi"]
    assert web(client, schedule, office_scope="office") == ["central_t02", "national"]
    assert api(client, schedule, office_scope="office") == ["central_t02", "national"]
    assert web(client, schedule, office_scope="jurisdiction") == list(sorted(NAMES))


def test_the_office_filter_is_offered_to_the_secretariat_of_an_office_only(
    client, schedule, hoa, carol
):
    client.force_login(hoa)
    secretariat = client.get("/meetings/").content.decode()
    client.force_login(carol)
    attendee = client.get("/meetings/", {"office_scope": "office"})

    assert 'name="office_scope"' in secretariat
    assert '<option value="office">Phiên họp của đơn vị tôi</option>' in secretariat
    assert 'name="office_scope"' not in attendee.content.decode()
    assert attendee.context["form"].is_valid()


def test_api_office_scope_answers_nothing_for_someone_without_an_office(client, schedule, carol):
    Attendee.objects.create(meeting_id=next(iter(schedule)), user=carol)
    client.force_login(carol)

    assert api(client, schedule) == ["national"]
    assert api(client, schedule, office_scope="office") == []
    assert api(client, schedule, office_scope="jurisdiction") == []


def test_api_unknown_office_scope_is_a_400(client, schedule, hoa):
    client.force_login(hoa)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/api/v1/meetings/", {"office_scope": "nation"})

    assert response.status_code == 400
    assert field_errors(response) == {"office_scope": ['"nation" is not a valid choice.']}


def test_web_unknown_office_scope_is_a_filter_error(client, schedule, hoa):
    client.force_login(hoa)

    response = client.get("/meetings/", {"office_scope": "nation"})

    assert list(response.context["form"].errors) == ["office_scope"]
    assert response.context["rows"] == []
