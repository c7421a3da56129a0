"""The board socket shows each office its part of a session (issue 13).

The `session` fixture is the central office's (alice books it): T01 hosts T02 and the
communes X0101, X0102, X0201, X0202. T02's office watches T02 and its communes only,
live; an office whose jurisdiction the session does not touch is refused like a
conference that does not exist. Every test runs with the in-memory channel layer and
with Redis pub/sub.
"""

import asyncio

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from conferencing import jurisdiction, readiness_feed
from conferencing.consumers import CLOSE_UNAUTHORISED
from conferencing.models import Level
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
from tests.factories import EndpointFactory, OfficeFactory, UserFactory, serve

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("released_connections"),
]


def acting_cookie(user, office) -> str:
    """A sign-in of `user` that chose in the header to act for `office`."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[jurisdiction.SESSION_KEY] = office.pk
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def offices(readiness_sites):
    """T02's provincial office, and T03's, a province the session does not touch."""
    t03 = EndpointFactory(code="T03", level=Level.PROVINCE, parent=readiness_sites["TW"])
    return {
        "T02": OfficeFactory(code="VP-T02", jurisdiction=readiness_sites["T02"]),
        "T03": OfficeFactory(code="VP-T03", jurisdiction=t03),
    }


@pytest.fixture
def people(session, offices):
    """Session cookies: hoa of T02's office, tam of T03's, hai a member of both (two
    sign-ins, one acting for each), and the technician ngoc of X0201."""
    hoa = UserFactory(username="hoa", roles=[Role.SECRETARIAT], offices=[offices["T02"]])
    tam = UserFactory(username="tam", roles=[Role.SECRETARIAT], offices=[offices["T03"]])
    hai = UserFactory(
        username="hai", roles=[Role.SECRETARIAT], offices=[offices["T03"], offices["T02"]]
    )
    ngoc = UserFactory(username="ngoc", roles=[Role.TECHNICIAN])
    serve(ngoc, "X0201")
    return {
        "hoa": session_cookie(hoa),
        "tam": session_cookie(tam),
        "hai as T02": acting_cookie(hai, offices["T02"]),
        "hai as T03": acting_cookie(hai, offices["T03"]),
        "ngoc": session_cookie(ngoc),
    }


def sites_of(message: dict, legs: dict[str, int]) -> list[str]:
    codes = {leg: code for code, leg in legs.items()}
    return sorted(codes[cell["leg"]] for cell in message["content"]["cells"])


async def test_an_office_touched_by_the_session_gets_the_snapshot_of_its_part_only(
    channel_layer, session, legs, people
):
    async with socket(board_path(session.conference_id), people["hoa"]) as board:
        snapshot = await receive(board)

    assert snapshot["type"] == "snapshot"
    assert sites_of(snapshot, legs) == ["T02", "X0201", "X0202"]
    assert [group["key"] for group in snapshot["content"]["map"]["groups"]] == ["T02"]


async def test_what_a_part_board_asks_for_stays_within_its_part(
    channel_layer, session, legs, people
):
    async with socket(board_path(session.conference_id), people["hoa"]) as board:
        await receive(board)
        other_group = await request(board, "cells", {"group": "T01"})
        own_group = await request(board, "cells", {"group": "T02"})
        asked = await request(board, "cells", {"legs": [legs["X0101"], legs["X0201"]]})
        found = await request(board, "find", {"q": "diem cau"})
        pending = await request(board, "cells", {"states": ["pending"]})

    # T01's sites are none of its business: answered as if they did not exist.
    assert other_group["content"]["cells"] == []
    assert [c["site"] for c in own_group["content"]["cells"]] == ["T02", "X0201", "X0202"]
    assert [c["site"] for c in asked["content"]["cells"]] == ["X0201"]
    assert [c["site"] for c in found["content"]["cells"]] == ["T02", "X0201", "X0202"]
    # Every site is pending: only the part's come.
    assert [c["site"] for c in pending["content"]["cells"]] == ["T02", "X0201", "X0202"]


async def test_the_owning_office_gets_the_whole_board(channel_layer, session, legs, cookies):
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        snapshot = await receive(board)

    assert sites_of(snapshot, legs) == ["T01", "T02", "X0101", "X0102", "X0201", "X0202"]


async def test_an_office_the_session_does_not_touch_is_refused(channel_layer, session, people):
    assert await close_code(board_path(session.conference_id), people["tam"]) == 4403
    assert CLOSE_UNAUTHORISED == 4403


async def test_the_socket_acts_for_the_office_chosen_in_the_header(
    channel_layer, session, legs, people
):
    path = board_path(session.conference_id)

    assert await close_code(path, people["hai as T03"]) == 4403
    async with socket(path, people["hai as T02"]) as board:
        snapshot = await receive(board)
    assert sites_of(snapshot, legs) == ["T02", "X0201", "X0202"]


async def test_deltas_carry_only_the_part_and_keep_the_sequence_unbroken(
    channel_layer, session, legs, cookies, people
):
    path = board_path(session.conference_id)
    async with (
        socket(path, people["hoa"]) as part,
        socket(path, cookies["alice"]) as whole,
        socket(TECHNICIAN_PATH, cookies["bob"]) as bob,
        socket(TECHNICIAN_PATH, people["ngoc"]) as ngoc,
    ):
        part_seq = (await receive(part))["content"]["seq"]
        await receive(whole)

        outside = await request(bob, "report", report(legs["X0101"], "checking"))
        whole_first = await receive(whole)
        # Nothing in T02's part changed: its board hears nothing, and holds its seq.
        assert await nothing_more(part, timeout=readiness_feed.COALESCE_SECONDS * 3)
        pong = await request(part, "ping")

        inside = await request(ngoc, "report", report(legs["X0201"], "checking"))
        part_delta = await receive(part)
        whole_second = await receive(whole)

    assert (outside["type"], inside["type"]) == ("ack", "ack")
    assert sites_of(whole_first, legs) == ["X0101"]
    assert pong["content"] == {"seq": part_seq}
    assert sites_of(part_delta, legs) == ["X0201"]
    # The part's delta starts where its browser stands (board.js asks for a snapshot
    # otherwise) and brings it to the conference's sequence, like the whole board's.
    assert part_delta["content"]["since"] == part_seq
    assert part_delta["content"]["seq"] == inside["content"]["seq"]
    assert whole_second["content"]["seq"] == inside["content"]["seq"]
    assert sites_of(whole_second, legs) == ["X0201"]
    assert "path" not in part_delta["content"]["cells"][0]


async def test_boards_of_one_part_share_one_message_and_parts_get_their_own(
    channel_layer, session, legs, cookies, people
):
    path = board_path(session.conference_id)
    async with (
        socket(path, people["hoa"]) as first,
        socket(path, people["hai as T02"]) as second,
        socket(path, cookies["alice"]) as whole,
        socket(TECHNICIAN_PATH, people["ngoc"]) as ngoc,
    ):
        for board in (first, second, whole):
            await receive(board)
        await asyncio.sleep(readiness_feed.COALESCE_SECONDS * 2.5)  # the joins' own looks

        await request(ngoc, "report", report(legs["X0201"], "checking"))
        deltas = [await receive(board) for board in (first, second, whole)]

    assert deltas[0] == deltas[1]
    assert [sites_of(delta, legs) for delta in deltas] == [["X0201"]] * 3


async def test_a_part_board_asking_again_gets_its_part(channel_layer, session, legs, people):
    async with socket(board_path(session.conference_id), people["hoa"]) as board:
        await receive(board)
        again = await request(board, "snapshot")

    assert sites_of(again, legs) == ["T02", "X0201", "X0202"]
