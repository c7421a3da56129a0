"""Benchmark: records (issue 5) — a multi-GB recording through the presigned flow and a
15 MB PDF through the application, measuring the application process.

    .venv/bin/python bench/records.py --size-gb 2

Real processes, all on this machine (loopback): its own SeaweedFS (bin/seaweedfs with
an identity file, as the tests start it), a throwaway SQLite database migrated in a
temporary VAR_DIR, and one Daphne process serving config.asgi:application as bin/run
starts it, in S3 mode. A setup child creates a secretariat user with an API token and a
session.

Recording: a file of --size-gb GiB is generated in /tmp (an MP4 `ftyp` box, then
random blocks); the client creates the upload through the API, has every part URL
signed, PUTs the parts straight to SeaweedFS from a thread pool (--threads), completes
the upload, then downloads the recording by following the API's 302 to its presigned
URL. Document: a 15 MB PDF (under the 16 MiB body limit) POSTed to
/api/v1/meetings/<id>/records/ (multipart form).

Measured:
- upload_mb_per_s, download_mb_per_s: recording bytes / wall time of the part PUTs,
  of the download (MB = 10^6 bytes);
- presign_400_parts_ms: median of 5 POSTs of /sign/ for 400 parts (HTTP: DRF, token
  auth, a database query and the signing), and presign_400_parts_in_process_ms:
  storage_multipart.sign_parts for 400 parts inside a Django process (median of 5);
- recording_rss_growth_mb / document_rss_growth_mb: Daphne's VmRSS (/proc/<pid>/status,
  sampled every 50 ms) peak during the phase minus the value before it; rss_* give
  before / peak / after in MB;
- recording_bytes_through_app: the Daphne process's rchar + wchar (/proc/<pid>/io:
  every byte it read or wrote, sockets, database and files alike) while the recording's
  bytes travel: from the first part PUT to the last, and during the download from S3.
  The API calls around them (create, sign, complete, the 302) are counted apart in
  recording_api_bytes_through_app: JSON, the token lookup, SQLite pages, the app's own
  S3 calls (CreateMultipartUpload, ListParts, CompleteMultipartUpload, HeadObject).
  A recording passing through the app would show up as at least its size in the first
  figure; the second is overhead that does not grow with the recording's size.

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
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import rss_mb, serving
from tests.fixtures.services import free_ports, run_seaweedfs

MiB = 1024 * 1024
MB = 1_000_000
GOALS = {
    "recording_bytes_through_app": 0,
    "recording_rss_growth_mb": 30,
    "document_rss_growth_mb": 30,
    "presign_400_parts_ms": 100,
}
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
# The single-request document upload (POST .../records/), under the server's 16 MiB body
# limit: larger documents travel by upload session (bench/bodies.py measures those).
DOCUMENT_BYTES = 15 * MB
ASGI_APP = "config.asgi:application"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-gb", type=float, default=2.0, help="recording size in GiB")
    parser.add_argument("--threads", type=int, default=4, help="parallel part uploads")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    if not 0.01 <= args.size_gb <= 50 or not 1 <= args.threads <= 32:
        parser.error("--size-gb 0.01..50, --threads 1..32")
    return args


# -- The application side: environment, setup child, Daphne ----------------------------------


def app_environment(var_dir: str, s3) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "S3_PUBLIC_ENDPOINT_URL", "S3_ACCESS_KEY_FILE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
        DEBUG="false",
        S3_ENDPOINT_URL=s3.endpoint_url,
        S3_BUCKET=s3.bucket,
        S3_ACCESS_KEY=s3.access_key,
        S3_SECRET_KEY=s3.secret_key,
        S3_REGION=s3.region,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


def setup_child() -> None:
    """Runs in the child (--setup): a secretariat user with a token, a session, and the
    in-process presigning figure. Prints one JSON line."""
    import django

    django.setup()
    from accounts.roles import Role
    from conferencing.site_selection import SiteSelection
    from meetings.records import storage_multipart
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
    key = f"records/bench/{uuid.uuid4().hex}"
    storage_multipart.sign_parts(key, "warm-up", [1], expires_s=3600)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        storage_multipart.sign_parts(key, "upload-id", range(1, 401), expires_s=3600)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {"token": token.key, "meeting": meeting.pk, "sign_ms": statistics.median(timings)}
        )
    )


def run_setup(env: dict[str, str]) -> dict:
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if migrate.returncode:
        raise SystemExit(f"migrate failed:\n{migrate.stdout}{migrate.stderr}")
    done = subprocess.run(
        [sys.executable, __file__, "--setup"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"setup failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def daphne(env: dict[str, str], port: int, log_path: Path):
    argv = [sys.executable, "-m", "config.serve", "-b", "127.0.0.1", "-p", str(port), ASGI_APP]
    return serving(
        argv, env, log_path, lambda: request("127.0.0.1", port, "GET", "/healthz")[0] == 200
    )


# -- Measuring the Daphne process -------------------------------------------------------------


def io_bytes(pid: int) -> int:
    """Every byte the process read or wrote (rchar + wchar), whatever the file or socket."""
    counters = {}
    with open(f"/proc/{pid}/io") as io:
        for line in io:
            name, value = line.split(":")
            counters[name] = int(value)
    return counters["rchar"] + counters["wchar"]


class RssSampler:
    """VmRSS every 50 ms in a thread; `phase()` gives before / peak / after of a block."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stopped.wait(0.05):
            value = rss_mb(self.pid)
            with self.lock:
                self.peak = max(self.peak, value)

    @contextmanager
    def phase(self, figures: dict):
        time.sleep(0.3)  # let the process settle
        before = rss_mb(self.pid)
        with self.lock:
            self.peak = before
        yield
        time.sleep(0.5)
        after = rss_mb(self.pid)
        with self.lock:
            peak = max(self.peak, after)
        figures.update(before=round(before, 1), peak=round(peak, 1), after=round(after, 1))
        figures["growth"] = round(peak - before, 1)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()


