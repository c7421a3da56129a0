"""The readiness sockets (docs/readiness-protocol.md) against the real ASGI application.

Every test that passes messages runs with the in-memory channel layer and with Redis
pub/sub (`channel_layer`). Sessions are booked relative to the real clock: the
`session` fixture's readiness window opened 30 minutes ago and the session starts
in 30 minutes. bob serves T01 (the host) and X0101, dung serves X0102.
"""

import asyncio
import itertools
import json
import time
from datetime import timedelta

import pytest
import redis
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from conferencing import consumers, readiness_board, readiness_feed
from conferencing.models import Leg, ReadinessEvent
from config.asgi import application
from tests.conferencing.websocket_helpers import (
    TECHNICIAN_PATH,
    assert_error,
    board_path,
    close_code,
    headers_for,
    nothing_more,
    open_socket,
    receive,
    report,
    request,
    send,
    session_cookie,
    socket,
)
from tests.factories import open_session, serve, start_now

transactional = pytest.mark.django_db(transaction=True)
pytestmark = pytest.mark.usefixtures("released_connections")


ALL_OK = {"audio": True, "video": True, "network": True, "display": True}


def stored_events(conference_id: int) -> list[tuple]:
    return list(
        ReadinessEvent.objects.filter(leg__conference_id=conference_id)
        .order_by("seq")
        .values_list("seq", "leg__endpoint__code", "from_state", "to_state", "actor__username")
    )


def leg_states(conference_id: int) -> dict[int, str]:
    return dict(Leg.objects.filter(conference_id=conference_id).values_list("pk", "state"))


def snapshot_cell(legs: dict[str, int], code: str, name: str, **state):
    """A full cell as the snapshot carries it: empty fields left out."""
    cell = {"leg": legs[code], "state": "pending", "seq": 0, "site": code, "name": name}
    if code == "T01":
        cell["host"] = True
    return {**cell, **state}


# -- Who may open which socket -------------------------------------------------------------------


@transactional
async def test_outsiders_are_refused_at_connect(channel_layer, session, cookies):
    board = board_path(session.conference_id)
    attempts = {
        # dung serves a participant site: no board for him.
        f"board-{who}": (board, cookies[who])
        for who in ["carol", "dung", "mallory", "anonymous"]
    } | {
        "board-of-no-conference": (board_path(session.conference_id + 1000), cookies["alice"]),
        "technician-anonymous": (TECHNICIAN_PATH, None),
    }

    codes = {name: await close_code(path, cookie) for name, (path, cookie) in attempts.items()}

    assert codes == dict.fromkeys(attempts, consumers.CLOSE_UNAUTHORISED)
    assert consumers.CLOSE_UNAUTHORISED == 4403


@transactional
async def test_refused_board_ignores_what_was_sent_before_the_close(
    channel_layer, session, cookies
):
    communicator = WebsocketCommunicator(
        application, board_path(session.conference_id), headers=headers_for(cookies["mallory"])
    )
    await communicator.connect(timeout=5)  # accepted, only to deliver the close code
    try:
        await send(communicator, "snapshot")
        await send(communicator, "ping")
        closed = await communicator.receive_output(timeout=5)
        quiet = await communicator.receive_nothing(timeout=0.3)
    finally:
        await communicator.disconnect()

    assert closed == {"type": "websocket.close", "code": 4403}
    assert quiet is True  # no snapshot leaked, no pong


@transactional
async def test_board_opens_for_secretariat_and_host_technicians(channel_layer, session, cookies):
    firsts = {}
    for who in ["alice", "bob"]:
        async with socket(board_path(session.conference_id), cookies[who]) as board:
            first = await receive(board)
        firsts[who] = (first["type"], first["in_response"], first["content"]["seq"])

    assert firsts == {"alice": ("snapshot", None, 0), "bob": ("snapshot", None, 0)}


# -- Snapshot, deltas, coalescing --------------------------------------------------------------


@transactional
async def test_board_snapshot_lists_every_site_in_tree_order(channel_layer, session, legs, cookies):
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        snapshot = await receive(board)

    assert snapshot == {
        "type": "snapshot",
        "in_response": None,
        "content": {
            "seq": 0,
            "cells": [
                snapshot_cell(legs, "T01", "Điểm cầu T01"),
                snapshot_cell(legs, "X0101", "Điểm cầu X0101"),
                snapshot_cell(legs, "X0102", "Điểm cầu X0102"),
                snapshot_cell(legs, "T02", "Điểm cầu T02"),
                snapshot_cell(legs, "X0201", "Điểm cầu X0201"),
                snapshot_cell(legs, "X0202", "Điểm cầu X0202"),
            ],
            "part": 1,
            "parts": 1,
            "map": snapshot["content"]["map"],
        },
    }
    assert readiness_board.decode_map(snapshot["content"]["map"]) == [
        {"leg": legs[code], "group": group, "state": "pending", "level": level, "host": host}
        for code, group, level, host in [
            ("T01", "T01", "province", True),
            ("X0101", "T01", "commune", False),
            ("X0102", "T01", "commune", False),
            ("T02", "T02", "province", False),
            ("X0201", "T02", "commune", False),
            ("X0202", "T02", "commune", False),
        ]
    ]


