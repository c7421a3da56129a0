"""The records' storage boundary (meetings/record_storage.py) against a real SeaweedFS
started with an identity file (so signatures matter), and on local disk."""

import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

import pytest
from django.utils.http import content_disposition_header

from meetings.records import storage as record_storage
from meetings.records import storage_multipart
from meetings.records.presign import PartSigner
from tests.fixtures.services import free_ports
from tests.meetings.records.helpers import dead_s3_storage, local_storage, s3_storage

MiB = 1024 * 1024
NAME = "Ghi hình phiên họp giao ban tháng 11.mp4"


def new_key() -> str:
    return f"records/test-storage/{secrets.token_hex(8)}"


def http(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(params=["s3", "local"])
def storage_mode(request, settings, tmp_path):
    if request.param == "s3":
        s3_storage(settings, request.getfixturevalue("seaweedfs"))
    else:
        local_storage(settings, tmp_path)
    return request.param


@pytest.fixture
def s3(settings, seaweedfs):
    s3_storage(settings, seaweedfs)
    return seaweedfs


def test_save_open_size_delete_round_trip(storage_mode):
    key = new_key()
    chunks = [b"a" * (5 * MiB), b"b" * (5 * MiB), b"c" * 100]  # several 8 MiB parts in S3

    written = record_storage.save_stream(key, iter(chunks), content_type="video/mp4")
    stored = b"".join(record_storage.open_chunks(key, chunk_size=MiB))
    size = record_storage.size_of(key)
    record_storage.delete(key)

    assert written == size == 10 * MiB + 100
    assert stored == b"".join(chunks)
    assert record_storage.exists(key) is False


def test_open_chunks_reads_a_range_end_exclusive(storage_mode):
    key = new_key()
    record_storage.save_stream(key, [b"0123456789"], content_type="text/plain")

    middle = b"".join(record_storage.open_chunks(key, start=2, end=6))
    tail = b"".join(record_storage.open_chunks(key, start=7))

    assert (middle, tail) == (b"2345", b"789")


def test_missing_object_is_object_missing(storage_mode):
    key = new_key()

    with pytest.raises(record_storage.ObjectMissing):
        record_storage.size_of(key)
    with pytest.raises(record_storage.ObjectMissing):
        next(record_storage.open_chunks(key))
    record_storage.delete(key)  # nothing to delete is fine


def test_save_stream_failing_midway_leaves_nothing(storage_mode):
    key = new_key()

    def chunks():
        yield b"x" * (9 * MiB)  # one S3 part is sent before the failure
        raise RuntimeError("the client went away")

    with pytest.raises(RuntimeError):
        record_storage.save_stream(key, chunks(), content_type="video/mp4")

    assert record_storage.exists(key) is False
    if storage_mode == "s3":
        assert [u for u in storage_multipart.open_multipart_uploads() if u.key == key] == []


def test_presigned_get_carries_the_vietnamese_name(s3):
    key = new_key()
    record_storage.save_stream(key, [b"video bytes"], content_type="video/mp4")

    url = record_storage.download_url(key, original_name=NAME, content_type="video/mp4")
    status, headers, body = http(url)

    assert (status, body) == (200, b"video bytes")
    assert headers["Content-Disposition"] == content_disposition_header(True, NAME)
    assert headers["Content-Type"] == "video/mp4"


def test_presigned_get_inline_for_the_player(s3):
    key = new_key()
    record_storage.save_stream(key, [b"video bytes"], content_type="video/mp4")

    url = record_storage.download_url(
        key, original_name=NAME, content_type="video/mp4", inline=True
    )
    _status, headers, _body = http(url)

    assert headers["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("X-Amz-Signature", "0" * 64),
        ("X-Amz-Expires", "604800"),
        ("response-content-disposition", "attachment; filename=other.mp4"),
    ],
)
def test_tampered_presigned_get_is_refused(s3, parameter, value):
    key = new_key()
    record_storage.save_stream(key, [b"secret video"], content_type="video/mp4")
    url = record_storage.download_url(key, original_name=NAME, content_type="video/mp4")
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query[parameter] = value
    tampered = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    status, _headers, body = http(tampered)

    assert status == 403
    assert b"secret video" not in body


def test_expired_presigned_get_is_refused(s3):
    key = new_key()
    record_storage.save_stream(key, [b"secret video"], content_type="video/mp4")
    url = record_storage.download_url(
        key, original_name=NAME, content_type="video/mp4", expires_s=1
    )

    time.sleep(2.1)
    status, _headers, body = http(url)

    assert status == 403
    assert b"secret video" not in body


def test_download_url_is_signed_for_the_public_endpoint(s3, settings):
    settings.S3_PUBLIC_ENDPOINT_URL = "https://s3.giaoban.example.vn"

    url = record_storage.download_url(new_key(), original_name=NAME, content_type="video/mp4")
    part_urls = storage_multipart.sign_parts(new_key(), "upload-1", [1], expires_s=60)

    assert url.startswith("https://s3.giaoban.example.vn/")
    assert part_urls[1].startswith("https://s3.giaoban.example.vn/")