# -- HTTP clients -----------------------------------------------------------------------------


def request(host: str, port: int, method: str, path: str, body=None, headers=None):
    connection = http.client.HTTPConnection(host, port, timeout=600)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Api:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call(self, method: str, path: str, data=None, expect=(200,)):
        headers = dict(self.headers)
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        status, response_headers, content = request(
            "127.0.0.1", self.port, method, "/api/v1" + path, body, headers
        )
        if status not in expect:
            raise SystemExit(f"{method} {path}: {status} {content[:500]!r}")
        return status, response_headers, json.loads(content) if content else None


def make_recording(path: Path, size: int) -> None:
    block = os.urandom(8 * MiB)
    with path.open("wb") as file:
        file.write(MP4_HEAD)
        remaining = size - len(MP4_HEAD)
        while remaining > 0:
            piece = block[: min(len(block), remaining)]
            file.write(piece)
            remaining -= len(piece)


def put_part(url: str, path: Path, offset: int, length: int) -> str:
    parts = urllib.parse.urlsplit(url)
    with path.open("rb") as file:
        body = os.pread(file.fileno(), length, offset)
    for attempt in range(3):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        try:
            connection.request("PUT", f"{parts.path}?{parts.query}", body=body)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return response.getheader("ETag").strip('"')
            error = f"HTTP {response.status}"
        except OSError as exc:
            error = str(exc)
        finally:
            connection.close()
        time.sleep(2**attempt)
    raise SystemExit(f"part at {offset}: {error}")


def download(url: str) -> int:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        if response.status != 200:
            raise SystemExit(f"download: HTTP {response.status}")
        total = 0
        while chunk := response.read(MiB):
            total += len(chunk)
        return total
    finally:
        connection.close()


