"""The reverse proxy of docker-compose.yml (deploy/nginx/default.conf.template), rendered as
the nginx image renders it, checked with `nginx -t` and run in front of a real Daphne
child: a body over the limit stops at the proxy with 413, WebSockets are upgraded."""

import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import pytest

from tests.fixtures.browser import SMALL_BODY_LIMIT
from tests.fixtures.services import free_ports

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "default.conf.template"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
STARTUP_TIMEOUT_S = 10.0

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx; .ci/run does)"
)


def nginx_conf(work: Path, listen: int, daphne_address: str) -> Path:
    """A whole nginx.conf around the template, with the image's substitution and every
    path in `work`."""
    server = Template(TEMPLATE.read_text()).safe_substitute(
        NGINX_LISTEN=str(listen),
        DAPHNE_ADDRESS=daphne_address,
        MAX_REQUEST_BODY_BYTES=str(SMALL_BODY_LIMIT),
    )
    # Workers as root when the tests run as root: `work` is private to this user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {work / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = work / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    access_log off;\n{temp_paths}{server}\n}}\n"
    )
    return conf


@pytest.fixture(scope="module")
def proxy(small_limit_daphne, tmp_path_factory) -> Iterator[dict]:
    work = tmp_path_factory.mktemp("nginx")
    (port,) = free_ports(1)
    conf = nginx_conf(work, port, f"127.0.0.1:{urlsplit(small_limit_daphne).port}")
    checked = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(work)], capture_output=True, text=True
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (work / "error.log").read_text() if (work / "error.log").exists() else ""
                    raise RuntimeError(f"nginx did not start: {log}") from None
                time.sleep(0.1)
        yield {"port": port, "check": checked}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_proxy_config_passes_nginx_test(proxy):
    assert proxy["check"].returncode == 0, proxy["check"].stderr


def test_proxy_refuses_a_body_over_the_limit_with_413(proxy):
    with socket.create_connection(("127.0.0.1", proxy["port"]), timeout=5) as sock:
        sock.sendall(
            b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Length: %d\r\n\r\n" % (SMALL_BODY_LIMIT + 1)
        )
        status_line = sock.recv(4096).split(b"\r\n")[0]

    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"


def test_proxy_passes_requests_to_daphne(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy["port"], timeout=10)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()

    assert response.status == 200


def test_proxy_upgrades_websockets(proxy):
    port = proxy["port"]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            f"GET /ws/nowhere/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)

    assert head.split(b"\r\n")[0] == b"HTTP/1.1 101 Switching Protocols"
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
