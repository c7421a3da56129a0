"""A confidential session's readiness, on every surface, for every persona.

Confidentiality is per person: the organiser and the invited see a confidential
session; neither the secretariat role nor the superuser is exempt, and the host
site's technicians see only their own leg unless they are invited. Whoever may
not watch gets exactly what a session that does not exist gives: 404 on the
pages, 4403 on the board socket.

Sites: TW; T01 (host), X0101, X0102, T02 take part. The session starts in 30
minutes; its window is open. tuan serves X0102 and has reported a note there.

Personas: alice organises; erin (secretariat), hoa (technician of T01) and carol
(attendee role only) are invited; dave (secretariat), the superuser and bob
(technician of T01) are not.
"""

import pytest
from asgiref.sync import sync_to_async

from accounts.roles import Role
from conferencing.readiness import CHECK_ITEMS, Report, submit_report
from meetings.models import Classification
from meetings.readiness.templatetags.readiness_ui import readiness_links
from tests.conferencing.websocket_helpers import (
    TECHNICIAN_PATH,
    board_path,
    close_code,
    nothing_more,
    receive,
    report,
    request,
    session_cookie,
    socket,
)
from tests.factories import BridgeFactory, UserFactory, open_session, serve, site_tree
from tests.meetings.refusals import MISSING, answer

TITLE = "Họp mật về phương án PA-17"
NOTE = "Phòng họp 3 đổi sang phòng 5-b7f1"
OTHER_SITE = "Điểm cầu X0102"
transactional = pytest.mark.django_db(transaction=True)

WATCHERS = ["alice", "erin", "hoa"]
REFUSED = ["dave", "admin", "bob", "carol"]
PERSONA_IDS = {
    "alice": "organiser",
    "erin": "invited-secretariat",
    "hoa": "invited-host-technician",
    "carol": "invited-attendee-without-a-watching-role",
    "dave": "uninvited-secretariat",
    "admin": "superuser",
    "bob": "uninvited-host-technician",
}


@pytest.fixture
def people(db, alice, bob, carol) -> dict:
    people = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": UserFactory(username="dave", roles=[Role.SECRETARIAT]),
        "erin": UserFactory(username="erin", roles=[Role.SECRETARIAT]),
        "hoa": UserFactory(username="hoa", roles=[Role.TECHNICIAN]),
        "tuan": UserFactory(username="tuan", roles=[Role.TECHNICIAN]),
        "admin": UserFactory(username="admin", is_superuser=True),
    }
    return people


@pytest.fixture
def secret(people):
    site_tree(provinces=2, communes=2)
    serve(people["bob"], "T01")
    serve(people["hoa"], "T01")
    serve(people["tuan"], "X0102")
    invited = tuple((people[name].pk, "member") for name in ["erin", "hoa", "carol"])
    meeting = open_session(
        people["alice"],
        sites=("T01", "X0101", "X0102", "T02"),
        host_code="T01",
        bridge_id=BridgeFactory().pk,
        details__title=TITLE,
        details__classification=Classification.CONFIDENTIAL,
        details__attendees=invited,
    )
    submit_report(Report(leg_of(meeting, "X0102"), "checking", note=NOTE), people["tuan"])
    return meeting


def leg_of(meeting, code: str) -> int:
    return meeting.conference.legs.get(endpoint__code=code).pk


@pytest.fixture
def legs(secret) -> dict[str, int]:
    return dict(secret.conference.legs.values_list("endpoint__code", "pk"))


PAGES = {
    "board": "/meetings/{id}/board/",
    "report": "/meetings/{id}/readiness/",
    "csv": "/meetings/{id}/readiness.csv",
    "province-csv": "/meetings/{id}/readiness.csv?by=province",
}
# What each page shows of the session when it may be watched.
SHOWN = {"board": TITLE, "report": OTHER_SITE, "csv": OTHER_SITE, "province-csv": "Điểm cầu T02"}


def url(page: str, meeting_id: int) -> str:
    return PAGES[page].format(id=meeting_id)