@transactional
async def test_board_snapshot_of_a_large_session_comes_in_parts(
    channel_layer, session, legs, cookies, monkeypatch
):
    monkeypatch.setattr(readiness_board, "PAGE_CELLS", 4)

    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        first, second = await receive(board), await receive(board)
        quiet = await board.receive_nothing(timeout=0.3)

    assert [(m["type"], m["content"]["part"], m["content"]["parts"]) for m in (first, second)] == [
        ("snapshot", 1, 2),
        ("snapshot", 2, 2),
    ]
    assert [len(m["content"]["cells"]) for m in (first, second)] == [4, 2]
    assert {m["content"]["seq"] for m in (first, second)} == {0}
    # The map of every leg comes once, in the first part.
    assert ["map" in m["content"] for m in (first, second)] == [True, False]
    assert quiet is True


@transactional
async def test_report_is_stored_then_acknowledged(channel_layer, session, legs, cookies):
    content = report(legs["T01"], "checking", checklist={"audio": True}, people=12, note="Tầng 3")

    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        ack = await request(phone, "report", content, "msg-1")

    assert ack == {
        "type": "ack",
        "in_response": "msg-1",
        "content": {
            "leg": legs["T01"],
            "state": "checking",
            "seq": 1,
            "at": ack["content"]["at"],
            "replayed": False,
        },
    }
    events = await database_sync_to_async(stored_events)(session.conference_id)
    assert events == [(1, "T01", "pending", "checking", "bob")]


@transactional
async def test_board_gets_a_delta_after_a_report(channel_layer, session, legs, cookies):
    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(board)
        content = report(legs["X0101"], "checking", checklist=ALL_OK, people=3, note="ok")
        ack = await request(phone, "report", content)
        delta = await receive(board)

    assert delta == {
        "type": "delta",
        "in_response": None,
        "content": {
            "since": 0,
            "seq": 1,
            "cells": [
                {
                    "leg": legs["X0101"],
                    "state": "checking",
                    "seq": 1,
                    "at": ack["content"]["at"],
                    "people": 3,
                    "note": "ok",
                    "checklist": ALL_OK,
                    "override": "",
                }
            ],
        },
    }


# bob walks his two sites through the pre-session states; dung his one.
ROUNDS = [
    ("bob", "T01", "checking"),
    ("bob", "X0101", "checking"),
    ("dung", "X0102", "checking"),
    ("bob", "T01", "problem"),
    ("bob", "X0101", "ready"),
    ("dung", "X0102", "ready"),
    ("bob", "T01", "checking"),
    ("bob", "X0101", "checking"),
    ("dung", "X0102", "problem"),
    ("bob", "T01", "ready"),
    ("bob", "X0101", "problem"),
    ("dung", "X0102", "checking"),
    ("bob", "X0101", "checking"),
    ("bob", "X0101", "ready"),
]


async def collect_deltas(board, last_seq: int) -> list[tuple[float, dict]]:
    """Each delta with the moment it arrived, until the board reaches `last_seq`."""
    deltas: list[tuple[float, dict]] = []
    while not deltas or deltas[-1][1]["seq"] < last_seq:
        message = await receive(board)
        assert message["type"] == "delta"
        deltas.append((time.monotonic(), message["content"]))
    return deltas


@transactional
async def test_board_deltas_are_coalesced_ordered_and_complete(
    channel_layer, session, legs, cookies
):
    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as bob_phone,
        socket(TECHNICIAN_PATH, cookies["dung"]) as dung_phone,
    ):
        snapshot = await receive(board)
        collecting = asyncio.create_task(collect_deltas(board, len(ROUNDS)))
        phones = {"bob": bob_phone, "dung": dung_phone}
        for who, code, state in ROUNDS:
            ack = await request(phones[who], "report", report(legs[code], state))
            assert ack["type"] == "ack", ack
            await asyncio.sleep(0.04)
        deltas = await asyncio.wait_for(collecting, timeout=5)
        assert await nothing_more(board, timeout=0.4)

    contents = [content for _at, content in deltas]
    assert 2 <= len(contents) < len(ROUNDS)
    assert [c["since"] for c in contents] == [snapshot["content"]["seq"]] + [
        c["seq"] for c in contents[:-1]
    ]
    assert all(a["seq"] < b["seq"] for a, b in itertools.pairwise(contents)), contents
    assert contents[-1]["seq"] == len(ROUNDS)
    gaps = [later - earlier for (earlier, _a), (later, _b) in itertools.pairwise(deltas)]
    assert min(gaps) >= 0.2
    shown = {cell["leg"]: cell["state"] for c in contents for cell in c["cells"]}
    stored = await database_sync_to_async(leg_states)(session.conference_id)
    assert shown == {leg: stored[leg] for leg in (legs["T01"], legs["X0101"], legs["X0102"])}
    assert shown == {legs["T01"]: "ready", legs["X0101"]: "ready", legs["X0102"]: "checking"}
    assert all(c["since"] < cell["seq"] <= c["seq"] for c in contents for cell in c["cells"])


