"""One feed per conference and process, shared by its boards (conferencing.readiness_feed).

Boards and phones are real sockets of the ASGI application; the database query is
only counted (the real one runs).
"""

import asyncio
import json

import pytest

from conferencing import readiness_board, readiness_feed
from tests.conferencing.websocket_helpers import (
    TECHNICIAN_PATH,
    board_path,
    receive,
    report,
    request,
    socket,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("released_connections"),
]


@pytest.fixture
def counted_queries(monkeypatch) -> list[int]:
    """The `since` of each changes_since the feeds run."""
    calls: list[int] = []
    real = readiness_board.changes_since

    def counting(conference_id: int, since: int) -> dict:
        calls.append(since)
        return real(conference_id, since)

    monkeypatch.setattr(readiness_board, "changes_since", counting)
    return calls


async def test_boards_of_one_session_share_one_query_and_one_message(
    channel_layer, session, legs, cookies, counted_queries
):
    path = board_path(session.conference_id)
    async with (
        socket(path, cookies["alice"]) as first,
        socket(path, cookies["bob"]) as second,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(first), await receive(second)  # snapshots
        await asyncio.sleep(readiness_feed.COALESCE_SECONDS * 2.5)  # the joins' own looks
        counted_queries.clear()

        ack = await request(phone, "report", report(legs["T01"], "checking"))
        deltas = [await receive(first), await receive(second)]

    assert ack["type"] == "ack"
    assert deltas[0] == deltas[1]
    assert (deltas[0]["type"], [c["leg"] for c in deltas[0]["content"]["cells"]]) == (
        "delta",
        [legs["T01"]],
    )
    assert counted_queries == [0]


async def test_the_feed_ends_with_its_last_board(channel_layer, session, cookies):
    path = board_path(session.conference_id)

    async with socket(path, cookies["alice"]) as board:
        await receive(board)
        running = session.conference_id in readiness_feed.feeds_of_this_loop()
    await asyncio.sleep(0)

    assert running is True
    assert session.conference_id not in readiness_feed.feeds_of_this_loop()


def test_each_board_position_gets_only_the_cells_it_has_not_seen():
    cells = [{"leg": 1, "seq": 3}, {"leg": 2, "seq": 6}, {"leg": 3, "seq": 8}]

    from_two = [json.loads(text)["content"] for text in readiness_feed.delta_texts(2, 8, cells)]
    from_six = [json.loads(text)["content"] for text in readiness_feed.delta_texts(6, 8, cells)]

    assert from_two == [{"since": 2, "seq": 8, "cells": cells}]
    assert from_six == [{"since": 6, "seq": 8, "cells": cells[2:]}]
