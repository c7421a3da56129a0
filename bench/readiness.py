"""Benchmark: live readiness of a national session over WebSockets (issue 4).

    .venv/bin/python bench/readiness.py --sites 3356 --boards 50
    .venv/bin/python bench/readiness.py --sites 3356 --boards 50 --province-boards 35
    .venv/bin/python bench/readiness.py --sites 10000 --boards 50 --daphnes 2 [--sessions 3]

Real processes end to end, all on this machine (loopback only): Daphne child
process(es) serving config.asgi:application as bin/run starts it, the Redis pub/sub
channel layer of REDIS_URL (default redis://127.0.0.1:6379/0) and a throwaway
PostgreSQL database `giaoban_bench_ready` (created and dropped here, on the server of
DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432).

Setup (a Django child process): migrate, import the national tree (3,356 sites;
above that, synthetic communes B00000… spread over the provinces), one technician
user per site with a database session (written in bulk), one secretariat user for
the boards, ten past reports per site in the event log (so PostgreSQL plans the
look-ups as after a few weeks of use), and the session(s) booked through
meetings.booking.book on all N sites, starting in 30 minutes with a 60-minute setup
window (so reports are accepted now). `--sessions K` splits the sites over K
simultaneous sessions (boards spread over them); the default is one session.
The session is booked by a central office (jurisdiction: the root) on its bridge.
`--province-boards N`: N of the boards watch one province's part of the board (issue
13): a provincial office per province (jurisdiction: the province) with its own
secretariat user, the N boards spread over the provinces; the other boards are the
central office's and watch the whole board.

Run (client child processes, bench/_readiness_client.py, standard library only): the
`--boards` board sockets (spread over the Daphne processes and sessions) wait for
their snapshot; then one technician socket per site connects (at most `--inflight`
handshakes at a time per Daphne; technician sockets spread over the Daphnes too);
then every site reports `checking` at a random moment of the first `--spread - 2`
seconds and `ready` 0.5-2 s after it (once `checking` is acknowledged).

Measured:
- connected: sockets open and still held at the end; handshakes_per_s: technician
  sockets connected / time from the first attempt to the last handshake;
- kb_per_conn: Daphne RSS after all connected minus before (after a warm-up), per socket;
- p50/p90/p99/max_ms: for every acknowledged report and every board of its session
  that shows the site (a province board shows its province's sites only), first
  receipt of a delta (or snapshot) where that site's seq >= the report's seq, minus
  the moment the report was written to the socket;
- lost: reports not acknowledged within 20 s after the spread window, plus reports
  acknowledged but missing on some board 10 s after the last ack;
- late_board: a board opened after the reports must still get its snapshot;
- CPU seconds over the report phase (first report to every board caught up) of Daphne,
  of the PostgreSQL backends serving the bench database, of Redis and of the clients;
  machine_busy_pct counts everything on the machine, other work included.

Prints human-readable lines, then one JSON object as the last line. Every phase is
bounded in time; Daphne, the clients and the database are cleaned up on any exit.
Diagnosis only: `--py-spy PREFIX` records each Daphne during the report phase
(`pip install py-spy`), `--daphne-logs DIR` keeps their logs.
"""

import sys

