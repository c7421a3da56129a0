"""The storage boundary, with storage_multipart.py: the only code that talks to object
storage, for records and for the readiness probe (CONVENTIONS.md, rule 8).

Two modes, chosen by the default storage (config/settings.py): S3 (django-storages'
S3Storage, with S3_ENDPOINT_URL) through one cached boto3 client built from the same
options, or the embedded default (FileSystemStorage) on local disk. Everything that
reads, writes, signs or lists record bytes calls a function here (or, for multipart
uploads, in storage_multipart.py); callers see two exception types, never botocore's:

- `StorageUnavailable`: the store is down or refuses us (a 503 to the user), and its
  subclass `StorageTimeout`: the store did not answer within S3_CONNECT_TIMEOUT /
  S3_READ_TIMEOUT (each of S3_MAX_ATTEMPTS tries; a 504);
- `ObjectMissing` (and `UploadMissing` for a multipart upload): a normal "not found".

Multipart uploads (recordings the browser PUTs part by part) are storage_multipart.py,
the other half of the boundary, built on this module's client and exceptions.

Keys are the records' generated keys (`records/<meeting uid>/<hex>`); in local mode a
key is a path under the storage's location.

Memory: nothing here holds a whole file. `save_stream` keeps one part (8 MiB) in
memory at most (the chunks themselves, never a joined copy), `open_chunks` yields
the object in `chunk_size` pieces.
"""

import bisect
import contextlib
import io
import itertools
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    ReadTimeoutError,
)
from django.conf import settings
from django.core.files.storage import storages
from django.utils.http import content_disposition_header

from meetings.records.presign import sign_object_put

MiB = 1024 * 1024
CHUNK_SIZE = 8 * MiB
# S3 refuses parts under 5 MiB except the last; 8 MiB keeps save_stream's memory small.
SAVE_PART_SIZE = 8 * MiB
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
UPLOAD_MISSING_CODES = {"NoSuchUpload"}


class StorageUnavailable(Exception):
    """The object store did not answer, timed out or refused the request."""


class StorageTimeout(StorageUnavailable):
    """The object store did not answer within the configured timeouts."""


class ObjectMissing(Exception):
    """No object under this key."""


class UploadMissing(ObjectMissing):
    """No multipart upload with this id (completed, aborted or never started)."""


@dataclass(frozen=True)
class Part:
    number: int
    size: int
    etag: str  # without the quotes S3 puts around it


# -- Mode and clients ---------------------------------------------------------------------------


def is_s3() -> bool:
    return settings.STORAGES["default"]["BACKEND"].endswith("S3Storage")


def s3_options() -> dict[str, Any]:
    """The S3Storage options of the default storage: settings.S3_OPTIONS in production,
    whatever a test put in STORAGES otherwise."""
    return settings.STORAGES["default"].get("OPTIONS", {})


def bucket() -> str:
    return s3_options()["bucket_name"]


_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()


def _client_config() -> Config:
    return Config(
        signature_version=s3_options().get("signature_version", "s3v4"),
        s3={"addressing_style": s3_options().get("addressing_style", "path")},
        connect_timeout=settings.S3_CONNECT_TIMEOUT,
        read_timeout=settings.S3_READ_TIMEOUT,
        retries={"total_max_attempts": settings.S3_MAX_ATTEMPTS, "mode": "standard"},
        max_pool_connections=20,
        tcp_keepalive=True,
        # boto3 >= 1.36 adds CRC checksums by default; some S3 stores refuse them, and a
        # presigned part URL must not require a checksum header the browser cannot send.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


def s3_client(endpoint_url: str | None = None) -> Any:
    """One boto3 client per endpoint and credentials, built once and reused: building
    one costs tens of milliseconds, signing with it is CPU only. Keyed by the options so
    that a test pointing STORAGES elsewhere gets a client of its own."""
    options = s3_options()
    endpoint = endpoint_url or options.get("endpoint_url")
    cache_key = (
        endpoint,
        options.get("access_key"),
        options.get("secret_key"),
        options.get("region_name"),
        options.get("signature_version"),
        options.get("addressing_style"),
        settings.S3_CONNECT_TIMEOUT,
        settings.S3_READ_TIMEOUT,
        settings.S3_MAX_ATTEMPTS,
    )
    client = _clients.get(cache_key)
    if client is None:
        with _clients_lock:
            client = _clients.get(cache_key)
            if client is None:
                client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=endpoint,
                    region_name=options.get("region_name") or "us-east-1",
                    aws_access_key_id=options.get("access_key"),
                    aws_secret_access_key=options.get("secret_key"),
                    config=_client_config(),
                )
                _clients[cache_key] = client
    return client


