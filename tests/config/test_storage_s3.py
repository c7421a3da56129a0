"""django-storages against a real SeaweedFS started with an identity file."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.utils.http import content_disposition_header

from tests.fixtures.services import http_get


def read(storage, name: str) -> bytes:
    with storage.open(name) as stored:
        return stored.read()


def test_s3_storage_save_open_delete_round_trip(s3_storage):
    name = s3_storage.save("records/biên-bản.txt", ContentFile("Biên bản họp".encode()))

    with s3_storage.open(name) as stored:
        content = stored.read()
    exists_before = s3_storage.exists(name)
    s3_storage.delete(name)

    assert content == "Biên bản họp".encode()
    assert exists_before is True
    assert s3_storage.exists(name) is False


def test_s3_storage_never_overwrites_an_existing_name(s3_storage):
    first = s3_storage.save("records/minutes.txt", ContentFile(b"v1"))

    second = s3_storage.save("records/minutes.txt", ContentFile(b"v2"))

    assert first == "records/minutes.txt"
    assert second != first
    assert read(s3_storage, first) == b"v1"
    assert read(s3_storage, second) == b"v2"


def test_s3_storage_size_and_listing(s3_storage):
    s3_storage.save("folder/a.bin", ContentFile(b"x" * 1000))

    directories, files = s3_storage.listdir("folder")

    assert s3_storage.size("folder/a.bin") == 1000
    assert (directories, files) == ([], ["a.bin"])


@pytest.mark.parametrize("target", ["object", "bucket listing", "service"])
def test_s3_anonymous_request_is_refused(s3_storage, seaweedfs, target):
    name = s3_storage.save("private.txt", ContentFile(b"secret"))
    key = urllib.parse.quote(f"{s3_storage.location}/{name}")
    url = {
        "object": f"{seaweedfs.endpoint_url}/{seaweedfs.bucket}/{key}",
        "bucket listing": f"{seaweedfs.endpoint_url}/{seaweedfs.bucket}",
        "service": f"{seaweedfs.endpoint_url}/",
    }[target]

    status, _headers, body = http_get(url)

    assert status == 403
    assert b"secret" not in body


def test_s3_request_signed_with_a_wrong_secret_is_refused(s3_storage, seaweedfs):
    name = s3_storage.save("private.txt", ContentFile(b"secret"))
    intruder = seaweedfs.client(secret_key="not-the-secret-key")

    with pytest.raises(ClientError) as refused:
        intruder.get_object(Bucket=seaweedfs.bucket, Key=f"{s3_storage.location}/{name}")

    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_s3_presigned_url_serves_the_object(s3_storage):
    name = s3_storage.save("records/recording.txt", ContentFile(b"video bytes"))

    status, _headers, body = http_get(s3_storage.url(name))

    assert (status, body) == (200, b"video bytes")


def test_s3_presigned_url_sets_a_vietnamese_download_name(s3_storage):
    name = s3_storage.save("records/minutes.pdf", ContentFile(b"%PDF-1.7"))
    disposition = content_disposition_header(True, "Biên bản họp giao ban.pdf")

    status, headers, _body = http_get(
        s3_storage.url(name, parameters={"ResponseContentDisposition": disposition})
    )

    assert status == 200
    assert headers["Content-Disposition"] == disposition


def tamper(url: str, parameter: str | None = None, value: str = "") -> str:
    """The URL with one query parameter replaced, or with another object's key."""
    parts = urllib.parse.urlsplit(url)
    if parameter is None:
        return urllib.parse.urlunsplit(parts._replace(path=parts.path.replace("a.txt", "b.txt")))
    query = dict(urllib.parse.parse_qsl(parts.query))
    query[parameter] = value
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        (None, ""),  # the same signature for another object
        ("X-Amz-Signature", "0" * 64),
        ("X-Amz-Expires", "604800"),
        ("X-Amz-Credential", "SOMEONEELSE/20260101/us-east-1/s3/aws4_request"),
    ],
)
def test_s3_tampered_presigned_url_is_refused(s3_storage, parameter, value):
    s3_storage.save("a.txt", ContentFile(b"one"))
    s3_storage.save("b.txt", ContentFile(b"two"))
    url = s3_storage.url("a.txt")

    status, _headers, body = http_get(tamper(url, parameter, value))

    assert status == 403
    assert body not in (b"one", b"two")