@transactional
async def test_retried_report_applies_once(channel_layer, session, legs, cookies):
    content = report(legs["T01"], "checking", note="first")

    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(board)
        first = await request(phone, "report", content, "same-id")
        retry = await request(phone, "report", content, "same-id")
        delta = await receive(board)
        quiet = await nothing_more(board, timeout=0.5)

    assert first["content"]["replayed"] is False
    assert retry == {**first, "content": {**first["content"], "replayed": True}}
    assert (delta["content"]["since"], delta["content"]["seq"]) == (0, 1)
    assert quiet is True
    events = await database_sync_to_async(stored_events)(session.conference_id)
    assert events == [(1, "T01", "pending", "checking", "bob")]


@transactional
async def test_retry_after_reconnect_still_applies_once(channel_layer, session, legs, cookies):
    content = report(legs["T01"], "checking")

    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        first = await request(phone, "report", content, "lost-ack")
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        retry = await request(phone, "report", content, "lost-ack")

    assert (first["content"]["replayed"], retry["content"]["replayed"]) == (False, True)
    assert retry["content"]["seq"] == first["content"]["seq"] == 1
    events = await database_sync_to_async(stored_events)(session.conference_id)
    assert events == [(1, "T01", "pending", "checking", "bob")]


@transactional
async def test_technicians_receive_only_their_own_acknowledgements(
    channel_layer, session, legs, cookies
):
    async with (
        socket(TECHNICIAN_PATH, cookies["bob"]) as bob_phone,
        socket(TECHNICIAN_PATH, cookies["dung"]) as dung_phone,
    ):
        bob_ack = await request(bob_phone, "report", report(legs["T01"], "checking"))
        dung_heard = await nothing_more(dung_phone, timeout=0.3)
        dung_ack = await request(dung_phone, "report", report(legs["X0102"], "checking"))
        bob_heard = await nothing_more(bob_phone, timeout=0.3)

    assert (bob_ack["content"]["leg"], dung_ack["content"]["leg"]) == (legs["T01"], legs["X0102"])
    assert (dung_heard, bob_heard) == (True, True)


@transactional
async def test_board_hears_only_its_own_conference(
    channel_layer, session, legs, cookies, alice, bob
):
    other = await database_sync_to_async(open_session)(
        alice, sites=("TW",), host_code="TW", bridge_id=session.conference.bridge_id
    )
    await database_sync_to_async(serve)(bob, "TW")
    other_leg = await database_sync_to_async(lambda: other.conference.legs.get().pk)()

    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(board_path(other.conference_id), cookies["alice"]) as other_board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(board)
        await receive(other_board)
        await request(phone, "report", report(other_leg, "checking"))
        delta = await receive(other_board)
        quiet = await nothing_more(board, timeout=0.5)

    assert [cell["leg"] for cell in delta["content"]["cells"]] == [other_leg]
    assert quiet is True


@transactional
async def test_board_snapshot_on_request_restarts_the_sequence_chain(
    channel_layer, session, legs, cookies
):
    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(board)
        await request(phone, "report", report(legs["T01"], "checking"))
        await receive(board)
        # The client noticed a gap (or just wants to be sure): it asks for a snapshot.
        reloaded = await request(board, "snapshot", message_id="reload-1")
        await request(phone, "report", report(legs["T01"], "ready"))
        delta = await receive(board)

    assert reloaded["type"] == "snapshot"
    assert reloaded["content"]["seq"] == 1
    cell = next(c for c in reloaded["content"]["cells"] if c["leg"] == legs["T01"])
    assert (cell["state"], cell["seq"]) == ("checking", 1)
    assert (delta["content"]["since"], delta["content"]["seq"]) == (1, 2)


@transactional
async def test_board_reconnect_starts_with_a_fresh_snapshot(channel_layer, session, legs, cookies):
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        async with socket(board_path(session.conference_id), cookies["bob"]) as board:
            await receive(board)
        # Reports made while the board was away.
        await request(phone, "report", report(legs["T01"], "checking"))
        await request(phone, "report", report(legs["X0101"], "checking"))
        async with socket(board_path(session.conference_id), cookies["bob"]) as board:
            first = await receive(board)
            pong = await request(board, "ping")

    assert first["type"] == "snapshot"
    assert first["content"]["seq"] == 2
    states = {c["site"]: (c["state"], c["seq"]) for c in first["content"]["cells"]}
    assert (states["T01"], states["X0101"], states["T02"]) == (
        ("checking", 1),
        ("checking", 2),
        ("pending", 0),
    )
    assert pong["content"] == {"seq": 2}


