"""Benchmark: request bodies (issue 11, defect 2) — anonymous bodies far over the limit and
authorised uploads through the app, all at once, measuring the server's memory.

    .venv/bin/python bench/bodies.py [--body-mb 300] [--upload-mb 100] [--server daphne]

Real processes on this machine (loopback), posting straight to the server (no proxy): a
throwaway SQLite database migrated in a temporary VAR_DIR, local-disk storage, and one
server process started as bin/run starts it (`python -m config.serve`; `--server daphne`
starts Daphne's own `python -m daphne` instead, for the figure before the fix). A setup
child creates a secretariat user with an API token and a meeting.

All at once, each from its own thread:
- 3 anonymous POSTs of --body-mb MB with Content-Length (to /login/ and /healthz);
- 3 anonymous chunked POSTs of --body-mb MB (to /healthz and /login/);
- 3 authorised document uploads of --upload-mb MB through the app in parts no larger
  than the limit (`authorised_document_uploads`: the local-disk chunked path).
The anonymous clients send their body while watching for an answer, and stop sending
when one comes (as a browser does); a refused body counts in refused_413.

Measured: the server's VmRSS (/proc/<pid>/status) every 100 ms: rss_baseline_mb before
the clients start, rss_peak_mb, rss_growth_mb = peak - baseline (goal <= 30),
rss_after_mb 2 s after the last client finished; refused_413 (goal >= 6); uploads_ok;
anonymous_answer_s (the slowest answer to an anonymous POST), uploads_s, total_s;
anonymous_mb_sent (what the anonymous clients managed to send before their answer).

Prints human-readable lines, then one JSON object as the last line.
"""

import sys

# Run as a script, this directory comes first on sys.path, where a benchmark named like
# a standard module would shadow it: look in it for nothing.
sys.path[:] = [p for p in sys.path if p != __file__.rsplit("/", 1)[0]]

import argparse
import http.client
import json
import os
import secrets
import select
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import rss_mb, serving
from tests.fixtures.services import free_ports

MB = 1_000_000
MiB = 1024 * 1024
GOALS = {"rss_growth_mb": 30, "refused_413": 6}
CLIENT_TIMEOUT_S = 300
SEND_PIECE = 256 * 1024
PDF_HEAD = b"%PDF-1.7\n"
ASGI_APP = "config.asgi:application"
SERVERS = {
    "bounded": ["-m", "config.serve"],  # what bin/run starts
    "daphne": ["-m", "daphne"],  # Daphne's own server: the figure before the fix
}
ANONYMOUS = [  # (path, chunked)
    ("/login/", False),
    ("/healthz", False),
    ("/login/", False),
    ("/healthz", True),
    ("/login/", True),
    ("/healthz", True),
]
UPLOADS = 3


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--body-mb", type=int, default=300, help="each anonymous body, MB")
    parser.add_argument("--upload-mb", type=int, default=100, help="each authorised upload, MB")
    parser.add_argument("--server", choices=sorted(SERVERS), default="bounded")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    if not 1 <= args.body_mb <= 10_000 or not 1 <= args.upload_mb <= 10_000:
        parser.error("--body-mb and --upload-mb: 1..10000")
    return args


# -- The application side: environment, setup child, server ---------------------------------


def app_environment(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("S3_", "DATABASE_", "REDIS_")):
            env.pop(name)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
        DEBUG="false",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


def setup_child() -> None:
    """Runs in the child (--setup): a secretariat user with a token and a meeting."""
    import django

    django.setup()
    from accounts.roles import Role
    from conferencing.site_selection import SiteSelection
    from people import api_tokens
    from tests.factories import BridgeFactory, UserFactory, booked, central_office, site_tree

    site_tree(provinces=1, communes=1)
    user = UserFactory(username="thuky-bench", roles=[Role.SECRETARIAT])
    meeting = booked(
        user,
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        bridge_id=BridgeFactory().pk,
        details__title="Giao ban benchmark",
    )
    # Made for her office: a token bound to no office manages no session's records.
    token = api_tokens.create(
        user, name="Benchmark", scope="read_write", office_id=central_office().pk
    )
    print(json.dumps({"token": token.key, "meeting": meeting.pk}))


