"""The records subdomain's models: a record and its versions, and the upload sessions
that bring files in."""

from meetings.records.models.record import (
    Record,
    RecordKind,
    RecordStatus,
    RecordVersion,
    new_storage_key,
)
from meetings.records.models.upload import (
    SEALED_SUFFIX,
    RecordingUpload,
    RecordingUploadQuerySet,
    UploadMode,
    UploadStatus,
)

__all__ = [
    "SEALED_SUFFIX",
    "Record",
    "RecordKind",
    "RecordStatus",
    "RecordVersion",
    "RecordingUpload",
    "RecordingUploadQuerySet",
    "UploadMode",
    "UploadStatus",
    "new_storage_key",
]