@transactional
async def test_report_while_the_session_runs_reaches_connected(
    channel_layer, session, legs, cookies
):
    await database_sync_to_async(start_now)(session)

    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(board)
        connected = await request(phone, "report", report(legs["T01"], "connected"))
        dropped = await request(phone, "report", report(legs["T01"], "disconnected"))
        deltas = await collect_deltas(board, 2)

    assert (connected["content"]["state"], dropped["content"]["state"]) == (
        "connected",
        "disconnected",
    )
    assert deltas[-1][1]["cells"][0]["state"] == "disconnected"


# -- Errors: a stable code, and the socket stays usable ------------------------------------------


def envelope(kind: str, content=None, message_id: str = "m-1") -> str:
    message = {"type": kind, "id": message_id}
    if content is not None:
        message["content"] = content
    return json.dumps(message, ensure_ascii=False)


def escaped(kind: str, content=None, message_id: str = "m-1") -> str:
    """An envelope with every control character and lone surrogate written as a JSON
    escape, as JSON.stringify writes them (raw control characters are not JSON)."""
    return json.dumps({"type": kind, "id": message_id, "content": content or {}})


TECHNICIAN_ERRORS = {
    # id: (message text, given the session's legs; expected code; in_response)
    "bad-json": (lambda legs: "{not json", "bad_json", None),
    "bad-json-binary": (lambda legs: b"\xff\xfe", "bad_json", None),
    "envelope-array": (lambda legs: "[1, 2]", "bad_envelope", None),
    "envelope-no-type": (lambda legs: '{"id": "m-1", "content": {}}', "bad_envelope", None),
    "envelope-number-id": (lambda legs: '{"type": "ping", "id": 7}', "bad_envelope", None),
    "envelope-long-id": (lambda legs: envelope("ping", message_id="i" * 65), "bad_envelope", None),
    "envelope-content-list": (lambda legs: envelope("ping", []), "bad_envelope", None),
    "too-large": (lambda legs: envelope("ping", {"pad": "a" * 4096}), "too_large", None),
    "too-large-in-bytes": (
        # 1,500 letters but 4,500 bytes of UTF-8: the limit is in bytes.
        lambda legs: envelope("report", report(legs["T01"], "checking", note="ệ" * 1500)),
        "too_large",
        None,
    ),
    "unknown-type": (lambda legs: envelope("hello"), "unknown_type", "m-1"),
    "board-type-on-phone": (lambda legs: envelope("snapshot"), "unknown_type", "m-1"),
    "invalid-state": (
        lambda legs: envelope("report", report(legs["T01"], "asleep")),
        "invalid",
        "m-1",
    ),
    "invalid-state-pending": (
        lambda legs: envelope("report", report(legs["T01"], "pending")),
        "invalid",
        "m-1",
    ),
    "invalid-state-missing": (
        lambda legs: envelope("report", {"leg": legs["T01"]}),
        "invalid",
        "m-1",
    ),
    "invalid-leg-code": (
        lambda legs: envelope("report", report("T01", "checking")),
        "invalid",
        "m-1",
    ),
    "invalid-checklist-value": (
        lambda legs: envelope("report", report(legs["T01"], "checking", checklist={"audio": "ok"})),
        "invalid",
        "m-1",
    ),
    "invalid-checklist-item": (
        lambda legs: envelope("report", report(legs["T01"], "checking", checklist={"smell": True})),
        "invalid",
        "m-1",
    ),
    "invalid-checklist-list": (
        lambda legs: envelope("report", report(legs["T01"], "checking", checklist=["audio"])),
        "invalid",
        "m-1",
    ),
    "invalid-people-negative": (
        lambda legs: envelope("report", report(legs["T01"], "checking", people=-1)),
        "invalid",
        "m-1",
    ),
    "invalid-people-text": (
        lambda legs: envelope("report", report(legs["T01"], "checking", people="12")),
        "invalid",
        "m-1",
    ),
    "invalid-people-boolean": (
        lambda legs: envelope("report", report(legs["T01"], "checking", people=True)),
        "invalid",
        "m-1",
    ),
    "invalid-note-long": (
        lambda legs: envelope("report", report(legs["T01"], "checking", note="n" * 501)),
        "invalid",
        "m-1",
    ),
    "invalid-note-number": (
        lambda legs: envelope("report", report(legs["T01"], "checking", note=5)),
        "invalid",
        "m-1",
    ),
    # Text PostgreSQL cannot store or that is not Unicode (defect 3 of issue #11): refused
    # when the envelope is read, wherever it is, the id answered when it is itself clean.
    "text-nul-in-note": (
        lambda legs: json.dumps(
            {
                "type": "report",
                "id": "m-1",
                "content": report(legs["T01"], "checking", note="a\u0000b"),
            }
        ),
        "invalid_text",
        "m-1",
    ),
    "text-lone-surrogate-in-note": (
        lambda legs: json.dumps(
            {
                "type": "report",
                "id": "m-1",
                "content": report(legs["T01"], "checking", note="\ud800"),
            }
        ),
        "invalid_text",
        "m-1",
    ),
    "text-escape-in-note": (
        lambda legs: escaped("report", report(legs["T01"], "checking", note="\u001b[2J")),
        "invalid_text",
        "m-1",
    ),
    "text-lone-surrogate-in-id": (
        lambda legs: '{"type": "ping", "id": "\\ud800"}',
        "invalid_text",
        None,
    ),
    "text-nul-in-id": (lambda legs: '{"type": "ping", "id": "a\\u0000"}', "invalid_text", None),
    "text-nul-in-type": (
        lambda legs: '{"type": "ping\\u0000", "id": "m-1"}',
        "invalid_text",
        "m-1",
    ),
    "text-in-a-nested-key": (
        lambda legs: escaped(
            "report", report(legs["T01"], "checking", checklist={"au\u0001dio": True})
        ),
        "invalid_text",
        "m-1",
    ),
    "text-deep-in-content": (
        lambda legs: escaped("ping", {"a": [{"b": ["ok", "\u0007"]}]}),
        "invalid_text",
        "m-1",
    ),
    "text-frame-with-a-raw-surrogate": (
        lambda legs: '{"type": "ping", "id": "\ud800"}',
        "invalid_text",
        None,
    ),
    "not-found": (lambda legs: envelope("report", report(987654, "checking")), "not_found", "m-1"),
    # Another site's leg is answered as a leg that does not exist (issue #11, defect 9).
    "not-found-other-site": (
        lambda legs: envelope("report", report(legs["T02"], "checking")),
        "not_found",
        "m-1",
    ),
    "illegal-transition": (
        lambda legs: envelope("report", report(legs["T01"], "ready")),
        "illegal_transition",
        "m-1",
    ),
    "in-session-state-before-start": (
        lambda legs: envelope("report", report(legs["T01"], "connected")),
        "illegal_transition",
        "m-1",
    ),
}