def run_setup(env: dict[str, str]) -> dict:
    for command in (
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        [sys.executable, __file__, "--setup"],
    ):
        done = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise SystemExit(f"{' '.join(command[1:])} failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def server(kind: str, env: dict[str, str], port: int, log_path: Path):
    argv = [sys.executable, *SERVERS[kind], "-b", "127.0.0.1", "-p", str(port), ASGI_APP]
    return serving(argv, env, log_path, lambda: request(port, "GET", "/healthz")[0] == 200)


# -- Measuring the server process -------------------------------------------------------------


class RssSampler:
    """VmRSS every 100 ms in a thread, keeping the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = rss_mb(pid)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            self.peak = max(self.peak, rss_mb(self.pid))

    def stop(self) -> float:
        self.stopped.set()
        self.thread.join()
        return self.peak


# -- Clients ----------------------------------------------------------------------------------


def request(port: int, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def status_of(response: bytes) -> int:
    """The status of a raw HTTP answer, skipping any "100 Continue"; 0 if there is none."""
    for line in response.split(b"\r\n"):
        if line.startswith(b"HTTP/1.") and line.split()[1:2] != [b"100"]:
            return int(line.split()[1])
    return 0


def anonymous_post(port: int, path: str, size: int, chunked: bool) -> dict:
    """POST `size` bytes without credentials on a raw socket, sending while watching for
    an answer; returns {status, sent, seconds}."""
    started = time.perf_counter()
    sock = socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT_S)
    sock.setblocking(False)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    pending = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/octet-stream\r\n{framing}\r\n\r\n"
    ).encode()
    piece = os.urandom(SEND_PIECE)
    sent = 0  # body bytes handed to the socket
    response = b""
    answered = False  # an answer has begun: stop sending, as a browser does
    try:
        while True:
            want_write = not answered and (bool(pending) or sent < size)
            readable, writable, _ = select.select(
                [sock], [sock] if want_write else [], [], CLIENT_TIMEOUT_S
            )
            if not readable and not writable:
                break
            if readable:
                data = sock.recv(65536)
                if not data:
                    break
                response += data
                answered = status_of(response) != 0
                if answered and complete(response):
                    break
                continue
            if not pending:
                length = min(SEND_PIECE, size - sent)
                data = piece[:length]
                if chunked:
                    data = b"%x\r\n%s\r\n" % (length, data)
                    if sent + length == size:
                        data += b"0\r\n\r\n"
                pending = data
                sent += length
            written = sock.send(pending)
            pending = pending[written:]
    except (BrokenPipeError, ConnectionResetError):
        # The server closed while we were sending: read what it answered, if anything.
        try:
            sock.setblocking(True)
            sock.settimeout(2)
            while data := sock.recv(65536):
                response += data
        except OSError:
            pass
    finally:
        sock.close()
    return {
        "path": path,
        "chunked": chunked,
        "status": status_of(response),
        "sent": sent,
        "seconds": time.perf_counter() - started,
    }


def complete(response: bytes) -> bool:
    head, _, body = response.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


class Api:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call(self, method: str, path: str, data=None, body=None, content_type=None):
        headers = dict(self.headers)
        if data is not None:
            body = json.dumps(data).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        status, content = request(self.port, method, "/api/v1" + path, body, headers)
        return status, json.loads(content) if content else None


def authorised_document_uploads(api: Api, meeting: int, size: int, count: int) -> list[dict]:
    """`count` authorised document uploads of `size` bytes through the app's chunked path
    (local disk: create, PUT each part to the app, complete), concurrently; returns
    {ok, seconds, detail} for each. Verification is the task worker's, not the server's,
    and is not part of this run."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [
            pool.submit(upload_document, api, meeting, size, number)
            for number in range(1, count + 1)
        ]
        return [future.result() for future in futures]


