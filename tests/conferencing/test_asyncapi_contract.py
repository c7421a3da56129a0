"""The readiness sockets keep the contract docs/asyncapi.yaml writes down (issue 17).

Consumer tests: the real sockets of the real ASGI application are driven through every
kind of frame (snapshot in parts, delta, cells on demand, search results, pongs, acks,
every error code a frame can earn, every close code), and each frame either way is
validated against its message's JSON Schema in the document
(tests/conferencing/asyncapi_contract.py). A frame type the document does not describe
fails, and so does a message of the document that no test saw. (Every other socket test
checks the frames it receives too: tests/conferencing/websocket_helpers.receive.)

The `session` fixture's window is open (tests/conferencing/conftest.py): bob serves T01
(the host) and X0101, alice (secretariat) watches the board.
"""

import ast
import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from channels.db import database_sync_to_async

from accounts import sessions
from conferencing import consumers, readiness_board
from config.consumers import UNKNOWN_PATH_CLOSE_CODE
from config.websocket_routes import websocket_urlpatterns
from people import api_tokens
from people.models import TokenScope
from tests.conferencing.asyncapi_contract import CLIENT, SERVER, ContractBroken
from tests.conferencing.websocket_helpers import (
    ALL_OK,
    CONTRACT,
    HOST,
    TECHNICIAN_PATH,
    board_path,
    contract_socket,
    report,
    session_cookie,
)
from tests.factories import BridgeFactory, open_session, site_tree

transactional = pytest.mark.django_db(transaction=True)

SOURCE = Path(__file__).resolve().parents[2]
# The database refusing one report of a batch (test_report_queue causes it) is not a
# frame's fault: no frame sent over a socket can earn it, the envelope refuses its text
# first.
NOT_CAUSED_BY_A_FRAME = {"not_stored"}


def frame(kind: str, content=None, message_id: str = "m-1") -> str:
    message = {"type": kind, "id": message_id}
    if content is not None:
        message["content"] = content
    return json.dumps(message, ensure_ascii=False)


# -- The document itself -------------------------------------------------------------------------


def test_the_document_has_a_channel_for_every_socket_path_and_only_those():
    served = [str(route.pattern) for route in websocket_urlpatterns if str(route.pattern)]
    addresses = {
        name: channel["address"] for name, channel in CONTRACT.document["channels"].items()
    }

    assert served == ["^ws/readiness/$", "^ws/conferences/(?P<conference_id>[0-9]{1,18})/board/$"]
    assert addresses == {
        "technician": TECHNICIAN_PATH,
        "board": "/ws/conferences/{conferenceId}/board/",
    }
    assert CONTRACT.channel_of(board_path(812)) == "board"
    assert CONTRACT.channel_of(TECHNICIAN_PATH) == "technician"


def test_every_example_of_the_document_fits_its_message():
    problems = {
        f"{message.name}[{number}]": CONTRACT.problems(f"{message.pointer}/payload", payload)
        for number, (message, payload) in enumerate(CONTRACT.examples())
    }

    assert len(problems) >= 10
    assert {name: found for name, found in problems.items() if found} == {}


def codes_raised_in(path: Path) -> set[str]:
    """The first argument of every ProtocolError(...) and ReadinessRefused(...) in a module."""
    codes = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None))
            in ("ProtocolError", "ReadinessRefused")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            codes.add(node.args[0].value)
    return codes


def test_the_error_codes_are_every_code_the_server_can_answer():
    raised = set()
    for module in ("consumers.py", "readiness.py"):
        raised |= codes_raised_in(SOURCE / "conferencing" / module)
    documented = CONTRACT.target(CONTRACT.at("/components/schemas/ErrorCode"))[1]["enum"]

    assert "invalid_text" in raised  # raised through a helper's call, also parsed
    assert sorted(documented) == sorted(raised)
    assert CONTRACT.error_codes("technician") == set(documented)
    # A board answers what is outside its part as if it did not exist: no `not_found`.
    assert CONTRACT.error_codes("board") == {
        "bad_json",
        "bad_envelope",
        "invalid_text",
        "too_large",
        "unknown_type",
        "invalid",
        "rate_limited",
    }


def test_the_close_codes_are_those_the_server_closes_with():
    assert CONTRACT.close_codes() == {
        consumers.CLOSE_UNAUTHORISED,
        consumers.CLOSE_ACCOUNT_ENDED,
        UNKNOWN_PATH_CLOSE_CODE,
        1011,  # Daphne's, when the application fails
    }
    assert CONTRACT.close_codes("technician") == CONTRACT.close_codes("board") == {4403, 4401, 1011}