async def error_and_pong(communicator, message: str | bytes) -> tuple[str, str, str | None, str]:
    """Send a raw message; the error it earns, then proof the socket still answers."""
    if isinstance(message, bytes):
        await communicator.send_to(bytes_data=message)
    else:
        await communicator.send_to(text_data=message)
    error = await receive(communicator)
    pong = await request(communicator, "ping")
    return error["type"], error["content"]["code"], error["in_response"], pong["type"]


@transactional
async def test_technician_errors_have_stable_codes_and_keep_the_socket(
    channel_layer, session, legs, cookies
):
    answers = {}
    for case, (message, _code, _in_response) in TECHNICIAN_ERRORS.items():
        # A socket per case: together they would trip the flood limit.
        async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
            answers[case] = await error_and_pong(phone, message(legs))
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        ack = await request(phone, "report", report(legs["T01"], "checking"))

    assert answers == {
        case: ("error", code, in_response, "pong")
        for case, (_message, code, in_response) in TECHNICIAN_ERRORS.items()
    }
    assert ack["type"] == "ack"
    events = await database_sync_to_async(stored_events)(session.conference_id)
    assert events == [(1, "T01", "pending", "checking", "bob")]


@transactional
async def test_illegal_transition_says_from_and_to(channel_layer, session, legs, cookies):
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        message_id = await send(phone, "report", report(legs["T01"], "ready"))
        error = await assert_error(phone, "illegal_transition", message_id)

    assert error["content"]["message"] == "A site cannot go from “Not reported” to “Ready”."


@transactional
async def test_mallory_is_refused_to_report(channel_layer, session, legs, cookies):
    async with socket(TECHNICIAN_PATH, cookies["mallory"]) as phone:
        message_id = await send(phone, "report", report(legs["T01"], "checking"))
        await assert_error(phone, "not_found", message_id)

    assert await database_sync_to_async(stored_events)(session.conference_id) == []


@transactional
async def test_another_sites_leg_is_answered_as_a_missing_one(
    channel_layer, session, legs, cookies
):
    async with socket(TECHNICIAN_PATH, cookies["dung"]) as phone:
        others = await request(phone, "report", report(legs["T01"], "checking"))
        missing = await request(phone, "report", report(legs["T01"] + 1000, "checking"))

    # Nothing tells dung that a leg he does not serve exists.
    assert others["content"] == missing["content"]
    assert (others["type"], others["content"]["code"]) == ("error", "not_found")


def sessions_outside_their_windows(alice, bob) -> dict[str, int]:
    """T01's legs in a session whose window opens in two hours and in one that ended."""
    serve(bob, "T01")
    ended = start_now(open_session(alice), started_ago=timedelta(hours=3))
    # Starts in 3 hours with a 60-minute setup window: it opens in 2 hours.
    later = open_session(alice, starts_in=timedelta(hours=3))
    return {
        "before-window": later.conference.legs.get().pk,
        "after-end": ended.conference.legs.get().pk,
    }


