"""What the records tests share: a session with its people, storage switches, sample files."""

import contextlib
import io
import itertools
import signal
import socket
import threading
import zipfile

from django.core.management import call_command

from conferencing.site_selection import SiteSelection
from meetings.models import Classification, Meeting
from tests.factories import (
    BridgeFactory,
    DetailsFactory,
    booked,
    local_time,
    serve,
    site_tree,
    stored_version,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64  # a Windows program
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 60


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def content_types(main: str) -> bytes:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/main.xml" ContentType="{main}"/></Types>'
    ).encode()


DOCX = zipped(
    {
        "[Content_Types].xml": content_types(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = zipped(
    {
        "[Content_Types].xml": content_types(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        ),
        "xl/workbook.xml": b"<workbook/>",
    }
)
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ZIP = zipped({"readme.txt": b"just a zip"})


# Each session a day later than the last, so that they never share T01.
DAYS_AHEAD = itertools.count(7)


def session(
    organiser,
    classification: str = Classification.INTERNAL,
    attendees=(),
    technicians=(),
) -> Meeting:
    """A session at T01 booked by `organiser`, with named attendees and T01's technicians."""
    site_tree(provinces=1, communes=1)
    for technician in technicians:
        serve(technician, "T01")
    return booked(
        organiser,
        details=DetailsFactory(
            classification=classification,
            attendees=tuple((user.pk, "member") for user in attendees),
        ),
        sites=SiteSelection(sites=("T01",)),
        host_code="T01",
        slot__start=local_time(next(DAYS_AHEAD), 8),
        bridge_id=BridgeFactory(name="MCU records").pk,
    )


def local_storage(settings, tmp_path) -> None:
    """Records on local disk under a directory of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def s3_storage(settings, seaweedfs) -> None:
    """Records in the SeaweedFS bucket (signed with the identity file's keys)."""
    settings.STORAGES = seaweedfs.storages_setting(settings.STORAGES)


def dead_s3_storage(settings, seaweedfs, port: int) -> None:
    """S3 mode pointed at a port nothing listens on: every storage call fails."""
    settings.STORAGES = seaweedfs.storages_setting(
        settings.STORAGES, endpoint_url=f"http://127.0.0.1:{port}"
    )


class TcpProxy:
    """A loopback TCP relay to `target_port` that can be cut: a real network outage.

    `cut()` closes the listening socket and every relayed connection; what comes
    next is refused, as when the storage server goes down.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def cut(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()
        self.thread.join(timeout=5)


# The worker installs its own handlers for these; a test restores pytest's.
WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_records_worker() -> None:
    """Run what the "records" queue holds with the real worker (closes the connection:
    tests calling it need `django_db(transaction=True)`)."""
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--queue-name", "records", verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def pdf_version(meeting, uploader, content: bytes):
    """An agenda paper of `meeting` whose stored file is this PDF, available to readers."""
    return stored_version(
        content=content,
        record__meeting=meeting,
        record__kind="agenda",
        status="available",
        content_type="application/pdf",
        uploaded_by=uploader,
    )