def upload_document(api: Api, meeting: int, size: int, number: int) -> dict:
    started = time.perf_counter()
    status, upload = api.call(
        "POST",
        f"/meetings/{meeting}/document-uploads/",
        {
            "kind": "agenda",
            "title": f"Tài liệu benchmark {number}",
            "file_name": f"tài-liệu-{number}.pdf",
            "size": size,
            "content_type": "application/pdf",
        },
    )
    if status != 201:
        return {"ok": False, "seconds": 0.0, "detail": f"create: {status} {upload}"}
    block = os.urandom(MiB)
    parts = []
    for part in range(1, upload["part_count"] + 1):
        length = min(upload["part_size"], size - (part - 1) * upload["part_size"])
        body = (block * (length // MiB + 1))[:length]
        if part == 1:
            body = PDF_HEAD + body[len(PDF_HEAD) :]
        status, answer = api.call(
            "PUT",
            f"/document-uploads/{upload['id']}/parts/{part}/",
            body=body,
            content_type="application/octet-stream",
        )
        if status != 200:
            return {"ok": False, "seconds": 0.0, "detail": f"part {part}: {status} {answer}"}
        parts.append({"number": part, "etag": answer["etag"]})
    status, answer = api.call(
        "POST", f"/document-uploads/{upload['id']}/complete/", {"parts": parts}
    )
    return {
        "ok": status == 202,
        "seconds": time.perf_counter() - started,
        "detail": "" if status == 202 else f"complete: {status} {answer}",
    }


# -- The run ----------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.setup:
        setup_child()
        return 0
    body_size = args.body_mb * MB
    upload_size = args.upload_mb * MB
    with tempfile.TemporaryDirectory(prefix="giaoban-bench-bodies-", dir="/tmp") as work:
        work_dir = Path(work)
        env = app_environment(str(work_dir))
        setup = run_setup(env)
        (port,) = free_ports(1)
        log_path = work_dir / "server.log"
        with server(args.server, env, port, log_path) as process:
            api = Api(port, setup["token"])
            time.sleep(1.0)  # let the process settle after its first request
            baseline = statistics.median(rss_mb(process.pid) for _ in range(5))
            sampler = RssSampler(process.pid)
            print(
                f"{args.server} server pid {process.pid}, baseline RSS {baseline:.1f} MB; "
                f"{len(ANONYMOUS)} anonymous {args.body_mb} MB POSTs and {UPLOADS} "
                f"authorised {args.upload_mb} MB uploads at once",
                flush=True,
            )
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=len(ANONYMOUS) + 1) as pool:
                uploads_future = pool.submit(
                    authorised_document_uploads, api, setup["meeting"], upload_size, UPLOADS
                )
                anonymous = list(
                    pool.map(
                        lambda target: anonymous_post(port, target[0], body_size, target[1]),
                        ANONYMOUS,
                    )
                )
                uploads = uploads_future.result()
            total_s = time.perf_counter() - started
            time.sleep(2.0)
            peak = sampler.stop()
            after = rss_mb(process.pid)
            peak = max(peak, after)
    for post in anonymous:
        framing = "chunked" if post["chunked"] else "Content-Length"
        print(
            f"  POST {post['path']:<9} {framing:<14} -> {post['status']} after "
            f"{post['seconds']:.2f} s, {post['sent'] / MB:.1f} MB sent"
        )
    for number, upload in enumerate(uploads, 1):
        outcome = "ok" if upload["ok"] else f"FAILED {upload['detail']}"
        print(f"  upload {number}: {outcome} in {upload['seconds']:.2f} s")
    result = {
        "server": args.server,
        "body_mb": args.body_mb,
        "upload_mb": args.upload_mb,
        "rss_baseline_mb": round(baseline, 1),
        "rss_peak_mb": round(peak, 1),
        "rss_growth_mb": round(peak - baseline, 1),
        "rss_after_mb": round(after, 1),
        "refused_413": sum(post["status"] == 413 for post in anonymous),
        "anonymous_statuses": [post["status"] for post in anonymous],
        "anonymous_answer_s": round(max(post["seconds"] for post in anonymous), 2),
        "anonymous_mb_sent": round(sum(post["sent"] for post in anonymous) / MB, 1),
        "uploads_ok": sum(upload["ok"] for upload in uploads),
        "uploads": len(uploads),
        "uploads_s": round(max(upload["seconds"] for upload in uploads), 2),
        "total_s": round(total_s, 2),
        "goals": GOALS,
    }
    print(
        f"RSS {result['rss_baseline_mb']} -> peak {result['rss_peak_mb']} MB "
        f"(growth {result['rss_growth_mb']} MB, goal <= {GOALS['rss_growth_mb']}), "
        f"after {result['rss_after_mb']} MB; refused_413 {result['refused_413']} "
        f"(goal >= {GOALS['refused_413']}); uploads ok {result['uploads_ok']}/{UPLOADS}"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