@transactional
async def test_report_outside_the_window_is_refused(channel_layer, readiness_sites, alice, bob):
    legs = await database_sync_to_async(sessions_outside_their_windows)(alice, bob)
    cookie = await database_sync_to_async(session_cookie)(bob)

    codes = {}
    async with socket(TECHNICIAN_PATH, cookie) as phone:
        for when, leg in legs.items():
            message_id = await send(phone, "report", report(leg, "checking"))
            codes[when] = (await assert_error(phone, "outside_window", message_id))["content"][
                "code"
            ]

    assert codes == {"before-window": "outside_window", "after-end": "outside_window"}
    assert await database_sync_to_async(ReadinessEvent.objects.count)() == 0


@transactional
async def test_note_keeps_tabs_and_line_breaks(channel_layer, session, legs, cookies):
    note = "Tầng 3\tphòng 2\r\nMicro số 4 rè"

    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        ack = await request(phone, "report", report(legs["T01"], "checking", note=note))

    stored = await database_sync_to_async(
        lambda: list(ReadinessEvent.objects.values_list("note", flat=True))
    )()
    assert (ack["type"], stored) == ("ack", [note])


@transactional
async def test_ping_with_a_lone_surrogate_id_keeps_the_socket(channel_layer, session, cookies):
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        await phone.send_to(text_data='{"type": "ping", "id": "\\ud800"}')
        error = await assert_error(phone, "invalid_text", None)

    assert error["content"] == {
        "code": "invalid_text",
        "message": "The message holds a control character or broken Unicode text.",
    }


@transactional
@pytest.mark.parametrize("bad_note", ["a\u0000b", "\ud800"], ids=["nul", "lone-surrogate"])
async def test_one_bad_note_among_twenty_reports_refuses_only_it(
    channel_layer, twenty_legs, bob, bad_note
):
    cookie = await database_sync_to_async(session_cookie)(bob)
    phones = [await open_socket(TECHNICIAN_PATH, cookie) for _ in twenty_legs]
    try:
        # All at once, one socket each (a socket answers its messages in turn): they
        # reach the report queue together.
        for number, (phone, leg) in enumerate(zip(phones, twenty_legs, strict=True)):
            note = bad_note if number == 7 else f"phòng {number}"
            await phone.send_to(
                text_data=json.dumps(
                    {
                        "type": "report",
                        "id": f"r{number}",
                        "content": report(leg, "checking", note=note),
                    }
                )
            )
        answers = [await receive(phone) for phone in phones]
        pongs = [(await request(phone, "ping"))["type"] for phone in phones]
    finally:
        for phone in phones:
            await phone.disconnect()

    assert [(a["type"], a["in_response"]) for a in answers] == [
        ("error" if number == 7 else "ack", f"r{number}") for number in range(20)
    ]
    assert answers[7]["content"]["code"] == "invalid_text"
    assert pongs == ["pong"] * 20
    states = await database_sync_to_async(
        lambda: dict(Leg.objects.filter(pk__in=twenty_legs).values_list("pk", "state"))
    )()
    assert [states[leg] for leg in twenty_legs] == [
        "pending" if number == 7 else "checking" for number in range(20)
    ]
    assert await database_sync_to_async(ReadinessEvent.objects.count)() == 19


@transactional
async def test_a_board_asks_for_a_groups_cells(channel_layer, session, legs, cookies, monkeypatch):
    monkeypatch.setattr(readiness_board, "PAGE_CELLS", 2)
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        for _part in range(3):  # the snapshot's six cells
            await receive(board)
        first = await request(board, "cells", {"group": "T02"}, message_id="g-1")
        second = await receive(board)

    assert [(m["type"], m["in_response"]) for m in (first, second)] == [("cells", "g-1")] * 2
    assert [(m["content"]["part"], m["content"]["parts"]) for m in (first, second)] == [
        (1, 2),
        (2, 2),
    ]
    assert {m["content"]["group"] for m in (first, second)} == {"T02"}
    assert [c["site"] for m in (first, second) for c in m["content"]["cells"]] == [
        "T02",
        "X0201",
        "X0202",
    ]


@transactional
async def test_a_board_asks_for_some_legs_and_gets_those_of_its_session(
    channel_layer, session, legs, cookies
):
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        await receive(board)
        answer = await request(board, "cells", {"legs": [legs["X0202"], legs["T01"], 10**9]})

    assert answer["type"] == "cells"
    assert answer["content"]["legs"] == [legs["X0202"], legs["T01"], 10**9]
    assert [c["site"] for c in answer["content"]["cells"]] == ["T01", "X0202"]