def test_download_url_through_a_public_endpoint_proxy_still_verifies(s3, settings):
    """The public endpoint is the same server by another name: the signature covers the
    host the browser sends, so a URL for `localhost` works when fetched at `localhost`."""
    settings.S3_PUBLIC_ENDPOINT_URL = s3.endpoint_url.replace("127.0.0.1", "localhost")
    key = new_key()
    record_storage.save_stream(key, [b"via the public name"], content_type="video/mp4")

    status, _headers, body = http(
        record_storage.download_url(key, original_name=NAME, content_type="video/mp4")
    )

    assert (status, body) == (200, b"via the public name")


def test_multipart_upload_with_signed_part_urls(s3):
    key = new_key()
    upload_id = storage_multipart.start_multipart(key, content_type="video/mp4")
    urls = storage_multipart.sign_parts(key, upload_id, [1, 2], expires_s=600)

    receipts = [http(urls[1], "PUT", b"1" * (5 * MiB)), http(urls[2], "PUT", b"2" * 10)]
    listed = storage_multipart.list_parts(key, upload_id)
    etags = [headers["ETag"] for _status, headers, _body in receipts]
    storage_multipart.complete_multipart(key, upload_id, [(1, etags[0]), (2, etags[1])])

    assert [status for status, _headers, _body in receipts] == [200, 200]
    assert [(part.number, part.size) for part in listed] == [(1, 5 * MiB), (2, 10)]
    assert [f'"{part.etag}"' for part in listed] == etags
    assert record_storage.size_of(key) == 5 * MiB + 10


def test_signed_part_url_refused_for_another_part_or_when_tampered(s3):
    key = new_key()
    upload_id = storage_multipart.start_multipart(key, content_type="video/mp4")
    url = storage_multipart.sign_parts(key, upload_id, [1], expires_s=600)[1]

    other_part = http(url.replace("partNumber=1&", "partNumber=2&"), "PUT", b"x")
    forged = http(url[:-64] + "0" * 64, "PUT", b"x")

    assert (other_part[0], forged[0]) == (403, 403)
    assert storage_multipart.list_parts(key, upload_id) == []
    storage_multipart.abort_multipart(key, upload_id)


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


@pytest.mark.parametrize(
    ("key", "upload_id"), [("records/a/b", "abc"), ("records/ư ờ/a+b", "x/y=")]
)
def test_part_signer_matches_botocore(s3, key, upload_id):
    """The fast signer and botocore's presigner sign the same request the same way."""
    theirs = record_storage.s3_client().generate_presigned_url(
        "upload_part",
        Params={"Bucket": s3.bucket, "Key": key, "UploadId": upload_id, "PartNumber": 7},
        ExpiresIn=900,
    )
    moment = datetime.strptime(query_of(theirs)["X-Amz-Date"], "%Y%m%dT%H%M%SZ")

    ours = PartSigner(
        endpoint_url=s3.endpoint_url,
        bucket=s3.bucket,
        key=key,
        upload_id=upload_id,
        access_key=s3.access_key,
        secret_key=s3.secret_key,
        region=s3.region,
        expires_s=900,
        now=moment.replace(tzinfo=UTC),
    ).url(7)

    assert query_of(ours) == query_of(theirs)
    assert ours.split("?")[0] == theirs.split("?")[0]


def test_presigning_400_part_urls_asks_the_store_nothing(settings, seaweedfs):
    (nothing_listens,) = free_ports(1)
    dead_s3_storage(settings, seaweedfs, nothing_listens)

    urls = storage_multipart.sign_parts(new_key(), "upload-id", range(1, 401), expires_s=3600)

    numbers = {
        number: urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["partNumber"]
        for number, url in urls.items()
    }
    assert numbers == {n: [str(n)] for n in range(1, 401)}


def test_abort_and_listing_of_open_uploads(s3):
    key = new_key()
    upload_id = storage_multipart.start_multipart(key, content_type="video/mp4")

    listed = [u.upload_id for u in storage_multipart.open_multipart_uploads() if u.key == key]
    storage_multipart.abort_multipart(key, upload_id)
    after = [u.upload_id for u in storage_multipart.open_multipart_uploads() if u.key == key]

    assert (listed, after) == ([upload_id], [])
    with pytest.raises(record_storage.UploadMissing):
        storage_multipart.list_parts(key, upload_id)
    storage_multipart.abort_multipart(key, upload_id)  # again: fine


def test_storage_down_is_storage_unavailable(settings, seaweedfs):
    (port,) = free_ports(1)
    dead_s3_storage(settings, seaweedfs, port)

    for call in [
        lambda: record_storage.save_stream(new_key(), [b"x"], content_type="video/mp4"),
        lambda: record_storage.size_of(new_key()),
        lambda: next(record_storage.open_chunks(new_key())),
        lambda: record_storage.delete(new_key()),
        lambda: storage_multipart.start_multipart(new_key(), content_type="video/mp4"),
        lambda: storage_multipart.list_parts(new_key(), "upload-id"),
    ]:
        with pytest.raises(record_storage.StorageUnavailable):
            call()


def test_download_url_is_for_s3_only(settings, tmp_path):
    local_storage(settings, tmp_path)

    with pytest.raises(RuntimeError):
        record_storage.download_url(new_key(), original_name=NAME, content_type="video/mp4")
