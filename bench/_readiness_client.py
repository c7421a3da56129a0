"""Client side of bench/readiness.py: a lean WebSocket client and the two kinds of worker.

Runs as a child process of the benchmark (`python bench/_readiness_client.py CONFIG`),
standard library only, so that thousands of sockets cost the client little CPU on a
machine the server shares. Talks to its parent with one JSON object a line: commands
on stdin, events on stdout. Every wait is bounded by a deadline the parent gives.

- tech worker: one socket per site (leg); on `go` each site sends `checking` at a
  random moment of the spread window, then `ready` 0.5-2 s after it (and never before
  the `checking` ack). Records the send time, the ack's seq and time, and errors.
- board worker: the board sockets; keeps each board's seq, asks for a snapshot on a
  gap, and records for every leg the (seq, time) of each cell it received. On
  `drain` it waits until every board has reached the highest acknowledged seq (or
  the deadline), then joins the reports with what each board saw: latency = first
  board receive where the leg's seq >= the report's seq, minus the report's send time.
"""

import sys

# Run as a script, this directory comes first on sys.path, where a benchmark named like
# a standard module (bench/calendar.py) would shadow it: look in it for nothing.
sys.path[:] = [p for p in sys.path if p != __file__.rsplit("/", 1)[0]]

import asyncio
import base64
import contextlib
import json
import os
import random
import resource
import time

CONNECT_TIMEOUT_S = 30.0
SNAPSHOT_TIMEOUT_S = 60.0


# -- A minimal RFC 6455 client (text frames, masking, ping/pong, close) ---------------------------


class HandshakeFailed(Exception):
    pass


def frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked client frame."""
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    if n:
        key = (mask * (n // 4 + 1))[:n]
        payload = (int.from_bytes(payload, "little") ^ int.from_bytes(key, "little")).to_bytes(
            n, "little"
        )
    return header + mask + payload


class Socket(asyncio.Protocol):
    """A client WebSocket; `on_message(socket, text, received_at)` gets every text message."""

    def __init__(self, request: bytes, on_message, name: object) -> None:
        self.request = request
        self.on_message = on_message
        self.name = name
        self.opened = asyncio.get_running_loop().create_future()
        self.closed = False
        self.close_code: int | None = None
        self.buffer = bytearray()
        self.fragments: list[bytes] = []
        self.upgraded = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc) -> None:
        self.closed = True
        if not self.opened.done():
            self.opened.set_exception(HandshakeFailed(f"connection lost: {exc}"))

    def data_received(self, data: bytes) -> None:
        received_at = time.monotonic()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end])
            del self.buffer[: end + 4]
            status = head.split(b" ", 2)[1] if b" " in head else b"?"
            if status != b"101":
                if not self.opened.done():
                    self.opened.set_exception(HandshakeFailed(f"HTTP {status.decode()}"))
                self.transport.close()
                return
            self.upgraded = True
            self.opened.set_result(received_at)
        self.parse(received_at)

    def parse(self, received_at: float) -> None:
        buf, pos, size = self.buffer, 0, len(self.buffer)
        while size - pos >= 2:
            first, second = buf[pos], buf[pos + 1]
            length, header = second & 0x7F, 2
            if length == 126:
                if size - pos < 4:
                    break
                length, header = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, header = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if size - pos < header + length:
                break
            payload = bytes(buf[pos + header : pos + header + length])
            pos += header + length
            opcode = first & 0x0F
            if opcode in (0x1, 0x2, 0x0):
                self.fragments.append(payload)
                if first & 0x80:
                    message = b"".join(self.fragments)
                    self.fragments = []
                    self.on_message(self, message, received_at)
            elif opcode == 0x9:
                self.transport.write(frame(0xA, payload))
            elif opcode == 0x8:
                self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                self.transport.close()
                self.closed = True
                break
        del buf[:pos]

    def send_text(self, text: str) -> float:
        """Send one text message; returns the monotonic time it was handed to the kernel."""
        data = frame(0x1, text.encode())
        sent_at = time.monotonic()
        self.transport.write(data)
        return sent_at

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.write(frame(0x8, (1000).to_bytes(2, "big")))
            self.transport.close()
            self.closed = True


async def open_socket(host: str, port: int, path: str, cookie: str, on_message, name) -> Socket:
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: http://{host}:{port}\r\nCookie: sessionid={cookie}\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    _transport, socket = await loop.create_connection(
        lambda: Socket(request, on_message, name), host, port
    )
    try:
        await asyncio.wait_for(asyncio.shield(socket.opened), CONNECT_TIMEOUT_S)
    except BaseException:
        socket.transport.close()
        raise
    return socket


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def connect_all(config: dict, targets: list[tuple], on_message, path_of) -> dict:
    """Open a socket per target (port, cookie, name), at most `inflight` handshakes per port."""
    limits = {port: asyncio.Semaphore(config["inflight"]) for port in config["ports"]}
    sockets, failures, durations = {}, {}, []

    async def one(port: int, cookie: str, name) -> None:
        async with limits[port]:
            started = time.monotonic()
            try:
                socket = await open_socket(
                    config["host"], port, path_of(name), cookie, on_message, name
                )
            except (OSError, HandshakeFailed, TimeoutError) as error:
                failures[name] = f"{type(error).__name__}: {error}"[:120]
                return
            durations.append(time.monotonic() - started)
            sockets[name] = socket

    started = time.monotonic()
    await asyncio.gather(*(one(*target) for target in targets))
    finished = time.monotonic()
    return {
        "sockets": sockets,
        "failures": failures,
        "started": started,
        "finished": finished,
        "handshake_p50_ms": ms(percentile(durations, 0.5)),
        "handshake_p99_ms": ms(percentile(durations, 0.99)),
    }


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def failure_kinds(failures: dict) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for text in failures.values():
        kinds[text] = kinds.get(text, 0) + 1
    return dict(sorted(kinds.items(), key=lambda item: -item[1])[:5])


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- Technician worker --------------------------------------------------------------------------


class TechWorker:
    def __init__(self, config: dict) -> None:
        self.config = config
        self.legs = config["legs"]  # [[leg, cookie, port], ...]
        self.sockets: dict[int, Socket] = {}
        # (leg, state) -> [sent_at, seq, acked_at, error]
        self.reports: dict[tuple[int, str], list] = {}
        self.errors: dict[str, int] = {}
        self.ready_at: dict[int, float] = {}
        self.pending = 0
        self.all_done = asyncio.Event()

    def message(self, socket: Socket, data: bytes, received_at: float) -> None:
        envelope = json.loads(data)
        reply_to = envelope.get("in_response") or ""
        leg = socket.name
        state = "checking" if reply_to.startswith("c") else "ready"
        record = self.reports.get((leg, state))
        if record is None or record[2] is not None or record[3] is not None:
            return
        if envelope["type"] == "ack":
            record[1], record[2] = envelope["content"]["seq"], received_at
            if state == "checking":
                self.schedule_ready(leg)
        else:
            code = envelope.get("content", {}).get("code", envelope["type"])
            record[3] = code
            self.errors[code] = self.errors.get(code, 0) + 1
            if state == "checking":
                self.pending -= 1  # its `ready` will not be sent
        self.pending -= 1
        if self.pending <= 0:
            self.all_done.set()

    def send(self, leg: int, state: str) -> None:
        socket = self.sockets[leg]
        if socket.closed:
            self.reports[(leg, state)] = [None, None, None, "socket_closed"]
            self.errors["socket_closed"] = self.errors.get("socket_closed", 0) + 1
            self.pending -= 2 if state == "checking" else 1
            if self.pending <= 0:
                self.all_done.set()
            return
        content = {
            "leg": leg,
            "state": state,
            "checklist": {"audio": True, "video": True, "network": True, "display": True},
            "people": 12,
            "note": "bench",
        }
        text = json.dumps({"type": "report", "id": f"{state[0]}{leg}", "content": content})
        record = [None, None, None, None]
        self.reports[(leg, state)] = record
        record[0] = socket.send_text(text)

    def schedule_ready(self, leg: int) -> None:
        loop = asyncio.get_running_loop()
        delay = max(0.0, self.ready_at[leg] - time.monotonic())
        loop.call_later(delay, self.send, leg, "ready")

    async def run(self, commands: asyncio.Queue) -> None:
        await expect(commands, "connect")
        cpu_before = cpu_seconds()
        outcome = await connect_all(
            self.config,
            [(port, cookie, leg) for leg, cookie, port in self.legs],
            self.message,
            lambda _leg: "/ws/readiness/",
        )
        self.sockets = outcome.pop("sockets")
        failures = outcome.pop("failures")
        emit(
            event="connected",
            connected=len(self.sockets),
            failed=len(failures),
            failure_kinds=failure_kinds(failures),
            connect_cpu_s=round(cpu_seconds() - cpu_before, 2),
            **outcome,
        )
        command = await expect(commands, "go")
        t0, spread = command["t0"], self.config["spread"]
        rng = random.Random(self.config["seed"])
        loop = asyncio.get_running_loop()
        self.pending = 2 * len(self.sockets)
        cpu_before = cpu_seconds()
        for leg in sorted(self.sockets):
            first = rng.uniform(0, spread - 2.0)
            self.ready_at[leg] = t0 + first + rng.uniform(0.5, 2.0)
            loop.call_at(t0 + first, self.send, leg, "checking")
        if self.pending:
            deadline = t0 + spread + self.config["ack_timeout"]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.all_done.wait(), max(0.1, deadline - time.monotonic()))
        held = sum(1 for socket in self.sockets.values() if not socket.closed)
        closes: dict[str, int] = {}
        for socket in self.sockets.values():
            if socket.closed:
                key = str(socket.close_code)
                closes[key] = closes.get(key, 0) + 1
        rows = [[leg, state, *record] for (leg, state), record in self.reports.items()]
        with open(self.config["output"], "w") as out:
            json.dump(rows, out)
        acked = [row for row in rows if row[4] is not None]
        ack_latency = [row[4] - row[2] for row in acked]
        emit(
            event="reported",
            sent=sum(1 for row in rows if row[2] is not None),
            acked=len(acked),
            expected=2 * len(self.sockets),
            errors=self.errors,
            held=held,
            closed_by_server=closes,
            max_seq=max((row[3] for row in acked), default=0),
            ack_p50_ms=ms(percentile(ack_latency, 0.5)),
            ack_p99_ms=ms(percentile(ack_latency, 0.99)),
            last_ack=max((row[4] for row in acked), default=None),
            report_cpu_s=round(cpu_seconds() - cpu_before, 2),
        )
        await expect(commands, "close")
        for socket in self.sockets.values():
            socket.close()
        await asyncio.sleep(0.2)


# -- Board worker -------------------------------------------------------------------------------


class Board:
    def __init__(self, number: int, conference: int) -> None:
        self.number = number
        self.conference = conference
        self.seq: int | None = None
        self.snapshot = asyncio.get_running_loop().create_future()
        self.awaiting_snapshot = False
        self.snapshot_legs: set[int] = set()
        self.snapshot_bytes = 0
        self.legs: frozenset[int] = frozenset()
        self.seen: dict[int, list[tuple[int, float]]] = {}
        self.states: dict[int, str] = {}
        self.target_seq = 0
        self.deltas = 0
        self.snapshots = 0
        self.gaps = 0
        self.errors = 0
        self.delta_bytes = 0

    def record(self, cells: list[dict], received_at: float) -> None:
        for cell in cells:
            leg, seq = cell["leg"], cell["seq"]
            seen = self.seen.get(leg)
            if seen is None:
                self.seen[leg] = [(seq, received_at)]
            elif seq > seen[-1][0]:
                seen.append((seq, received_at))
            else:
                continue
            self.states[leg] = cell["state"]


class BoardWorker:
    def __init__(self, config: dict) -> None:
        self.config = config
        self.boards: dict[int, Board] = {}
        self.sockets: dict[int, Socket] = {}
        self.caught_up = asyncio.Event()
        self.draining = False

    def message(self, socket: Socket, data: bytes, received_at: float) -> None:
        board = self.boards[socket.name]
        envelope = json.loads(data)
        kind, content = envelope["type"], envelope["content"]
        if kind == "snapshot":
            # In parts of a few hundred cells; the board's sequence moves with the last.
            board.record(content["cells"], received_at)
            board.snapshot_legs.update(cell["leg"] for cell in content["cells"])
            board.snapshot_bytes += len(data)
            if content.get("part", 1) == content.get("parts", 1):
                board.snapshots += 1
                board.awaiting_snapshot = False
                board.seq = content["seq"]
                if not board.snapshot.done():
                    board.legs = frozenset(board.snapshot_legs)
                    board.snapshot.set_result(board.snapshot_bytes)
                board.snapshot_legs, board.snapshot_bytes = set(), 0
        elif kind == "delta":
            board.deltas += 1
            board.delta_bytes += len(data)
            board.record(content["cells"], received_at)
            if board.awaiting_snapshot:
                pass
            elif content["since"] != board.seq:
                board.gaps += 1
                board.awaiting_snapshot = True
                socket.send_text(json.dumps({"type": "snapshot", "id": f"s{board.gaps}"}))
            else:
                board.seq = content["seq"]
        elif kind == "error":
            board.errors += 1
        if self.draining:
            self.check_caught_up()

    def cookie_of(self, number: int) -> str:
        """Boards below `part_boards` sign in as a provincial office's secretariat (its
        province's part of the board), spread over the provinces; the others as the
        central office's (the whole board)."""
        parts = self.config.get("part_cookies") or []
        if number < self.config.get("part_boards", 0) and parts:
            return parts[number % len(parts)]
        return self.config["cookie"]

    def live(self) -> list[Board]:
        return [board for number, board in self.boards.items() if number in self.sockets]

    def check_caught_up(self) -> None:
        if all((board.seq or 0) >= board.target_seq for board in self.live()):
            self.caught_up.set()

    async def run(self, commands: asyncio.Queue) -> None:
        await expect(commands, "connect")
        conferences = self.config["conferences"]
        ports = self.config["ports"]
        for number in range(self.config["boards"]):
            self.boards[number] = Board(number, conferences[number % len(conferences)])
        cpu_before = cpu_seconds()
        outcome = await connect_all(
            self.config,
            [
                (ports[number % len(ports)], self.cookie_of(number), number)
                for number in self.boards
            ],
            self.message,
            lambda number: f"/ws/conferences/{self.boards[number].conference}/board/",
        )
        self.sockets = outcome.pop("sockets")
        failures = outcome.pop("failures")
        snapshot_bytes = []
        for number in list(self.sockets):
            socket = self.sockets[number]
            try:
                snapshot_bytes.append(
                    await wait_snapshot(self.boards[number].snapshot, socket, SNAPSHOT_TIMEOUT_S)
                )
            except (TimeoutError, HandshakeFailed) as error:
                failures[number] = f"no snapshot: {error}"
                self.sockets.pop(number).close()
        emit(
            event="connected",
            connected=len(self.sockets),
            failed=len(failures),
            failure_kinds=failure_kinds(failures),
            snapshot_kb=round(max(snapshot_bytes, default=0) / 1024, 1),
            cells=max((len(board.legs) for board in self.boards.values()), default=0),
            connect_cpu_s=round(cpu_seconds() - cpu_before, 2),
            **outcome,
        )
        cpu_before = cpu_seconds()
        command = await expect(commands, "drain")
        rows = []
        for path in command["reports"]:
            with open(path) as source:
                rows += json.load(source)
        for board in self.live():
            board.target_seq = max(
                (row[3] for row in rows if row[4] is not None and row[0] in board.legs), default=0
            )
        self.draining = True
        self.check_caught_up()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                self.caught_up.wait(), max(0.1, command["deadline"] - time.monotonic())
            )
        drained_at = time.monotonic()
        cpu_s = cpu_seconds() - cpu_before
        late = await self.late_board()
        emit(event="drained", **self.join(rows, cpu_s, drained_at), **late)
        await expect(commands, "close")
        for socket in self.sockets.values():
            socket.close()
        await asyncio.sleep(0.2)

    async def late_board(self) -> dict:
        """A board opened after the reports: its snapshot now carries every checklist and note."""
        board = Board(-1, self.config["conferences"][0])
        self.boards[-1] = board
        try:
            socket = await open_socket(
                self.config["host"],
                self.config["ports"][0],
                f"/ws/conferences/{board.conference}/board/",
                self.config["cookie"],
                self.message,
                -1,
            )
        except (OSError, HandshakeFailed, TimeoutError) as error:
            return {"late_board": f"connect failed: {error}"}
        try:
            size = await wait_snapshot(board.snapshot, socket, SNAPSHOT_TIMEOUT_S)
        except (TimeoutError, HandshakeFailed) as error:
            return {"late_board": f"no snapshot: {error}"}
        finally:
            socket.close()
            del self.boards[-1]
        return {"late_board": "ok", "late_snapshot_kb": round(size / 1024, 1)}

    def join(self, rows: list[list], cpu_s: float, drained_at: float) -> dict:
        """Latency of every (acked report, live board of its session) pair; what boards missed."""
        live = self.live()
        latencies: list[float] = []
        lost_reports = 0  # acked, and not seen by at least one of its session's boards
        missed_pairs = 0
        never_acked = 0
        for leg, _state, sent_at, seq, acked_at, _error in rows:
            if acked_at is None:
                never_acked += 1
                continue
            missed_here = 0
            for board in live:
                if leg not in board.legs:
                    continue
                seen_at = first_seen(board.seen.get(leg, ()), seq)
                if seen_at is None:
                    missed_here += 1
                else:
                    latencies.append(seen_at - sent_at)
            if missed_here:
                lost_reports += 1
                missed_pairs += missed_here
        latencies.sort()
        final_states: dict[str, int] = {}
        for board in live:
            for state in board.states.values():
                final_states[state] = final_states.get(state, 0) + 1
        return {
            "boards_live": len(live),
            "boards_closed": sum(1 for s in self.sockets.values() if s.closed),
            "board_close_codes": sorted(
                {s.close_code for s in self.sockets.values() if s.closed}, key=str
            ),
            "pairs": len(latencies),
            "p50_ms": ms(percentile(latencies, 0.5)),
            "p90_ms": ms(percentile(latencies, 0.9)),
            "p99_ms": ms(percentile(latencies, 0.99)),
            "max_ms": ms(latencies[-1] if latencies else None),
            "lost_reports": lost_reports,
            "missed_pairs": missed_pairs,
            "never_acked": never_acked,
            "deltas": sum(board.deltas for board in live),
            "delta_mb": round(sum(board.delta_bytes for board in live) / 1e6, 1),
            "gaps": sum(board.gaps for board in live),
            "snapshots": sum(board.snapshots for board in live),
            "board_errors": sum(board.errors for board in live),
            "final_states": final_states,
            "drained_at": drained_at,
            "report_cpu_s": round(cpu_s, 2),
        }


