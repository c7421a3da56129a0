"""What a socket client reads from the meeting API (meetings.api.live): the detail's
`live` (conference, legs path, socket paths, each only for a viewer who may open it) and
GET /api/v1/meetings/{id}/legs/, the watched part's legs with cursor pagination.

Tree: TW → HN (HN-01, HN-02), HCM (HCM-01); alice is the centre's secretariat (the
owning office), hoa Hà Nội's; bob serves HN; carol is invited.
"""

import pytest

from accounts.roles import Role
from conferencing.models import Endpoint
from config.consumers import UnknownPathConsumer
from config.websocket_routes import websocket_urlpatterns
from meetings.api.live import BOARD_SOCKET, TECHNICIAN_SOCKET
from meetings.models import AttendeeRole, Classification
from tests.factories import EndpointFactory, UserFactory, office_of
from tests.meetings.api.helpers import LIST_URL, at, booked
from tests.problems import members

ALL_SITES = ("TW", "HN", "HN-01", "HN-02", "HCM", "HCM-01")


@pytest.fixture
def hoa(tree):
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[])
    office_of(tree["hanoi"], "VP-HN", hoa, name="Văn phòng UBND Hà Nội")
    return hoa


@pytest.fixture
def national(alice, carol, tree, bridge):
    return booked(
        alice,
        bridge,
        at(2, 8),
        sites=ALL_SITES,
        host="TW",
        attendees=((carol.pk, AttendeeRole.MEMBER),),
    )


def live_of(client, meeting) -> dict:
    return client.get(f"{LIST_URL}{meeting.pk}/").json()["live"]


def legs_url(meeting) -> str:
    return f"{LIST_URL}{meeting.pk}/legs/"


def board(meeting) -> str:
    return f"/ws/conferences/{meeting.conference_id}/board/"


def test_the_owning_office_gets_the_legs_and_the_board(api_as, alice, national):
    assert live_of(api_as(alice), national) == {
        "conference": national.conference_id,
        "legs": legs_url(national),
        "sockets": {"board": board(national), "console": None},
    }


def test_a_technician_of_a_site_gets_the_console_and_the_board_of_his_part(
    api_as, bob, national, hoa
):
    # bob serves HN, a participant: he watches no board (only the host's technicians do).
    assert live_of(api_as(bob), national) == {
        "conference": national.conference_id,
        "legs": None,
        "sockets": {"board": None, "console": "/ws/readiness/"},
    }


def test_another_office_the_session_touches_gets_its_part(api_as, hoa, national):
    live = live_of(api_as(hoa), national)

    assert (live["legs"], live["sockets"]["board"]) == (legs_url(national), board(national))


def test_an_attendee_gets_nothing_to_open(api_as, carol, national):
    assert live_of(api_as(carol), national) == {
        "conference": national.conference_id,
        "legs": None,
        "sockets": {"board": None, "console": None},
    }


def test_the_socket_paths_are_routes_of_the_socket_server():
    for path in (BOARD_SOCKET.format(conference_id=12), TECHNICIAN_SOCKET):
        matched = next(
            route
            for route in websocket_urlpatterns
            if route.pattern.match(path.removeprefix("/")) is not None
        )
        assert matched.callback.consumer_class is not UnknownPathConsumer, path


@pytest.mark.parametrize("communes", [1, 5])
def test_the_detail_takes_the_same_queries_whatever_the_number_of_sites(
    api_as, alice, tree, bridge, communes, django_assert_num_queries
):
    codes = tuple(
        EndpointFactory(code=f"HN-B{number}", name=f"Xã {number}", parent=tree["hanoi"]).code
        for number in range(communes)
    )
    meeting = booked(alice, bridge, at(2, 8), sites=("HN", *codes), host="HN")
    client = api_as(alice)

    # Session, user, roles, acting office; the meeting; legs; attendees; readable;
    # live: watchable, acting office, serving.
    with django_assert_num_queries(11):
        client.get(f"{LIST_URL}{meeting.pk}/")


# --- GET /meetings/{id}/legs/ --------------------------------------------------------------------


def test_the_legs_come_in_tree_order_for_the_whole_board(api_as, alice, national):
    response = api_as(alice).get(legs_url(national))

    assert response.status_code == 200
    rows = response.json()["results"]
    in_tree_order = Endpoint.objects.filter(code__in=ALL_SITES).order_by("path")
    assert [row["code"] for row in rows] == [site.code for site in in_tree_order]
    assert (rows[0]["code"], rows[0]["role"]) == ("TW", "host")
    assert set(rows[0]) == {"id", "code", "name", "level", "role"}
    assert response.json()["next"] is None


def test_another_office_sees_only_the_legs_in_its_jurisdiction(api_as, hoa, national):
    response = api_as(hoa).get(legs_url(national))

    assert {row["code"] for row in response.json()["results"]} == {"HN", "HN-01", "HN-02"}


def test_the_legs_come_a_page_at_a_time_by_cursor(api_as, alice, national):
    client = api_as(alice)
    codes, url = [], f"{legs_url(national)}?limit=4"

    while url:
        page = client.get(url).json()
        codes += [row["code"] for row in page["results"]]
        url = page["next"]

    assert sorted(codes) == sorted(ALL_SITES)
    assert len(codes) == len(ALL_SITES)


@pytest.mark.parametrize(
    ("query", "field"),
    [({"cursor": "not-a-cursor"}, "cursor"), ({"limit": "many"}, "limit"), ({"page": "2"}, "page")],
)
def test_legs_refuse_a_query_they_cannot_read_as_400_naming_it(
    api_as, alice, national, query, field
):
    response = api_as(alice).get(legs_url(national), query)

    assert response.status_code == 400
    assert members(response)["code"] == "invalid"
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("persona", ["carol", "bob"])
def test_legs_of_a_session_the_user_may_not_watch_answer_as_missing(
    api_as, national, request, persona
):
    client = api_as(request.getfixturevalue(persona))

    refused = client.get(legs_url(national))
    missing = client.get(f"{LIST_URL}999999/legs/")

    assert (refused.status_code, members(refused)) == (404, members(missing))


def test_legs_of_a_confidential_session_are_404_to_its_office_when_not_invited(
    api_as, alice, dave, tree, bridge
):
    secret = booked(dave, bridge, at(2, 8), classification=Classification.CONFIDENTIAL)

    assert api_as(alice).get(legs_url(secret)).status_code == 404


def test_legs_anonymous_is_401(api, national):
    assert api.get(legs_url(national)).status_code == 401


@pytest.mark.parametrize("communes", [1, 5])
def test_the_legs_take_the_same_queries_whatever_their_number(
    api_as, alice, tree, bridge, communes, django_assert_num_queries
):
    codes = tuple(
        EndpointFactory(code=f"HN-B{number}", name=f"Xã {number}", parent=tree["hanoi"]).code
        for number in range(communes)
    )
    meeting = booked(alice, bridge, at(2, 8), sites=("HN", *codes), host="HN")
    client = api_as(alice)

    # Session, user, roles; the meeting; watchable, acting office; the page.
    with django_assert_num_queries(7):
        response = client.get(legs_url(meeting))

    assert len(response.json()["results"]) == communes + 1