def _signing_client() -> Any:
    """Presigned URLs go to browsers: sign them for the address browsers reach
    (S3_PUBLIC_ENDPOINT_URL) when it differs from the app's own."""
    return s3_client(settings.S3_PUBLIC_ENDPOINT_URL or None)


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def storage_error(error: Exception, key: str) -> Exception:
    """botocore's error as this boundary's exception (the missing codes, timeouts)."""
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return StorageTimeout(f"{type(error).__name__}: {error}")
    if isinstance(error, ClientError):
        code = _error_code(error)
        if code in UPLOAD_MISSING_CODES:
            return UploadMissing(key)
        if code in MISSING_CODES:
            return ObjectMissing(key)
    return StorageUnavailable(f"{type(error).__name__}: {error}")


# -- Local mode -----------------------------------------------------------------------------------


def _local_path(key: str) -> Path:
    return Path(storages["default"].path(key))  # refuses keys that escape the location


# -- Reachability (the readiness probe, config/health.py) -----------------------------------------


def check_reachable() -> None:
    """Raise unless the store answers: in S3 mode a HEAD of the bucket, with this
    module's client and its timeouts; locally, the storage's directory exists (created
    if need be) and is writable."""
    if is_s3():
        try:
            s3_client().head_bucket(Bucket=bucket())
        except (BotoCoreError, ClientError) as error:
            raise storage_error(error, bucket()) from error
        return
    location = Path(storages["default"].location)
    location.mkdir(parents=True, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise StorageUnavailable(f"{location} is not writable")


# -- Whole objects --------------------------------------------------------------------------------


def save_stream(key: str, chunks: Iterable[bytes], *, content_type: str) -> int:
    """Write the chunks under `key`; returns the bytes written. Never holds the whole
    file: S3 gets a multipart upload of 8 MiB parts (one PUT when smaller), local disk
    a file written as the chunks come. On any failure nothing stays under the key (the
    multipart upload is aborted, the partial file removed) and the error propagates
    (StorageUnavailable for the store's own failures)."""
    if is_s3():
        return _save_stream_s3(key, chunks, content_type)
    return _save_stream_local(key, chunks)


def _save_stream_local(key: str, chunks: Iterable[bytes]) -> int:
    path = _local_path(key)
    written = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as target:
            for chunk in chunks:
                target.write(chunk)
                written += len(chunk)
    except FileExistsError:
        raise
    except BaseException as error:
        path.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
        raise
    return written


def _save_stream_s3(key: str, chunks: Iterable[bytes], content_type: str) -> int:
    client = s3_client()
    pending: list[memoryview] = []
    pending_size = 0
    upload_id: str | None = None
    parts: list[dict[str, Any]] = []
    written = 0
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            written += len(view)
            while view:
                take = min(len(view), SAVE_PART_SIZE - pending_size)
                pending.append(view[:take])
                pending_size += take
                view = view[take:]
                if pending_size == SAVE_PART_SIZE:
                    if upload_id is None:
                        upload_id = client.create_multipart_upload(
                            Bucket=bucket(), Key=key, ContentType=content_type
                        )["UploadId"]
                    parts.append(_put_part(client, key, upload_id, len(parts) + 1, pending))
                    pending, pending_size = [], 0
        if upload_id is None:
            client.put_object(
                Bucket=bucket(), Key=key, Body=_ChunksBody(pending), ContentType=content_type
            )
            return written
        if pending:
            parts.append(_put_part(client, key, upload_id, len(parts) + 1, pending))
        client.complete_multipart_upload(
            Bucket=bucket(), Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )
        upload_id = None
        return written
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error
    finally:
        if upload_id is not None:
            _quietly_abort(key, upload_id)


class _ChunksBody(io.RawIOBase):
    """A part's chunks as one seekable file (botocore reads, rewinds on retry), without
    joining them: joining would hold a second copy of the part."""

    def __init__(self, chunks: list[memoryview]) -> None:
        self._chunks = chunks
        self._starts = list(itertools.accumulate((len(c) for c in chunks), initial=0))
        self._size = self._starts[-1]
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer) -> int:
        if self._position >= self._size:
            return 0
        index = bisect.bisect_right(self._starts, self._position) - 1
        offset = self._position - self._starts[index]
        piece = self._chunks[index][offset : offset + len(buffer)]
        buffer[: len(piece)] = piece
        self._position += len(piece)
        return len(piece)


def _put_part(
    client: Any, key: str, upload_id: str, number: int, chunks: list[memoryview]
) -> dict[str, Any]:
    answer = client.upload_part(
        Bucket=bucket(), Key=key, UploadId=upload_id, PartNumber=number, Body=_ChunksBody(chunks)
    )
    return {"PartNumber": number, "ETag": answer["ETag"]}


def _quietly_abort(key: str, upload_id: str) -> None:
    # If the store is down, the abandoned-upload cleanup (abort_abandoned_uploads) finds it.
    with contextlib.suppress(BotoCoreError, ClientError):
        s3_client().abort_multipart_upload(Bucket=bucket(), Key=key, UploadId=upload_id)


