"""A document's presigned PUT (S3 mode) against the real SeaweedFS: the signature
covers Content-Length and Content-Type, so the store refuses a larger (or smaller)
body and another type, and takes exactly the declared file."""

import secrets
import urllib.error
import urllib.request

import pytest

from meetings.records import storage
from tests.meetings.records.helpers import PDF, s3_storage


def put(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


@pytest.fixture
def key(settings, seaweedfs):
    s3_storage(settings, seaweedfs)
    return f"records/tests/{secrets.token_hex(8)}"


def signed(key: str, size: int = len(PDF), content_type: str = "application/pdf") -> str:
    return storage.sign_put(key, size=size, content_type=content_type, expires_s=60)


def test_sign_put_the_declared_file_is_stored(key):
    status = put(signed(key), PDF, "application/pdf")

    assert (status, storage.size_of(key)) == (200, len(PDF))


def test_sign_put_a_larger_body_is_refused(key):
    status = put(signed(key), PDF + b"x" * 1000, "application/pdf")

    assert (status, storage.exists(key)) == (403, False)


def test_sign_put_a_smaller_body_is_refused(key):
    status = put(signed(key), PDF[:-1], "application/pdf")

    assert (status, storage.exists(key)) == (403, False)


def test_sign_put_another_type_is_refused(key):
    status = put(signed(key), PDF, "text/html")

    assert (status, storage.exists(key)) == (403, False)


def test_sign_put_the_stored_object_has_the_signed_type(key, seaweedfs):
    put(signed(key), PDF, "application/pdf")

    head = seaweedfs.client().head_object(Bucket=seaweedfs.bucket, Key=key)
    assert head["ContentType"] == "application/pdf"