# Run as a script, this directory comes first on sys.path, where a benchmark named like
# a standard module (bench/calendar.py) would shadow it: look in it for nothing.
sys.path[:] = [p for p in sys.path if p != __file__.rsplit("/", 1)[0]]

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CLIENT = Path(__file__).resolve().parent / "_readiness_client.py"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
# BENCH_DATABASE in the environment names another one (two benches on one server at once).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "giaoban_bench_ready"
NATIONAL_SITES = 3356
GOALS = {"p99_ms": 500, "lost": 0, "kb_per_conn": 50}
SETUP_TIMEOUT_S = 600
ACK_TIMEOUT_S = 20.0  # after the spread window: a report unacknowledged by then is lost
DRAIN_S = 10.0  # after the last ack: a board that has not caught up by then lost reports
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=NATIONAL_SITES)
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument(
        "--daphnes", type=int, default=0, help="Daphne processes (default: 1, 2 above 5,000 sites)"
    )
    parser.add_argument(
        "--tech-workers", type=int, default=0, help="technician client processes (default: 1)"
    )
    parser.add_argument(
        "--sessions", type=int, default=1, help="split the sites over this many sessions"
    )
    parser.add_argument(
        "--province-boards",
        type=int,
        default=0,
        help="this many of the boards watch one province's part (spread over the provinces)",
    )
    parser.add_argument("--spread", type=float, default=10.0, help="seconds for all reports")
    parser.add_argument("--inflight", type=int, default=40, help="handshakes at once per Daphne")
    parser.add_argument("--port", type=int, default=18700, help="first Daphne port")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--py-spy",
        metavar="PREFIX",
        help="diagnosis: py-spy record each Daphne during the report phase (collapsed stacks "
        "to PREFIX-<port>.txt; needs py-spy on PATH or in the virtualenv)",
    )
    parser.add_argument("--setup", help=argparse.SUPPRESS)  # child mode: plan file to write
    parser.add_argument("--daphne-logs", metavar="DIR", help="keep the Daphne logs in DIR")
    # Diagnosis: serve the application from another copy of the tree (a candidate fix).
    parser.add_argument("--app-root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.sites <= 20_000 or not 1 <= args.boards <= 500 or args.spread < 3:
        parser.error("--sites 1..20000, --boards 1..500, --spread >= 3")
    if not 1 <= args.sessions <= min(args.sites, args.boards):
        parser.error("--sessions: from 1 to the number of sites and of boards")
    if not 0 <= args.province_boards <= args.boards:
        parser.error("--province-boards: from 0 to the number of boards")
    args.daphnes = args.daphnes or (1 if args.sites <= 5000 else 2)
    args.tech_workers = args.tech_workers or 1
    return args


def main() -> int:
    args = parse_args(sys.argv[1:])
    if args.setup:
        with open(args.setup, "w") as plan:
            json.dump(setup(args.sites, args.sessions, args.province_boards), plan)
        return 0
    raise_open_files()
    result = asyncio.run(bench(args))
    if result is None:
        return 1
    report(result)
    print(json.dumps(result))
    return 0


def raise_open_files() -> None:
    """10,000 sockets need more than the usual 1,024 descriptors; children inherit this."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# -- Orchestration --------------------------------------------------------------------------------


async def bench(args) -> dict | None:
    import psycopg

    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    admin_url = with_database(server, "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        print(f"benchmark skipped: cannot connect to {admin_url}: {exc}")
        return None
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    with admin, tempfile.TemporaryDirectory(prefix="giaoban-bench-ready-") as tmp:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        env = child_environment(
            args.app_root,
            VAR_DIR=tmp,
            DATABASE_URL=with_database(server, BENCH_DATABASE),
            REDIS_URL=redis_url,
        )
        run = Run(args, env, Path(tmp))
        try:
            return await run.execute()
        except BaseException:
            for port in run.ports:
                print(f"--- Daphne on port {port}, end of its log:\n{run.daphne_log(port)}")
            raise
        finally:
            await run.cleanup()
            if not args.keep_db:
                admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def child_environment(app_root: Path, **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-not-a-secret",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        # The sessions are written straight into the store (sessions_for), with no second
        # factor: the bench measures readiness, not sign-in.
        SECOND_FACTOR_REQUIRED="false",
        **overrides,
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(app_root), env.get("PYTHONPATH")]))
    return env


class Worker:
    """A client child process: JSON commands on its stdin, JSON events on its stdout."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name, self.process = name, process

    def send(self, **command) -> None:
        self.process.stdin.write((json.dumps(command) + "\n").encode())

    async def wait_for(self, event: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{self.name}: no '{event}' within {timeout:.0f} s")
            line = await asyncio.wait_for(self.process.stdout.readline(), remaining)
            if not line:
                raise RuntimeError(f"{self.name} exited before '{event}'")
            message = json.loads(line)
            if message.get("event") == event:
                return message


class Run:
    def __init__(self, args, env: dict[str, str], tmp: Path) -> None:
        self.args, self.env, self.tmp = args, env, tmp
        self.daphnes: list[subprocess.Popen] = []
        self.workers: list[Worker] = []
        self.profilers: list[subprocess.Popen] = []
        self.ports = [args.port + n for n in range(args.daphnes)]

    async def execute(self) -> dict:
        args = self.args
        plan_path = self.tmp / "plan.json"
        started = time.monotonic()
        print(f"setting up {args.sites} sites, {args.boards} boards ...", flush=True)
        await self.child(
            [
                *(sys.executable, __file__, "--sites", str(args.sites)),
                *("--sessions", str(args.sessions), "--setup", str(plan_path)),
                *("--province-boards", str(args.province_boards)),
            ],
            SETUP_TIMEOUT_S,
        )
        plan = json.loads(plan_path.read_text())
        setup_s = time.monotonic() - started
        print(f"setup {setup_s:.1f} s; starting {args.daphnes} Daphne process(es)", flush=True)
        for port in self.ports:
            self.start_daphne(port)
        for port in self.ports:
            await self.wait_healthy(port)
        await self.warm_up(plan)
        await asyncio.sleep(1.0)
        baseline = sample(self.daphnes)

        techs = plan["techs"]  # [[leg, session key], ...]
        shards = [[] for _ in range(args.tech_workers)]
        for index, (leg, cookie) in enumerate(techs):
            shards[index % args.tech_workers].append(
                [leg, cookie, self.ports[index % len(self.ports)]]
            )
        lifetime = 120 + args.sites / 20 + args.spread + ACK_TIMEOUT_S + DRAIN_S
        common = {"host": "127.0.0.1", "ports": self.ports, "inflight": args.inflight}
        boards = await self.spawn(
            "boards",
            {
                **common,
                "kind": "boards",
                "boards": args.boards,
                "conferences": plan["conferences"],
                "cookie": plan["board_cookie"],
                # Board n < --province-boards watches the part of province n % provinces.
                "part_cookies": plan["province_cookies"],
                "part_boards": args.province_boards,
                "lifetime": lifetime,
            },
        )
        tech_workers = [
            await self.spawn(
                f"tech{n}",
                {
                    **common,
                    "kind": "tech",
                    "legs": shard,
                    "spread": args.spread,
                    "seed": args.seed + n,
                    "ack_timeout": ACK_TIMEOUT_S,
                    "output": str(self.tmp / f"reports{n}.json"),
                    "lifetime": lifetime,
                },
            )
            for n, shard in enumerate(shards)
        ]
        for worker in self.workers:
            await worker.wait_for("started", 30)

        print("connecting boards ...", flush=True)
        boards.send(cmd="connect")
        board_connect = await boards.wait_for("connected", 60 + args.boards)
        print(
            f"  {board_connect['connected']}/{args.boards} boards, snapshot of "
            f"{board_connect['cells']} cells ({board_connect['snapshot_kb']} KB) each",
            flush=True,
        )
        print(f"connecting {len(techs)} technician sockets ...", flush=True)
        for worker in tech_workers:
            worker.send(cmd="connect")
        connect_timeout = 60 + args.sites / 20
        tech_connects = [await w.wait_for("connected", connect_timeout) for w in tech_workers]
        connected_techs = sum(c["connected"] for c in tech_connects)
        connect_span = max(c["finished"] for c in tech_connects) - min(
            c["started"] for c in tech_connects
        )
        await asyncio.sleep(1.0)
        connected = sample(self.daphnes)
        print(
            f"  {connected_techs}/{len(techs)} in {connect_span:.1f} s",
            flush=True,
        )

        t0 = time.monotonic() + 1.0
        print(f"reporting: 2 reports per site over {args.spread:.0f} s ...", flush=True)
        for worker in tech_workers:
            worker.send(cmd="go", t0=t0)
        stop_sampling = asyncio.Event()
        peaks = asyncio.create_task(peak_rss(self.daphnes, stop_sampling))
        await asyncio.sleep(max(0.0, t0 - time.monotonic()))
        at_go = sample(self.daphnes)
        if args.py_spy:
            self.start_py_spy(args.py_spy, args.spread + 2)
        reported = [
            await w.wait_for("reported", args.spread + ACK_TIMEOUT_S + 30) for w in tech_workers
        ]
        boards.send(
            cmd="drain",
            deadline=time.monotonic() + DRAIN_S,
            reports=[str(self.tmp / f"reports{n}.json") for n in range(len(tech_workers))],
        )
        drained = await boards.wait_for("drained", DRAIN_S + 120)
        after = sample(self.daphnes, at=drained["drained_at"])
        stop_sampling.set()
        peak = await peaks
        for worker in self.workers:
            worker.send(cmd="close")
        return summarise(
            args,
            plan=plan,
            setup_s=setup_s,
            board_connect=board_connect,
            tech_connects=tech_connects,
            connect_span=connect_span,
            reported=reported,
            drained=drained,
            samples=(baseline, connected, at_go, after),
            peak=peak,
        )

    def start_py_spy(self, prefix: str, seconds: float) -> None:
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        for port, daphne in zip(self.ports, self.daphnes, strict=True):
            self.profilers.append(
                subprocess.Popen(
                    [
                        *(py_spy, "record", "--threads", "--format", "raw", "--rate", "200"),
                        *("-d", str(int(seconds)), "-p", str(daphne.pid)),
                        *("-o", f"{prefix}-{port}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    async def child(self, command: list[str], timeout: float) -> None:
        process = await asyncio.create_subprocess_exec(
            *command,
            env=self.env,
            cwd=self.args.app_root,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
        if process.returncode != 0:
            sys.stderr.write(output.decode(errors="replace"))
            raise RuntimeError(f"setup failed with status {process.returncode}")

    def start_daphne(self, port: int) -> None:
        with open(self.tmp / f"daphne-{port}.log", "wb") as log:
            self.daphnes.append(
                subprocess.Popen(
                    [
                        *(sys.executable, "-m", "config.serve", "-b", "127.0.0.1", "-p", str(port)),
                        "config.asgi:application",
                    ],
                    env=self.env,
                    cwd=self.args.app_root,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    async def wait_healthy(self, port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                answer = await asyncio.to_thread(
                    lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                )
                if answer.status == 200:
                    return
            except OSError:
                pass
            if any(p.poll() is not None for p in self.daphnes):
                break
            await asyncio.sleep(0.3)
        raise RuntimeError(f"Daphne on port {port} did not come up: {self.daphne_log(port)}")

    def daphne_log(self, port: int) -> str:
        path = self.tmp / f"daphne-{port}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    async def warm_up(self, plan: dict) -> None:
        """Load every code path once per Daphne (imports, caches, pools) before the baseline."""
        spec = importlib.util.spec_from_file_location("_readiness_client", CLIENT)
        client = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(client)
        open_socket = client.open_socket

        got = asyncio.Event()
        for port in self.ports:
            got.clear()
            board = await open_socket(
                "127.0.0.1",
                port,
                f"/ws/conferences/{plan['conferences'][0]}/board/",
                plan["board_cookie"],
                lambda *_: got.set(),
                "warm-up",
            )
            for _ in range(300):  # the snapshot, or the server closing the socket
                if got.is_set() or board.closed:
                    break
                await asyncio.sleep(0.1)
            board.close()
            got.clear()
            tech = await open_socket(
                "127.0.0.1", port, "/ws/readiness/", plan["techs"][0][1], lambda *_: got.set(), 0
            )
            tech.send_text(json.dumps({"type": "ping", "id": "p", "content": {}}))
            await asyncio.wait_for(got.wait(), 30)
            tech.close()

    async def spawn(self, name: str, config: dict) -> Worker:
        path = self.tmp / f"{name}.json"
        path.write_text(json.dumps(config))
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(CLIENT),
            str(path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**24,
            cwd=ROOT,
        )
        worker = Worker(name, process)
        self.workers.append(worker)
        return worker

    async def cleanup(self) -> None:
        for profiler in self.profilers:
            try:
                await asyncio.to_thread(profiler.wait, 30)
            except subprocess.TimeoutExpired:
                profiler.kill()
                profiler.wait()
        for worker in self.workers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(worker.process.wait(), 5)
            if worker.process.returncode is None:
                worker.process.kill()
                await worker.process.wait()
        for daphne in self.daphnes:
            if daphne.poll() is None:
                daphne.send_signal(signal.SIGTERM)
        for daphne in self.daphnes:
            try:
                await asyncio.to_thread(daphne.wait, 15)
            except subprocess.TimeoutExpired:
                daphne.kill()
                daphne.wait()
        if self.args.daphne_logs:
            os.makedirs(self.args.daphne_logs, exist_ok=True)
            for port in self.ports:
                log = self.tmp / f"daphne-{port}.log"
                if log.exists():
                    shutil.copy(log, Path(self.args.daphne_logs) / log.name)


# -- Measurements -------------------------------------------------------------------------------


def proc_cpu(pid: int | str) -> float:
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def proc_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_by_command(names: tuple[str, ...], mentioning: str = "") -> float:
    """CPU seconds of every process whose command name starts with one of `names` (and
    whose command line mentions `mentioning`: PostgreSQL backends name their database)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as comm:
                if not comm.read().strip().startswith(names):
                    continue
            if mentioning:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if mentioning.encode() not in cmdline.read():
                        continue
            total += proc_cpu(entry)
        except OSError:
            continue
    return total


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def sample(daphnes: list[subprocess.Popen], at: float | None = None) -> dict:
    return {
        "at": at or time.monotonic(),
        "rss_kb": [proc_rss_kb(d.pid) for d in daphnes],
        "daphne_cpu": [proc_cpu(d.pid) for d in daphnes],
        # The backends serving the bench database only (other work may share the server).
        "postgres_cpu": cpu_by_command(("postgres",), BENCH_DATABASE),
        "redis_cpu": cpu_by_command(("redis-server",)),
        "machine": machine_cpu(),
    }


async def peak_rss(daphnes: list[subprocess.Popen], stop: asyncio.Event) -> int:
    peak = 0
    for _ in range(3600):
        peak = max(peak, sum(proc_rss_kb(d.pid) for d in daphnes))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
        if stop.is_set():
            break
    return peak


def summarise(args, plan, setup_s, board_connect, tech_connects, connect_span, reported, drained,
              samples, peak) -> dict:  # fmt: skip
    baseline, connected, at_go, after = samples
    techs_connected = sum(c["connected"] for c in tech_connects)
    held = sum(r["held"] for r in reported) + drained["boards_live"] - drained["boards_closed"]
    sockets = techs_connected + board_connect["connected"]
    added_kb = sum(connected["rss_kb"]) - sum(baseline["rss_kb"])
    expected = sum(r["expected"] for r in reported)
    acked = sum(r["acked"] for r in reported)
    errors: dict[str, int] = {}
    for r in reported:
        for code, count in r["errors"].items():
            errors[code] = errors.get(code, 0) + count
    phase_s = after["at"] - at_go["at"]
    daphne_cpu = sum(after["daphne_cpu"]) - sum(at_go["daphne_cpu"])
    busy = (after["machine"][0] - at_go["machine"][0]) / max(
        1, after["machine"][1] - at_go["machine"][1]
    )
    result = {
        "sites": args.sites,
        "boards": args.boards,
        "daphnes": args.daphnes,
        "sessions": args.sessions,
        "province_boards": args.province_boards,
        "cells": board_connect["cells"],
        "snapshot_kb": board_connect["snapshot_kb"],
        "connected": held,
        "connect_failed": sum(c["failed"] for c in tech_connects) + board_connect["failed"],
        "connect_failures": merge_counts(
            [c["failure_kinds"] for c in tech_connects] + [board_connect["failure_kinds"]]
        ),
        "handshakes_per_s": round(techs_connected / connect_span, 1) if connect_span else None,
        "handshake_p50_ms": tech_connects[0]["handshake_p50_ms"],
        "handshake_p99_ms": max((c["handshake_p99_ms"] or 0) for c in tech_connects),
        "p50_ms": drained["p50_ms"],
        "p90_ms": drained["p90_ms"],
        "p99_ms": drained["p99_ms"],
        "max_ms": drained["max_ms"],
        "lost": (expected - acked) + drained["lost_reports"],
        "reports": expected,
        "acked": acked,
        "unacked": expected - acked,
        "acked_missing_on_a_board": drained["lost_reports"],
        "missed_board_pairs": drained["missed_pairs"],
        "errors": errors,
        "board_errors": drained["board_errors"],
        "gaps": drained["gaps"],
        "ack_p50_ms": max((r["ack_p50_ms"] or 0) for r in reported),
        "ack_p99_ms": max((r["ack_p99_ms"] or 0) for r in reported),
        "deltas": drained["deltas"],
        "delta_mb": drained["delta_mb"],
        "final_states": drained["final_states"],
        "board_close_codes": drained["board_close_codes"],
        "late_board": drained["late_board"],
        "late_snapshot_kb": drained.get("late_snapshot_kb"),
        "kb_per_conn": round(added_kb / sockets, 1) if sockets else None,
        "rss_mb_baseline": round(sum(baseline["rss_kb"]) / 1024, 1),
        "rss_mb_connected": round(sum(connected["rss_kb"]) / 1024, 1),
        "rss_mb_peak": round((peak or 0) / 1024, 1),
        "report_phase_s": round(phase_s, 1),
        "cpu_daphne_s": round(daphne_cpu, 1),
        "cpu_daphne_pct": [
            round(100 * (b - a) / phase_s)
            for a, b in zip(at_go["daphne_cpu"], after["daphne_cpu"], strict=True)
        ],
        "cpu_postgres_s": round(after["postgres_cpu"] - at_go["postgres_cpu"], 1),
        "cpu_redis_s": round(after["redis_cpu"] - at_go["redis_cpu"], 1),
        "cpu_clients_s": round(
            sum(r["report_cpu_s"] for r in reported) + drained["report_cpu_s"], 1
        ),
        "cpu_daphne_connect_s": round(
            sum(connected["daphne_cpu"]) - sum(baseline["daphne_cpu"]), 1
        ),
        "machine_busy_pct": round(100 * busy),
        "setup_s": round(setup_s, 1),
    }
    result["goals_met"] = bool(
        held == args.sites + args.boards
        and result["p99_ms"] is not None
        and result["p99_ms"] <= GOALS["p99_ms"]
        and result["lost"] <= GOALS["lost"]
        and result["kb_per_conn"] is not None
        and result["kb_per_conn"] <= GOALS["kb_per_conn"]
    )
    return result


def merge_counts(parts: list[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for part in parts:
        for key, count in part.items():
            merged[key] = merged.get(key, 0) + count
    return merged


def report(r: dict) -> None:
    print(
        f"{r['sites']} technician sockets + {r['boards']} boards on {r['daphnes']} Daphne "
        f"process(es); {r['sessions']} session(s), the largest of {r['cells']} sites "
        f"(snapshot {r['snapshot_kb']} KB)"
    )
    print(
        f"connected and held: {r['connected']}/{r['sites'] + r['boards']} "
        f"({r['connect_failed']} failed {r['connect_failures'] or ''}); "
        f"{r['handshakes_per_s']} handshakes/s (p50 {r['handshake_p50_ms']} ms, "
        f"p99 {r['handshake_p99_ms']} ms)"
    )
    print(
        f"memory: {r['kb_per_conn']} KB per connection "
        f"(Daphne RSS {r['rss_mb_baseline']} -> {r['rss_mb_connected']} MB, peak "
        f"{r['rss_mb_peak']} MB)"
    )
    print(
        f"report -> every board: p50 {r['p50_ms']} ms, p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms,"
        f" max {r['max_ms']} ms; ack p50 {r['ack_p50_ms']} ms, p99 {r['ack_p99_ms']} ms"
    )
    print(
        f"reports: {r['reports']} sent, {r['acked']} acked, lost {r['lost']} "
        f"({r['unacked']} unacked, {r['acked_missing_on_a_board']} missing on a board); "
        f"errors {r['errors'] or 0}; {r['deltas']} deltas ({r['delta_mb']} MB), gaps {r['gaps']}"
    )
    print(
        f"a board opened after the reports: {r['late_board']}"
        + (f" (snapshot {r['late_snapshot_kb']} KB)" if r["late_snapshot_kb"] else "")
    )
    print(
        f"CPU over the {r['report_phase_s']} s report phase: Daphne {r['cpu_daphne_s']} s "
        f"({'/'.join(f'{p}%' for p in r['cpu_daphne_pct'])}), PostgreSQL {r['cpu_postgres_s']} s,"
        f" Redis {r['cpu_redis_s']} s, clients {r['cpu_clients_s']} s; machine "
        f"{r['machine_busy_pct']}% busy (2 cores); Daphne spent {r['cpu_daphne_connect_s']} s "
        f"accepting the sockets"
    )
    for key, goal in GOALS.items():
        value = r[key]
        verdict = "met" if value is not None and value <= goal else "MISSED"
        print(f"goal {key} <= {goal}: {value}, {verdict}")
    print(
        f"goal all connected: {r['connected']}/{r['sites'] + r['boards']}, "
        f"{'met' if r['connected'] == r['sites'] + r['boards'] else 'MISSED'}"
    )


# -- Setup, in a Django child process -----------------------------------------------------------


def setup(sites: int, sessions: int, province_boards: int = 0) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from accounts.roles import Role
    from conferencing.models import Bridge, Endpoint, Leg, Level, Office
    from conferencing.site_selection import SiteSelection
    from meetings.booking import BookingRequest, Details, Slot, book

    assert connection.vendor == "postgresql", connection.vendor
    call_command("migrate", verbosity=0)
    call_command("import_divisions", verbosity=0)
    add_extra_sites(sites - Endpoint.objects.count())
    codes = list(Endpoint.objects.order_by("path").values_list("code", flat=True)[:sites])

    User = get_user_model()
    secretariat = User.objects.create_user("thuky-bench", password=None)
    secretariat.groups.add(Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0])
    # The central office books the national session on its own bridge (issue 13).
    root = Endpoint.objects.filter(parent__isnull=True).order_by("level", "path").first()
    central = Office.objects.create(code="VPCP", name="Văn phòng Chính phủ", jurisdiction=root)
    central.members.add(secretariat)
    bridge = Bridge.objects.create(
        name="MCU bench",
        dial_in="sip:bench@vc.example.vn",
        port_capacity=max(4000, sites),
        owner=central,
    )
    start = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    conferences, legs = [], {}
    for part in range(sessions):
        chosen = codes[part::sessions]
        meeting = book(
            BookingRequest(
                details=Details(title=f"Giao ban trực tuyến toàn quốc {part + 1} (bench)"),
                slot=Slot(start, start + timedelta(hours=2), 60),
                bridge_id=bridge.pk,
                sites=SiteSelection(sites=tuple(chosen)),
                host_code=chosen[0],
            ),
            secretariat,
        )
        conferences.append(meeting.conference_id)
        legs.update(
            Leg.objects.filter(conference=meeting.conference).values_list("endpoint_id", "pk")
        )
    technicians = technicians_for(sorted(legs))
    provincial = provincial_secretariats(province_boards)
    cookies = sessions_for([secretariat, *technicians, *provincial])
    province_cookies = cookies[len(cookies) - len(provincial) :] if provincial else []
    cookies = cookies[: len(cookies) - len(provincial)]
    seed_history()
    connection.cursor().execute("ANALYZE")
    return {
        "conferences": conferences,
        "board_cookie": cookies[0],
        "province_cookies": province_cookies,
        "techs": [
            [legs[user.bench_endpoint_id], cookie]
            for user, cookie in zip(technicians, cookies[1:], strict=True)
        ],
        "levels": {
            Level(level).name.lower(): n
            for level, n in Endpoint.objects.filter(code__in=codes)
            .values("level")
            .annotate(n=Count("pk"))
            .values_list("level", "n")
        },
    }


def provincial_secretariats(boards: int) -> list:
    """For `boards` province boards: an office per province (as many provinces as
    boards, in code order), each with one secretariat user acting for it."""
    if boards <= 0:
        return []
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from conferencing.models import Endpoint, Level, Office

    User = get_user_model()
    group = Group.objects.get_or_create(name=Role.SECRETARIAT.value)[0]
    users = []
    for province in Endpoint.objects.filter(level=Level.PROVINCE).order_by("code")[:boards]:
        office = Office.objects.create(
            code=f"VP-{province.code}",
            name=f"Văn phòng UBND {province.name}",
            jurisdiction=province,
        )
        user = User.objects.create_user(f"thuky-{province.code}", password=None)
        user.groups.add(group)
        office.members.add(user)
        users.append(user)
    return users


def seed_history(per_site: int = 10) -> None:
    """Past reports in the event log (a few weeks of use), so that PostgreSQL plans the
    report's look-ups as it would in production, not for an empty table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO conferencing_readinessevent (leg_id, seq, actor_id, at, from_state, "
            "to_state, checklist, people_present, note, client_id) "
            "SELECT l.id, 0, t.user_id, now() - interval '30 days', 'pending', 'checking', "
            "'{}'::jsonb, NULL, '', 'history-' || g "
            "FROM conferencing_leg l "
            "JOIN conferencing_endpoint_technicians t ON t.endpoint_id = l.endpoint_id, "
            "generate_series(1, %s) AS g",
            [per_site],
        )


def add_extra_sites(count: int) -> None:
    """Synthetic communes (code B00000…) spread over the provinces, beyond the real tree."""
    if count <= 0:
        return
    from conferencing.models import Endpoint, Level, path_for

    provinces = list(Endpoint.objects.filter(level=Level.PROVINCE).order_by("code"))
    Endpoint.objects.bulk_create(
        (
            Endpoint(
                code=f"B{n:05d}",
                name=f"Điểm cầu bổ sung {n:05d}",
                level=Level.COMMUNE,
                parent=provinces[n % len(provinces)],
                path=path_for(f"B{n:05d}", provinces[n % len(provinces)].path),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def technicians_for(endpoint_ids: list[int]) -> list:
    """One technician per site, in bulk: unusable passwords (sessions are made directly)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from conferencing.models import Endpoint

    User = get_user_model()
    users = User.objects.bulk_create(
        (User(username=f"kt-{endpoint_id}", password=make_password(None)) for endpoint_id in
         endpoint_ids),
        batch_size=2000,
    )  # fmt: skip
    group = Group.objects.get_or_create(name=Role.TECHNICIAN.value)[0]
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=user.pk, group_id=group.pk) for user in users),
        batch_size=5000,
    )
    Endpoint.technicians.through.objects.bulk_create(
        (
            Endpoint.technicians.through(endpoint_id=endpoint_id, user_id=user.pk)
            for user, endpoint_id in zip(users, endpoint_ids, strict=True)
        ),
        batch_size=5000,
    )
    for user, endpoint_id in zip(users, endpoint_ids, strict=True):
        user.bench_endpoint_id = endpoint_id
    return users


def sessions_for(users: list) -> list[str]:
    """A signed-in database session per user, written in bulk; returns the session keys."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    keys = [get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") for _ in users]
    Session.objects.bulk_create(
        (
            Session(
                session_key=key,
                session_data=store.encode(
                    {
                        SESSION_KEY: str(user.pk),
                        BACKEND_SESSION_KEY: "accounts.backends.PersonModelBackend",
                        HASH_SESSION_KEY: user.get_session_auth_hash(),
                    }
                ),
                expire_date=expires,
            )
            for user, key in zip(users, keys, strict=True)
        ),
        batch_size=2000,
    )
    return keys


if __name__ == "__main__":
    sys.exit(main())