@transactional
async def test_a_board_asks_for_the_cells_in_some_states_in_pages(
    channel_layer, session, legs, cookies, monkeypatch
):
    monkeypatch.setattr(readiness_board, "PAGE_CELLS", 2)
    await database_sync_to_async(
        lambda: Leg.objects.filter(pk__in=[legs["T01"], legs["X0201"]]).update(state="problem")
    )()
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        for _part in range(3):  # the snapshot's six cells
            await receive(board)
        first = await request(board, "cells", {"states": ["pending"]}, message_id="s-1")
        second = await receive(board)
        problems = await request(board, "cells", {"states": ["problem", "disconnected"]})

    assert [(m["type"], m["in_response"]) for m in (first, second)] == [("cells", "s-1")] * 2
    assert [(m["content"]["part"], m["content"]["parts"]) for m in (first, second)] == [
        (1, 2),
        (2, 2),
    ]
    assert {tuple(m["content"]["states"]) for m in (first, second)} == {("pending",)}
    assert [c["site"] for m in (first, second) for c in m["content"]["cells"]] == [
        "X0101",
        "X0102",
        "T02",
        "X0202",
    ]
    assert [c["site"] for c in problems["content"]["cells"]] == ["T01", "X0201"]


@transactional
async def test_a_board_searches_its_sites_without_diacritics(channel_layer, session, legs, cookies):
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        await receive(board)
        found = await request(board, "find", {"q": "DIEM CAU x01"})
        nothing = await request(board, "find", {"q": "không có"})

    assert found["type"] == "found"
    assert found["content"]["q"] == "DIEM CAU x01"
    assert [c["site"] for c in found["content"]["cells"]] == ["X0101", "X0102"]
    assert found["content"]["more"] is False
    assert nothing["content"] == {"q": "không có", "cells": [], "more": False}


BOARD_ERRORS = {
    "bad-json": ("nope", "bad_json", None),
    "envelope-no-type": ('{"id": "m-1"}', "bad_envelope", None),
    "too-large": (envelope("ping", {"pad": "a" * 4096}), "too_large", None),
    "report-on-board": (envelope("report", {"leg": 1, "state": "ready"}), "unknown_type", "m-1"),
}