def test_a_frame_the_document_does_not_describe_or_that_does_not_fit_fails():
    pong = {"type": "pong", "in_response": "p-1", "content": {"seq": 3}}

    with pytest.raises(ContractBroken, match="no server frame of type 'hello'"):
        CONTRACT.check("board", SERVER, {"type": "hello", "in_response": None, "content": {}})
    with pytest.raises(ContractBroken, match="no client frame of type 'report'"):
        CONTRACT.check("board", CLIENT, {"type": "report", "id": "r", "content": {}})
    with pytest.raises(ContractBroken, match="Additional properties"):
        CONTRACT.check("board", SERVER, {**pong, "content": {"seq": 3, "sequence": 3}})
    with pytest.raises(ContractBroken, match="'asleep' is not one of"):
        CONTRACT.check("technician", CLIENT, {"type": "report", "content": report(1, "asleep")})
    with pytest.raises(ContractBroken, match="'in_response' is a required property"):
        CONTRACT.check("board", SERVER, {"type": "pong", "content": {"seq": 3}})
    # The technician's pong carries nothing, the board's its sequence.
    with pytest.raises(ContractBroken):
        CONTRACT.check("technician", SERVER, pong)
    assert CONTRACT.check("board", SERVER, pong).name == "boardPong"


# -- The technician's socket ---------------------------------------------------------------------


def frames_refused_on_a_phone(legs: dict[str, int]) -> dict[str, str | bytes]:
    """A frame for each error code a frame can earn on the technician's socket."""
    return {
        "bad_json": b"\xff\xfe",
        "bad_envelope": '{"type": "ping", "id": 7}',
        "invalid_text": frame("report", report(legs["T01"], "checking", note="a\u0000b")),
        "too_large": frame("ping", {"pad": "ệ" * 1500}),
        "unknown_type": frame("snapshot"),
        "invalid": frame("report", report(legs["T01"], "asleep")),
        "not_found": frame("report", report(987654, "checking")),
        "illegal_transition": frame("report", report(legs["X0101"], "ready")),
    }


def a_later_session(alice) -> int:
    """T01's leg in a session whose readiness window opens in five hours (after the
    `session` fixture's has ended)."""
    return open_session(alice, starts_in=timedelta(hours=6)).conference.legs.get().pk


def read_only_token(bob) -> str:
    return api_tokens.create(bob, name="Bảng điều khiển", scope=TokenScope.READ).key


@transactional
async def test_every_frame_of_the_technicians_socket_fits_the_document(
    session, legs, cookies, alice, bob, released_connections
):
    later_leg = await database_sync_to_async(a_later_session)(alice)
    token = await database_sync_to_async(read_only_token)(bob)
    phones = []

    async with contract_socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        phones.append(phone)
        pong = await phone.request("ping")
        checking = await phone.request(
            "report", report(legs["T01"], "checking", people=12, note="Tầng 3\nphòng 2"), "r-1"
        )
        replayed = await phone.request("report", report(legs["T01"], "checking"), "r-1")
        unchecked = await phone.request(
            "report", report(legs["T01"], "ready", checklist={**ALL_OK, "display": False})
        )
        overridden = await phone.request(
            "report",
            report(legs["T01"], "ready", checklist={"audio": True}, override="Màn hình phụ"),
        )
        outside = await phone.request("report", report(later_leg, "checking"))
    async with contract_socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        phones.append(phone)
        for raw in frames_refused_on_a_phone(legs).values():
            await phone.send_raw(raw)
            await phone.receive()
    async with contract_socket(TECHNICIAN_PATH, cookies["bob"]) as phone:
        phones.append(phone)
        for number in range(consumers.RATE_BURST + 1):
            await phone.send("ping", message_id=f"p{number}")
        flooded = [await phone.receive() for _ in range(consumers.RATE_BURST + 1)]
    async with contract_socket(
        TECHNICIAN_PATH, headers=[HOST, (b"authorization", f"Bearer {token}".encode())]
    ) as phone:
        phones.append(phone)
        read_only = await phone.request("report", report(legs["X0101"], "checking"))

    assert (pong["content"], checking["content"]["replayed"], replayed["content"]["replayed"]) == (
        {},
        False,
        True,
    )
    assert (overridden["type"], overridden["content"]["state"]) == ("ack", "ready")
    assert [answer["content"]["code"] for answer in (unchecked, outside, read_only)] == [
        "unchecked",
        "outside_window",
        "read_only",
    ]
    assert flooded[-1]["content"]["code"] == "rate_limited"
    seen = set().union(*(phone.seen for phone in phones))
    codes = set().union(*(phone.codes for phone in phones))
    assert seen == {message.name for message in CONTRACT.messages("technician", SERVER)}
    assert codes == CONTRACT.error_codes("technician") - NOT_CAUSED_BY_A_FRAME


# -- The board -----------------------------------------------------------------------------------


def frames_refused_on_a_board() -> dict[str, str]:
    """A frame for each error code a frame can earn on a board."""
    return {
        "bad_json": "nope",
        "bad_envelope": '{"id": "m-1"}',
        "invalid_text": '{"type": "find", "id": "m-1", "content": {"q": "a\\u001b[2J"}}',
        "too_large": frame("ping", {"pad": "a" * 4096}),
        "unknown_type": frame("report", {"leg": 1, "state": "ready"}),
        "invalid": frame("cells", {"states": ["pending", "pending"]}),
    }


