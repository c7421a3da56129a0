"""Multipart uploads in the object store (S3 mode): recordings, which browsers PUT
straight to the bucket part by part. Part of the storage boundary: it talks to the store
through storage.py's client and raises storage.py's exceptions, never botocore's.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from meetings.records.presign import PartSigner
from meetings.records.storage import (
    ObjectMissing,
    Part,
    bucket,
    s3_client,
    s3_options,
    storage_error,
)


@dataclass(frozen=True)
class OpenUpload:
    key: str
    upload_id: str
    initiated: datetime


def start_multipart(key: str, *, content_type: str) -> str:
    try:
        answer = s3_client().create_multipart_upload(
            Bucket=bucket(), Key=key, ContentType=content_type
        )
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error
    return answer["UploadId"]


def sign_parts(
    key: str, upload_id: str, numbers: Iterable[int], *, expires_s: int
) -> dict[int, str]:
    """Presigned PUT URLs for these part numbers, for the address browsers reach. CPU
    only, no request to the store: a few µs a URL (meetings/record_presign.py)."""
    options = s3_options()
    signer = PartSigner(
        endpoint_url=settings.S3_PUBLIC_ENDPOINT_URL or options["endpoint_url"],
        bucket=options["bucket_name"],
        key=key,
        upload_id=upload_id,
        access_key=options["access_key"],
        secret_key=options["secret_key"],
        region=options.get("region_name") or "us-east-1",
        expires_s=expires_s,
    )
    return {number: signer.url(number) for number in numbers}


def list_parts(key: str, upload_id: str) -> list[Part]:
    """The parts the store holds for this upload, by number (UploadMissing if none)."""
    client = s3_client()
    parts: list[Part] = []
    marker = 0
    try:
        while True:
            answer = client.list_parts(
                Bucket=bucket(), Key=key, UploadId=upload_id, PartNumberMarker=marker
            )
            parts.extend(
                Part(int(item["PartNumber"]), int(item["Size"]), item["ETag"].strip('"'))
                for item in answer.get("Parts", [])
            )
            if not answer.get("IsTruncated"):
                break
            marker = int(answer["NextPartNumberMarker"])
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error
    return sorted(parts, key=lambda part: part.number)


def complete_multipart(key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
    """Assemble the parts (number, etag) in order into the object under `key`."""
    body = {"Parts": [{"PartNumber": n, "ETag": f'"{etag.strip(chr(34))}"'} for n, etag in parts]}
    try:
        s3_client().complete_multipart_upload(
            Bucket=bucket(), Key=key, UploadId=upload_id, MultipartUpload=body
        )
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, key) from error


def abort_multipart(key: str, upload_id: str) -> None:
    """Drop the upload and every part the store holds for it; an unknown id is fine."""
    try:
        s3_client().abort_multipart_upload(Bucket=bucket(), Key=key, UploadId=upload_id)
    except (BotoCoreError, ClientError) as error:
        translated = storage_error(error, key)
        if not isinstance(translated, ObjectMissing):
            raise translated from error


def open_multipart_uploads(prefix: str = "records/") -> list[OpenUpload]:
    """Every multipart upload the store holds under `prefix`, begun or not by this app."""
    client = s3_client()
    uploads: list[OpenUpload] = []
    arguments: dict[str, Any] = {"Bucket": bucket(), "Prefix": prefix}
    try:
        while True:
            answer = client.list_multipart_uploads(**arguments)
            uploads.extend(
                OpenUpload(item["Key"], item["UploadId"], item["Initiated"])
                for item in answer.get("Uploads", [])
            )
            if not answer.get("IsTruncated"):
                break
            arguments["KeyMarker"] = answer.get("NextKeyMarker", "")
            arguments["UploadIdMarker"] = answer.get("NextUploadIdMarker", "")
    except (BotoCoreError, ClientError) as error:
        raise storage_error(error, prefix) from error
    return uploads