@transactional
async def test_board_errors_have_stable_codes_and_keep_the_socket(
    channel_layer, session, legs, cookies
):
    async with (
        socket(board_path(session.conference_id), cookies["alice"]) as board,
        socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        await receive(board)
        answers = {
            case: await error_and_pong(board, text) for case, (text, *_) in BOARD_ERRORS.items()
        }
        await request(phone, "report", report(legs["T01"], "checking"))
        delta = await receive(board)

    assert answers == {
        case: ("error", code, in_response, "pong")
        for case, (_text, code, in_response) in BOARD_ERRORS.items()
    }
    assert (delta["content"]["since"], delta["content"]["seq"]) == (0, 1)


# What a board may ask for (cells, a search), refused when malformed: each with the
# socket's pong after (fewer than the burst of the rate limit, with their pongs).
BOARD_REQUEST_ERRORS = {
    "cells-of-nothing": (envelope("cells", {}), "invalid", "m-1"),
    "cells-of-group-and-legs": (envelope("cells", {"group": "T01", "legs": [1]}), "invalid", "m-1"),
    "cells-of-a-number-group": (envelope("cells", {"group": 1}), "invalid", "m-1"),
    "cells-of-no-legs": (envelope("cells", {"legs": []}), "invalid", "m-1"),
    "cells-of-boolean-legs": (envelope("cells", {"legs": [True]}), "invalid", "m-1"),
    "cells-of-too-many-legs": (
        envelope("cells", {"legs": [1] * (readiness_board.MAX_ASKED_LEGS + 1)}),
        "invalid",
        "m-1",
    ),
    "find-nothing": (envelope("find", {"q": "  "}), "invalid", "m-1"),
    "find-too-long": (envelope("find", {"q": "a" * (consumers.MAX_QUERY + 1)}), "invalid", "m-1"),
}


# The cells in some states (what a state filter shows): known states, each once.
STATES_REQUEST_ERRORS = {
    "cells-of-no-states": (envelope("cells", {"states": []}), "invalid", "m-1"),
    "cells-of-an-unknown-state": (envelope("cells", {"states": ["lost"]}), "invalid", "m-1"),
    "cells-of-a-state-not-listed": (envelope("cells", {"states": "pending"}), "invalid", "m-1"),
    "cells-of-a-state-twice": (
        envelope("cells", {"states": ["pending", "pending"]}),
        "invalid",
        "m-1",
    ),
    "cells-of-too-many-states": (
        envelope("cells", {"states": [*readiness_board.STATE_LETTERS, "pending"]}),
        "invalid",
        "m-1",
    ),
    "cells-of-states-and-group": (
        envelope("cells", {"states": ["pending"], "group": "T01"}),
        "invalid",
        "m-1",
    ),
}


@transactional
@pytest.mark.parametrize(
    "errors", [BOARD_REQUEST_ERRORS, STATES_REQUEST_ERRORS], ids=["cells-and-find", "states"]
)
async def test_malformed_requests_for_cells_are_refused_and_keep_the_socket(
    channel_layer, session, cookies, errors
):
    async with socket(board_path(session.conference_id), cookies["alice"]) as board:
        await receive(board)
        answers = {case: await error_and_pong(board, text) for case, (text, *_) in errors.items()}

    assert answers == {
        case: ("error", code, in_response, "pong")
        for case, (_text, code, in_response) in errors.items()
    }


@transactional
async def test_flood_is_rate_limited_per_connection_and_the_socket_recovers(
    channel_layer, session, cookies
):
    flood = consumers.RATE_BURST + 5

    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        for number in range(flood):
            await send(phone, "ping", message_id=f"p{number}")
        answers = [await receive(phone) for _ in range(flood)]
        async with socket(TECHNICIAN_PATH, cookies["bob"]) as second_phone:
            other_connection = await request(second_phone, "ping")
        await asyncio.sleep(1.5 / consumers.RATE_PER_SECOND)
        later = await request(phone, "ping")

    assert [a["type"] for a in answers] == ["pong"] * consumers.RATE_BURST + ["error"] * 5
    assert [a["content"]["code"] for a in answers[consumers.RATE_BURST :]] == ["rate_limited"] * 5
    # Answered with the id of the message refused, so the client knows what to resend.
    assert [a["in_response"] for a in answers] == [f"p{n}" for n in range(flood)]
    assert (other_connection["type"], later["type"]) == ("pong", "pong")


# -- The channel layer goes away -----------------------------------------------------------------


async def connect_when_layer_is_back(path: str, cookie: str, deadline_s: float = 10.0):
    """Reconnect as a browser would after a failure: again until the server accepts."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            return await open_socket(path, cookie)
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "the board could not reconnect"
            await asyncio.sleep(0.25)


@transactional
async def test_report_survives_the_channel_layer_being_down(
    private_redis, session, legs, cookies, monkeypatch
):
    monkeypatch.setattr(readiness_feed, "SAFETY_POLL_SECONDS", 0.5)
    conference_id = session.conference_id
    async with socket(board_path(conference_id), cookies["alice"]) as board:
        await receive(board)
        private_redis.stop()

        # The phone connects and reports while Redis is down.
        async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
            started = time.monotonic()
            ack = await request(
                phone, "report", report(legs["T01"], "checking", note="Redis is down"), "r-1"
            )
            took = time.monotonic() - started
        # The nudge was lost; the board's own look at the database finds the change.
        delta = await receive(board)
    private_redis.start()
    board = await connect_when_layer_is_back(board_path(conference_id), cookies["alice"])
    try:
        snapshot = await receive(board)
    finally:
        await board.disconnect()

    assert (ack["type"], ack["content"]["seq"], ack["content"]["replayed"]) == ("ack", 1, False)
    assert took < 2
    events = await database_sync_to_async(stored_events)(conference_id)
    assert events == [(1, "T01", "pending", "checking", "bob")]
    assert (delta["content"]["since"], delta["content"]["seq"]) == (0, 1)
    assert snapshot["content"]["seq"] == 1
    cell = next(c for c in snapshot["content"]["cells"] if c["site"] == "T01")
    assert (cell["state"], cell["seq"], cell["note"]) == ("checking", 1, "Redis is down")


# -- Ready means checked (issue 15): the socket obeys the domain's rule --------------------------


def leg_override(leg: int) -> tuple[str, str]:
    return Leg.objects.values_list("state", "override_reason").get(pk=leg)


@transactional
async def test_ready_with_a_failed_check_is_refused_over_the_socket(
    channel_layer, session, legs, cookies
):
    failed = {**ALL_OK, "display": False}
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        await request(phone, "report", report(legs["T01"], "checking"))
        message_id = await send(phone, "report", report(legs["T01"], "ready", checklist=failed))
        error = await assert_error(phone, "unchecked", message_id)

    assert error["content"]["message"] == (
        "Not ready: Display not checked ok. Check them, report a problem, or give the reason "
        "the site is ready nonetheless."
    )
    assert await database_sync_to_async(leg_override)(legs["T01"]) == ("checking", "")


@transactional
async def test_ready_with_a_failed_check_and_a_reason_is_acknowledged_over_the_socket(
    channel_layer, session, legs, cookies
):
    failed = {**ALL_OK, "display": False}
    reason = "Trình chiếu qua màn hình phụ"
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        await request(phone, "report", report(legs["T01"], "checking"))
        ack = await request(
            phone, "report", report(legs["T01"], "ready", checklist=failed, override=f" {reason} ")
        )

    assert (ack["type"], ack["content"]["state"]) == ("ack", "ready")
    assert await database_sync_to_async(leg_override)(legs["T01"]) == ("ready", reason)


@transactional
async def test_a_reason_that_is_not_text_is_invalid(channel_layer, session, legs, cookies):
    async with socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        message_id = await send(phone, "report", report(legs["T01"], "checking", override=["x"]))
        error = await assert_error(phone, "invalid", message_id)

    assert error["content"]["message"] == "The reason for ready is a text."