async def wait_snapshot(snapshot: asyncio.Future, socket: Socket, timeout: float) -> int:
    """The snapshot's size, or why it did not come (the server closed the socket, or time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(asyncio.shield(snapshot), 0.2)
        if socket.closed:
            raise HandshakeFailed(f"closed by the server, code {socket.close_code}")
    raise TimeoutError(f"no snapshot within {timeout:.0f} s")


def first_seen(seen, seq: int) -> float | None:
    for seen_seq, seen_at in seen:
        if seen_seq >= seq:
            return seen_at
    return None


# -- Plumbing -----------------------------------------------------------------------------------


def emit(**event) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


async def expect(commands: asyncio.Queue, name: str) -> dict:
    while True:
        command = await commands.get()
        if command.get("cmd") == name:
            return command
        if command.get("cmd") == "abort":
            raise SystemExit(3)


async def read_commands(commands: asyncio.Queue) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            await commands.put({"cmd": "abort"})
            return
        await commands.put(json.loads(line))


async def main(config_path: str) -> None:
    with open(config_path) as source:
        config = json.load(source)
    worker = TechWorker(config) if config["kind"] == "tech" else BoardWorker(config)
    commands: asyncio.Queue = asyncio.Queue()
    reader = asyncio.create_task(read_commands(commands))
    emit(event="started", pid=os.getpid())
    try:
        await asyncio.wait_for(worker.run(commands), config["lifetime"])
    finally:
        reader.cancel()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