def multipart_form(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields.items():
        lines.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = "".join(lines) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# -- The run ----------------------------------------------------------------------------------


def bench_recording(api: Api, meeting: int, path: Path, size: int, threads: int, pid: int) -> dict:
    figures: dict = {}
    io_start = io_bytes(pid)
    _status, _h, upload = api.call(
        "POST",
        f"/meetings/{meeting}/recording-uploads/",
        {
            "title": "Ghi hình benchmark",
            "file_name": "ghi-hình.mp4",
            "size": size,
            "content_type": "video/mp4",
        },
        expect=(201,),
    )
    numbers = list(range(1, upload["part_count"] + 1))
    urls: dict[str, str] = {}
    for start in range(0, len(numbers), 1000):
        _s, _h, signed = api.call(
            "POST",
            f"/recording-uploads/{upload['id']}/sign/",
            {"parts": numbers[start : start + 1000]},
        )
        urls.update(signed["urls"])
    io_before_transfer = io_bytes(pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = {
            n: pool.submit(
                put_part,
                urls[str(n)],
                path,
                (n - 1) * upload["part_size"],
                min(upload["part_size"], size - (n - 1) * upload["part_size"]),
            )
            for n in numbers
        }
        etags = {n: future.result() for n, future in futures.items()}
    upload_s = time.perf_counter() - started
    io_after_transfer = io_bytes(pid)
    _s, _h, done = api.call(
        "POST",
        f"/recording-uploads/{upload['id']}/complete/",
        {"parts": [{"number": n, "etag": etags[n]} for n in numbers]},
        expect=(202,),
    )
    version = done["record_version"]
    _s, headers, _body = api.call(
        "GET", f"/record-versions/{version['id']}/download/", expect=(302,)
    )
    io_before_download = io_bytes(pid)
    started = time.perf_counter()
    downloaded = download(headers["Location"])
    download_s = time.perf_counter() - started
    io_end = io_bytes(pid)
    if downloaded != size:
        raise SystemExit(f"downloaded {downloaded} bytes of {size}")
    transfer_io = (io_after_transfer - io_before_transfer) + (io_end - io_before_download)
    figures.update(
        parts=len(numbers),
        upload_s=round(upload_s, 2),
        download_s=round(download_s, 2),
        upload_mb_per_s=round(size / MB / upload_s, 1),
        download_mb_per_s=round(size / MB / download_s, 1),
        recording_bytes_through_app=transfer_io,
        recording_api_bytes_through_app=(io_end - io_start) - transfer_io,
    )
    return figures


def bench_presign_http(api: Api, meeting: int) -> float:
    _s, _h, upload = api.call(
        "POST",
        f"/meetings/{meeting}/recording-uploads/",
        {
            "title": "Presign",
            "file_name": "presign.mp4",
            "size": 400 * 8 * MiB,
            "content_type": "video/mp4",
        },
        expect=(201,),
    )
    path = f"/recording-uploads/{upload['id']}/sign/"
    api.call("POST", path, {"parts": [1]})
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        _s, _h, signed = api.call("POST", path, {"parts": list(range(1, 401))})
        timings.append((time.perf_counter() - started) * 1000)
        assert len(signed["urls"]) == 400
    api.call("DELETE", f"/recording-uploads/{upload['id']}/", expect=(204,))
    return statistics.median(timings)


def bench_document(api: Api, meeting: int) -> None:
    content = b"%PDF-1.7\n" + os.urandom(DOCUMENT_BYTES - 20) + b"\n%%EOF\n"
    content = content[:DOCUMENT_BYTES]
    body, content_type = multipart_form(
        {"kind": "minutes", "title": "Biên bản benchmark"}, "Biên bản họp.pdf", content
    )
    headers = dict(api.headers)
    headers["Content-Type"] = content_type
    status, _h, response = request(
        "127.0.0.1", api.port, "POST", f"/api/v1/meetings/{meeting}/records/", body, headers
    )
    if status != 201:
        raise SystemExit(f"document upload: {status} {response[:500]!r}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.setup:
        setup_child()
        return 0
    size = int(args.size_gb * 1024**3)
    with tempfile.TemporaryDirectory(prefix="giaoban-bench-records-", dir="/tmp") as work:
        work_dir = Path(work)
        (work_dir / "weed").mkdir()
        (work_dir / "var").mkdir()
        recording = work_dir / "recording.mp4"
        print(f"generating a {size / MiB:.0f} MiB recording in {recording}", flush=True)
        make_recording(recording, size)
        with run_seaweedfs(work_dir / "weed", bucket="giaoban-bench") as s3:
            env = app_environment(str(work_dir / "var"), s3)
            setup = run_setup(env)
            (port,) = free_ports(1)
            with daphne(env, port, work_dir / "daphne.log") as process:
                api = Api(port, setup["token"])
                sampler = RssSampler(process.pid)
                try:
                    presign_http_ms = bench_presign_http(api, setup["meeting"])
                    recording_rss: dict = {}
                    with sampler.phase(recording_rss):
                        recording_figures = bench_recording(
                            api, setup["meeting"], recording, size, args.threads, process.pid
                        )
                    document_rss: dict = {}
                    with sampler.phase(document_rss):
                        started = time.perf_counter()
                        bench_document(api, setup["meeting"])
                        document_s = time.perf_counter() - started
                finally:
                    sampler.stop()
    result = {
        "size_gb": args.size_gb,
        "recording_bytes": size,
        "parts": recording_figures["parts"],
        "threads": args.threads,
        "upload_mb_per_s": recording_figures["upload_mb_per_s"],
        "download_mb_per_s": recording_figures["download_mb_per_s"],
        "recording_bytes_through_app": recording_figures["recording_bytes_through_app"],
        "recording_api_bytes_through_app": recording_figures["recording_api_bytes_through_app"],
        "recording_rss_growth_mb": recording_rss["growth"],
        "rss_recording_mb": {k: recording_rss[k] for k in ("before", "peak", "after")},
        "document_rss_growth_mb": document_rss["growth"],
        "rss_document_mb": {k: document_rss[k] for k in ("before", "peak", "after")},
        "document_mb_per_s": round(DOCUMENT_BYTES / MB / document_s, 1),
        "presign_400_parts_ms": round(presign_http_ms, 1),
        "presign_400_parts_in_process_ms": round(setup["sign_ms"], 2),
        "goals": GOALS,
    }
    result["goals_met"] = (
        result["recording_bytes_through_app"] == GOALS["recording_bytes_through_app"]
        and result["recording_rss_growth_mb"] <= GOALS["recording_rss_growth_mb"]
        and result["document_rss_growth_mb"] <= GOALS["document_rss_growth_mb"]
        and result["presign_400_parts_ms"] <= GOALS["presign_400_parts_ms"]
    )
    print(
        f"recording {size / MiB:.0f} MiB in {recording_figures['parts']} parts: "
        f"upload {result['upload_mb_per_s']} MB/s, download {result['download_mb_per_s']} MB/s, "
        f"{result['recording_bytes_through_app']} bytes through the app while the recording "
        f"moved ({result['recording_api_bytes_through_app']} for the API calls around it), "
        f"RSS +{result['recording_rss_growth_mb']} MB"
    )
    print(
        f"document {DOCUMENT_BYTES // MB} MB: RSS +{result['document_rss_growth_mb']} MB; "
        "presign 400 parts: "
        f"{result['presign_400_parts_ms']} ms over HTTP, "
        f"{result['presign_400_parts_in_process_ms']} ms in process"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