@transactional
async def test_every_frame_of_the_board_fits_the_document(
    session, legs, cookies, monkeypatch, released_connections
):
    # Parts of two cells: the six-site snapshot comes in three, `cells` in two.
    monkeypatch.setattr(readiness_board, "PAGE_CELLS", 2)
    boards = []

    async with (
        contract_socket(board_path(session.conference_id), cookies["alice"]) as board,
        contract_socket(TECHNICIAN_PATH, cookies["bob"]) as phone,
    ):
        boards.append(board)
        snapshot = [await board.receive() for _part in range(3)]
        await phone.request("report", report(legs["T01"], "checking"))
        await phone.request(
            "report",
            report(
                legs["T01"],
                "ready",
                checklist={**ALL_OK, "video": False},
                people=14,
                note="Tầng 3",
                override="Hình qua cầu dự phòng",
            ),
        )
        deltas = [await board.receive()]
        while deltas[-1]["content"]["seq"] < 2:
            deltas.append(await board.receive())
        reloaded = await board.request("snapshot", message_id="reload-1")
        for _part in range(2):
            await board.receive()
        group = [await board.request("cells", {"group": "T02"}, "g-1"), await board.receive()]
        asked = await board.request("cells", {"legs": [legs["T01"], 10**9]})
        in_states = await board.request("cells", {"states": ["ready", "problem"]})
        found = await board.request("find", {"q": "diem cau x01"})
        pong = await board.request("ping")
        for raw in frames_refused_on_a_board().values():
            await board.send_raw(raw)
            await board.receive()
    async with contract_socket(board_path(session.conference_id), cookies["alice"]) as board:
        boards.append(board)
        for _part in range(3):
            await board.receive()
        for number in range(consumers.RATE_BURST + 1):
            await board.send("ping", message_id=f"p{number}")
        flooded = [await board.receive() for _ in range(consumers.RATE_BURST + 1)]

    assert [(m["content"]["part"], m["content"]["parts"]) for m in snapshot] == [
        (1, 3),
        (2, 3),
        (3, 3),
    ]
    assert deltas[-1]["content"]["cells"][-1]["override"] == "Hình qua cầu dự phòng"
    assert (reloaded["in_response"], reloaded["content"]["seq"]) == ("reload-1", 2)
    assert [c["site"] for m in group for c in m["content"]["cells"]] == ["T02", "X0201", "X0202"]
    (cell,) = asked["content"]["cells"]
    assert cell == {
        "leg": legs["T01"],
        "state": "ready",
        "seq": 2,
        "at": cell["at"],
        "people": 14,
        "note": "Tầng 3",
        "checklist": {**ALL_OK, "video": False},
        "override": "Hình qua cầu dự phòng",
        "site": "T01",
        "name": "Điểm cầu T01",
        "host": True,
    }
    assert in_states["content"]["cells"] == [cell]
    assert [c["site"] for c in found["content"]["cells"]] == ["X0101", "X0102"]
    assert pong["content"] == {"seq": 2}
    assert flooded[-1]["content"]["code"] == "rate_limited"
    seen = set().union(*(board.seen for board in boards))
    codes = set().union(*(board.codes for board in boards))
    assert seen == {message.name for message in CONTRACT.messages("board", SERVER)}
    assert codes == CONTRACT.error_codes("board")


@transactional
async def test_the_snapshot_of_a_board_of_more_than_sixty_sites_fits_the_document(
    alice, released_connections
):
    """Beyond sixty sites the groups start closed: the map carries every site, the cells
    only the open groups'."""
    meeting = await database_sync_to_async(large_session)(alice)
    cookie = await database_sync_to_async(session_cookie)(alice)

    async with contract_socket(board_path(meeting.conference_id), cookie) as board:
        snapshot = await board.receive()
        closed_group = await board.request("cells", {"group": "T03"})

    board_map = snapshot["content"]["map"]
    assert len(readiness_board.decode_map(board_map)) == 64
    assert len(board_map["open"]) < len(board_map["groups"])
    assert len(closed_group["content"]["cells"]) == 16


def large_session(alice):
    """A session of 64 sites in four provinces (T01…T04 and their 15 communes each)."""
    sites = site_tree(provinces=4, communes=15)
    codes = tuple(sorted(code for code in sites if code != "TW"))
    bridge = BridgeFactory(port_capacity=100)
    return open_session(alice, sites=codes, host_code="T01", bridge_id=bridge.pk)


# -- Close codes ---------------------------------------------------------------------------------


@transactional
async def test_refused_and_ended_sockets_close_with_the_documented_codes(
    session, cookies, settings, bob, released_connections
):
    settings.ACCOUNT_WATCH_SECONDS = 1
    codes = {}

    async with contract_socket(board_path(session.conference_id), cookies["mallory"]) as s:
        codes["board, not allowed"] = await s.closed_with()
    async with contract_socket(TECHNICIAN_PATH, None) as s:
        codes["technician, anonymous"] = await s.closed_with()
    async with contract_socket(TECHNICIAN_PATH, cookies["bob"]) as s:
        await s.request("ping")
        await database_sync_to_async(sessions.end_sessions)(bob)
        codes["technician, account ended"] = await asyncio.wait_for(s.closed_with(), 5)

    assert codes == {
        "board, not allowed": 4403,
        "technician, anonymous": 4403,
        "technician, account ended": 4401,
    }