# --- the pages: board, report, both CSVs -------------------------------------------------------


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("persona", REFUSED, ids=[PERSONA_IDS[name] for name in REFUSED])
def test_readiness_page_of_a_confidential_session_is_a_missing_one_for(
    client_as, people, secret, persona, page
):
    client = client_as(people[persona])

    refused = client.get(url(page, secret.pk))
    missing = client.get(url(page, MISSING))

    assert answer(refused, secret.pk) == answer(missing, MISSING)
    assert refused.status_code == 404
    body = refused.content.decode()
    assert [text in body for text in (TITLE, OTHER_SITE, NOTE)] == [False, False, False]


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("persona", WATCHERS, ids=[PERSONA_IDS[name] for name in WATCHERS])
def test_readiness_page_of_a_confidential_session_is_open_to(
    client_as, people, secret, persona, page
):
    response = client_as(people[persona]).get(url(page, secret.pk))

    assert response.status_code == 200
    assert SHOWN[page] in response.content.decode()


@pytest.mark.parametrize(
    "persona", WATCHERS + REFUSED, ids=[PERSONA_IDS[name] for name in WATCHERS + REFUSED]
)
def test_readiness_links_of_a_confidential_session_follow_the_watch_rule(people, secret, persona):
    links = readiness_links(people[persona], secret)

    assert links["board"] is (persona in WATCHERS)


# --- the board socket --------------------------------------------------------------------------


@pytest.fixture
def cookies(people) -> dict[str, str]:
    return {name: session_cookie(user) for name, user in people.items()}


@transactional
@pytest.mark.usefixtures("released_connections")
@pytest.mark.parametrize("persona", REFUSED, ids=[PERSONA_IDS[name] for name in REFUSED])
async def test_board_socket_of_a_confidential_session_is_a_missing_one_for(
    secret, cookies, persona
):
    refused = await close_code(board_path(secret.conference_id), cookies[persona])
    missing = await close_code(board_path(secret.conference_id + 1000), cookies[persona])

    assert (refused, missing) == (4403, 4403)


@transactional
@pytest.mark.usefixtures("released_connections")
@pytest.mark.parametrize("persona", WATCHERS, ids=[PERSONA_IDS[name] for name in WATCHERS])
async def test_board_socket_of_a_confidential_session_shows_every_site_to(secret, cookies, persona):
    async with socket(board_path(secret.conference_id), cookies[persona]) as board:
        snapshot = await receive(board)

    cells = {cell["site"]: cell.get("note", "") for cell in snapshot["content"]["cells"]}
    assert cells == {"T01": "", "X0101": "", "X0102": NOTE, "T02": ""}


# --- the technician's console and socket: their own leg only -----------------------------------


def test_console_of_an_uninvited_host_technician_shows_only_their_own_leg(
    client_as, people, secret
):
    response = client_as(people["bob"]).get("/meetings/console/")

    html = response.content.decode()
    [session] = response.context["sessions"]
    assert [leg.leg.endpoint.code for leg in session.legs] == ["T01"]
    assert [text in html for text in (TITLE, OTHER_SITE, NOTE)] == [False, False, False]
    assert f"/meetings/{secret.pk}/" not in html


def test_console_of_an_invited_host_technician_names_the_session_and_links_its_board(
    client_as, people, secret
):
    response = client_as(people["hoa"]).get("/meetings/console/")

    html = response.content.decode()
    [session] = response.context["sessions"]
    assert [leg.leg.endpoint.code for leg in session.legs] == ["T01"]
    assert [text in html for text in (TITLE, OTHER_SITE, NOTE)] == [True, False, False]
    assert f'href="/meetings/{secret.pk}/board/"' in html


@transactional
@pytest.mark.usefixtures("released_connections")
async def test_technician_socket_of_an_uninvited_host_technician_carries_only_their_own_leg(
    people, secret, legs, cookies
):
    own, other = legs["T01"], legs["X0102"]

    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        ack = await request(phone, "report", report(own, "checking"))
        refused = await request(phone, "report", report(other, "ready"))
        await sync_to_async(submit_report)(
            Report(other, "ready", dict.fromkeys(CHECK_ITEMS, True), note=f"{NOTE} (2)"),
            people["tuan"],
        )
        quiet = await nothing_more(phone)

    assert (ack["type"], ack["content"]["leg"], sorted(ack["content"])) == (
        "ack",
        own,
        ["at", "leg", "replayed", "seq", "state"],
    )
    assert refused["type"] == "error"
    message = refused["content"]["message"]
    assert [text in message for text in (TITLE, OTHER_SITE, "X0102", NOTE)] == [False] * 4
    assert quiet is True