def open_chunks(
    key: str, *, chunk_size: int = CHUNK_SIZE, start: int = 0, end: int | None = None
) -> Iterator[bytes]:
    """The object's bytes from `start` (inclusive) to `end` (EXCLUSIVE, Python slice
    style; None: to the end), in pieces of at most `chunk_size`.

    ObjectMissing / StorageUnavailable are raised by the first next(), before any byte
    (the object is opened eagerly), so a view can still answer 404 / 503."""
    if end is not None and end <= start:
        return iter(())
    if is_s3():
        return _open_chunks_s3(key, chunk_size, start, end)
    return _open_chunks_local(key, chunk_size, start, end)


def _open_chunks_local(key: str, chunk_size: int, start: int, end: int | None) -> Iterator[bytes]:
    try:
        handle = _local_path(key).open("rb")
    except FileNotFoundError as error:
        raise ObjectMissing(key) from error
    except OSError as error:
        raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
    return _local_reader(handle, chunk_size, start, end)


def _local_reader(handle, chunk_size: int, start: int, end: int | None) -> Iterator[bytes]:
    with handle:
        handle.seek(start)
        remaining = None if end is None else end - start
        while remaining is None or remaining > 0:
            size = chunk_size if remaining is None else min(chunk_size, remaining)
            chunk = handle.read(size)
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


def _open_chunks_s3(key: str, chunk_size: int, start: int, end: int | None) -> Iterator[bytes]:
    arguments: dict[str, Any] = {"Bucket": bucket(), "Key": key}
    if start or end is not None:
        arguments["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
    try:
        body = s3_client().get_object(**arguments)["Body"]
    except ClientError as error:
        if _error_code(error) == "InvalidRange":
            return iter(())
        raise storage_error(error, key) from error
    except BotoCoreError as error:
        raise storage_error(error, key) from error
    return _s3_reader(body, key, chunk_size)


def _s3_reader(body, key: str, chunk_size: int) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(chunk_size)
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error
    except OSError as error:
        raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
    finally:
        body.close()


def size_of(key: str) -> int:
    if not is_s3():
        try:
            return _local_path(key).stat().st_size
        except FileNotFoundError as error:
            raise ObjectMissing(key) from error
        except OSError as error:
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
    try:
        return int(s3_client().head_object(Bucket=bucket(), Key=key)["ContentLength"])
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error


def exists(key: str) -> bool:
    try:
        size_of(key)
    except ObjectMissing:
        return False
    return True


def delete(key: str) -> None:
    """Remove the object; a key with no object is fine."""
    if not is_s3():
        try:
            _local_path(key).unlink(missing_ok=True)
        except OSError as error:
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
        return
    try:
        s3_client().delete_object(Bucket=bucket(), Key=key)
    except (BotoCoreError, ClientError) as error:
        translated = storage_error(error, key)
        if not isinstance(translated, ObjectMissing):
            raise translated from error


def download_url(
    key: str,
    *,
    original_name: str,
    content_type: str,
    expires_s: int = 300,
    inline: bool = False,
) -> str:
    """A presigned GET (S3 mode only) valid `expires_s` seconds, whose response carries
    the original (Vietnamese) file name in Content-Disposition: attachment, or inline
    for a recording watched in the browser. Signed for S3_PUBLIC_ENDPOINT_URL when set."""
    if not is_s3():
        raise RuntimeError("download_url: S3 mode only; local records are streamed by the app")
    disposition = content_disposition_header(not inline, original_name)
    params = {
        "Bucket": bucket(),
        "Key": key,
        "ResponseContentDisposition": disposition,
        "ResponseContentType": content_type,
    }
    try:
        return _signing_client().generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_s
        )
    except BotoCoreError as error:
        raise StorageUnavailable(f"{type(error).__name__}: {error}") from error


# -- Objects made or read whole in the store (S3 mode) ---------------------------------------------


def sign_put(key: str, *, size: int, content_type: str, expires_s: int) -> str:
    """A presigned PUT of the whole object (documents, S3 mode) bounded to exactly `size`
    bytes of `content_type` (both signed, meetings/record_presign.py), for the address
    browsers reach. CPU only."""
    options = s3_options()
    return sign_object_put(
        endpoint_url=settings.S3_PUBLIC_ENDPOINT_URL or options["endpoint_url"],
        bucket=options["bucket_name"],
        key=key,
        access_key=options["access_key"],
        secret_key=options["secret_key"],
        region=options.get("region_name") or "us-east-1",
        expires_s=expires_s,
        content_length=size,
        content_type=content_type,
    )


def copy(source: str, target: str) -> None:
    """Copy the object (S3 mode) inside the store, in one request: its bytes never pass
    through the app. ObjectMissing if the source is gone."""
    try:
        s3_client().copy_object(
            Bucket=bucket(), Key=target, CopySource={"Bucket": bucket(), "Key": source}
        )
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, source) from error


def stored_object(key: str) -> Part:
    """The whole object (S3 mode) as one part: its size and the store's ETag.
    ObjectMissing if there is none."""
    try:
        head = s3_client().head_object(Bucket=bucket(), Key=key)
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error
    return Part(1, int(head["ContentLength"]), str(head.get("ETag", "")).strip('"'))
