"""The text of a document version, extracted by a task once the version exists.

`extract_document_text_task` (queue "search", run by the records worker: bin/run) reads
the version's object once from storage into a temporary file, hands it to a child
process (extract_worker.py: capped memory and CPU, killed after EXTRACT_TIMEOUT) and
indexes the record's title with whatever text came back. PDF (pypdf) and DOCX
(python-docx) give text; other documents are found by their title and file name. A file
the child cannot read (hostile, broken, encrypted, too slow) is logged and indexed by its
title alone: it never fails the task, and never stops the worker.
"""

import logging
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from django.tasks import task
from django.utils import timezone

from meetings.records import archive
from meetings.records import documents as record_documents
from meetings.records import storage as record_storage
from meetings.records.documents import DOCX, PDF
from meetings.records.models import RecordVersion
from meetings.search import indexing
from meetings.search.text import MAX_BODY_CHARS

logger = logging.getLogger(__name__)

QUEUE = "search"
WORKER = Path(__file__).with_name("extract_worker.py")
EXTRACTED_TYPES = (PDF, DOCX)
MAX_PAGES = 300
EXTRACT_TIMEOUT = 90  # seconds of wall time for one file
READ_CHUNK = 8 * 1024 * 1024
RETRY_AFTER = timedelta(minutes=5)
ATTEMPTS = 12  # an hour of storage outage


def extract_text(path: Path, content_type: str) -> str | None:
    """The file's text (at most MAX_BODY_CHARS), or None when it could not be read
    (logged with the child's last words)."""
    try:
        finished = subprocess.run(
            [
                sys.executable,
                str(WORKER),
                content_type,
                str(path),
                str(MAX_PAGES),
                str(MAX_BODY_CHARS),
            ],
            capture_output=True,
            timeout=EXTRACT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("text extraction of %s gave up after %s s", path.name, EXTRACT_TIMEOUT)
        return None
    if finished.returncode != 0:
        logger.warning(
            "no text from a %s (exit %s): %s",
            content_type,
            finished.returncode,
            finished.stderr.decode("utf-8", "replace")[-500:].strip(),
        )
        return None
    return finished.stdout.decode("utf-8", "replace")


def index_version(version: RecordVersion) -> str:
    """Index one document version with its text; what happened ("indexed", "no_text",
    "skipped"). StorageUnavailable / ObjectMissing propagate."""
    if version.record.kind not in archive.DOCUMENT_KINDS:
        return "skipped"
    if version.status not in archive.STORED_STATUSES:
        indexing.remove_document(version.pk)
        return "skipped"
    text = None
    if version.content_type in EXTRACTED_TYPES:
        with tempfile.NamedTemporaryFile(suffix=".bin") as copy:
            limit = record_documents.max_document_bytes()
            written = 0
            for chunk in record_storage.open_chunks(version.key, chunk_size=READ_CHUNK):
                written += len(chunk)
                if written > limit:
                    break
                copy.write(chunk)
            copy.flush()
            if written <= limit:
                text = extract_text(Path(copy.name), version.content_type)
    body = "\n".join([version.original_name, text or ""])
    indexing.index_document(version.pk, version.record.meeting_id, version.record.title, body)
    return "indexed" if text else "no_text"


@task(queue_name=QUEUE)
def extract_document_text_task(version_id: int, attempt: int = 1) -> str:
    """Index a document version with its extracted text (index_version); tried again
    later while storage is unavailable."""
    version = RecordVersion.objects.select_related("record").filter(pk=version_id).first()
    if version is None:
        return "gone"
    try:
        return index_version(version)
    except record_storage.ObjectMissing:
        logger.warning("record version %s: its object is missing: not indexed", version_id)
        return "missing"
    except record_storage.StorageUnavailable as error:
        if attempt >= ATTEMPTS:
            raise
        logger.warning("indexing record version %s: storage unavailable: %s", version_id, error)
        extract_document_text_task.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
            version_id, attempt + 1
        )
        return "retrying"
