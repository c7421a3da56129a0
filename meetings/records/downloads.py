"""Handing a record's bytes to someone already allowed to see them.

S3 mode: a 302 to a presigned URL that expires (RECORDS_LINK_SECONDS; a recording
watched in the browser gets RECORDS_PLAYBACK_LINK_SECONDS, since the player asks
for more of the file whenever the viewer seeks) and carries the original file name
in Content-Disposition. The bytes never pass through the app.

Local mode: the app streams the file, with single-range requests (206, 416) so a
browser's <video> can seek. Under ASGI the chunks are read through an async
iterator: Django would otherwise collect a synchronous iterator into a list, that
is the whole recording in memory.

Every download of a confidential meeting's record leaves an audit entry.
"""

import re
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from audit import trail
from meetings.records import storage
from meetings.records.archive import is_confidential
from meetings.records.models import RecordKind, RecordVersion

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_BYTES = 1024 * 1024


class RangeNotSatisfiable(Exception):
    pass


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The [start, end) slice a Range header asks for, or None for the whole file.

    One range only: several ranges, or a header that is not a byte range, get the
    whole file (RFC 9110 lets a server ignore Range). A range starting at or past
    the end raises RangeNotSatisfiable.
    """
    match = RANGE.match((header or "").strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(size - length, 0), size
    start = int(first)
    end = size if not last else int(last) + 1
    if last and end <= start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(end, size)


def link_seconds(version: RecordVersion, inline: bool) -> int:
    if inline and version.record.kind == RecordKind.RECORDING:
        return int(settings.RECORDS_PLAYBACK_LINK_SECONDS)
    return int(settings.RECORDS_LINK_SECONDS)


def serve(
    request: HttpRequest, version: RecordVersion, *, inline: bool = False
) -> HttpResponseBase:
    """The version's bytes: a presigned redirect (S3) or a stream (local disk).

    Raises storage.StorageUnavailable (503) and ObjectMissing (the object is
    gone: 404) before any byte is sent. Side effect: audit "record.downloaded" for
    a confidential meeting's record.
    """
    if storage.is_s3():
        url = storage.download_url(
            version.key,
            original_name=version.original_name,
            content_type=version.content_type,
            expires_s=link_seconds(version, inline),
            inline=inline,
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
    else:
        response = stream(request, version, inline=inline)
    if is_confidential(version) and response.status_code in (200, 206, 302):
        trail.record(
            request.user,
            "record.downloaded",
            version,
            {
                "meeting": version.record.meeting_id,
                "inline": inline,
                "range": request.headers.get("Range", ""),
            },
        )
    return response


def stream(request: HttpRequest, version: RecordVersion, *, inline: bool) -> HttpResponseBase:
    size = version.size
    etag = f'"{version.sha256}"' if version.sha256 else None
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range is not None and (etag is None or if_range != etag):
        header = None  # the client's copy is another file: send this one whole
    try:
        wanted = byte_range(header, size)
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    start, end = wanted or (0, size)
    chunks = ChunkStream(
        storage.open_chunks(version.key, chunk_size=CHUNK_BYTES, start=start, end=end)
    )
    response = StreamingHttpResponse(
        _async_chunks(chunks) if served_by_asgi(request) else chunks,
        status=206 if wanted else 200,
        content_type=version.content_type,
    )
    response["Content-Length"] = str(end - start)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    if etag is not None:
        response["ETag"] = etag
    disposition = content_disposition_header(not inline, version.original_name)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-cache"
    return response


def served_by_asgi(request: HttpRequest) -> bool:
    """Whether the request came through ASGI. An API view hands over DRF's Request, which
    wraps Django's: looking only at the outer object would send a sync iterator to
    Django's ASGI handler, which collects it whole into memory."""
    return isinstance(getattr(request, "_request", request), ASGIRequest)


class ChunkStream:
    """The reader's chunks with the first one read now: the reader's file is then open
    inside its generator, so that closing the response (even unread) closes the file,
    and a read error happens before the answer starts."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._first = next(chunks, None)

    def __iter__(self) -> Iterator[bytes]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        yield from self._chunks

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


def _next_chunk(iterator: Iterator[bytes]) -> bytes | None:
    return next(iterator, None)


async def _async_chunks(chunks: ChunkStream) -> AsyncIterator[bytes]:
    """Read one chunk at a time in a worker thread, never the whole file at once."""
    read = sync_to_async(_next_chunk, thread_sensitive=False)
    iterator = iter(chunks)
    try:
        while (chunk := await read(iterator)) is not None:
            yield chunk
    finally:
        await sync_to_async(chunks.close, thread_sensitive=False)()
