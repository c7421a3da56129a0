"""A real HTTP receiver on loopback for webhook tests and the benchmark: it records each
request and checks its Standard Webhooks signature, answers with the status it is told,
may be slow, and can be stopped and started again on the same port (an outage)."""

import http.server
import socket
import threading
import time
from dataclasses import dataclass, field

from integrations import signing


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signed: bool
    at: float = field(default_factory=time.time)


class Receiver:
    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.status = 200
        self.delay = 0.0
        self.received: list[Received] = []
        self.lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/giaoban"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                signed = bool(receiver.secret) and signing.verify(receiver.secret, headers, body)
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.received.append(Received(headers, body, signed))
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok " * 600)  # longer than the log keeps

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
