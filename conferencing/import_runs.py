"""Running a queued import job: the skeleton every import shares (`run_queued`: status
transitions, progress recording, failure handling; `mark_done`, `mark_failed`), and
`run_job`, the import of conference sites (conferencing.import_jobs queued it), which
runs `endpoint_import.import_endpoints`. The task (conferencing.tasks) calls it, as
people.import_runs calls the skeleton for people; nothing here enqueues.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conferencing.endpoint_import import ImportReport, import_endpoints
from conferencing.jurisdiction import import_scope
from conferencing.models import EndpointImportJob, ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)

# Progress is written at most this often, so a 3,000-row file costs a handful of
# UPDATEs rather than one per row; the status page polls once a second.
PROGRESS_INTERVAL_S = 0.5
FAILED_ERROR_CODE = "internal_error"


class ProgressRecorder:
    """The `progress` callback of import_endpoints: writes rows done/total, throttled.

    import_endpoints reports most of its progress from inside its one write
    transaction, where an UPDATE on the default connection stays invisible to the
    status page until commit. On PostgreSQL the recorder then writes through a
    second, autocommit connection (the job row is not locked by the import). On
    SQLite a second writer would wait for the import's lock, so progress made
    inside the transaction shows at commit.
    """

    def __init__(
        self,
        job_id: int,
        interval: float = PROGRESS_INTERVAL_S,
        model: type[models.Model] = EndpointImportJob,
    ) -> None:
        # `model`: any job model with processed_rows and total_rows (the people import's too).
        self.model = model
        self.job_id = job_id
        self.interval = interval
        self.last_write: float | None = None
        self.side_connection: BaseDatabaseWrapper | None = None
        # Only a job row committed before the import began is visible to a second
        # connection (not so when the caller, a test say, holds a transaction open).
        self.job_committed = not connection.in_atomic_block

    def __call__(self, processed: int, total: int) -> None:
        now = time.monotonic()
        due = self.last_write is None or now - self.last_write >= self.interval
        if due or processed >= total:
            self.write(processed, total)
            self.last_write = now

    def write(self, processed: int, total: int) -> None:
        if self.job_committed and connection.in_atomic_block and connection.vendor == "postgresql":
            if self.side_connection is None:
                self.side_connection = connections.create_connection(DEFAULT_DB_ALIAS)
            table = self.model._meta.db_table
            with self.side_connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {self.side_connection.ops.quote_name(table)} "
                    "SET processed_rows = %s, total_rows = %s WHERE id = %s",
                    [processed, total, self.job_id],
                )
        else:
            self.model._default_manager.filter(pk=self.job_id).update(
                processed_rows=processed, total_rows=total
            )

    def close(self) -> None:
        if self.side_connection is not None:
            self.side_connection.close()
            self.side_connection = None


def run_queued[J: ImportJob, R](
    model: type[J],
    job_id: int,
    run_import: Callable[[J, ProgressRecorder], R],
    *,
    name: str,
    log: logging.Logger,
) -> tuple[J, R] | None:
    """The run every import job shares; None if the job was not queued (already run).

    Claims the job (queued → running), loads it with its uploader and office, and calls
    `run_import(job, progress)` in the uploader's language. On an unexpected exception
    the job is marked failed and the exception logged (as "`name` import job …" on
    `log`) and re-raised, so the task result records it too. Returns the job and the
    import's report for the caller to record (mark_done).
    """
    claimed = model._default_manager.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        log.warning("%s import job %s is not queued; not running it again.", name, job_id)
        return None
    job = model._default_manager.select_related("created_by", "office__jurisdiction").get(pk=job_id)
    progress = ProgressRecorder(job.pk, model=model)
    with translation.override(job.language):
        try:
            report = run_import(job, progress)
        except Exception:
            log.exception("%s import job %s failed", name, job_id)
            mark_failed(job)
            raise
        finally:
            progress.close()
    return job, report


def mark_done[J: ImportJob](job: J, report: Any, *, total: int = 0, **outcome: Any) -> J:
    """Record a finished import on its job, in one UPDATE: status done, the counts every
    report has (created, updated, unchanged, written, errors), the rows all processed
    (`total`: the rows the report counted, when it counts them), and `outcome`, the
    job's own fields (its other counts, say)."""
    job.refresh_from_db(fields=["total_rows", "processed_rows"])
    job.status = ImportJobStatus.DONE
    job.created_count = report.created
    job.updated_count = report.updated
    job.unchanged_count = report.unchanged
    job.written = report.written
    job.errors = [
        {"line": error.line, "code": error.code, "message": str(error.message)}
        for error in report.errors
    ]
    job.total_rows = max(job.total_rows, total)
    job.processed_rows = max(job.processed_rows, job.total_rows)
    job.finished_at = timezone.now()
    for field, value in outcome.items():
        setattr(job, field, value)
    job.save(
        update_fields=[
            "status",
            "created_count",
            "updated_count",
            "unchanged_count",
            "written",
            "errors",
            "total_rows",
            "processed_rows",
            "finished_at",
            *outcome,
        ]
    )
    return job


def mark_failed(job: ImportJob) -> None:
    job.status = ImportJobStatus.FAILED
    job.errors = [
        {
            "line": 0,
            "code": FAILED_ERROR_CODE,
            "message": _(
                "The import stopped on an unexpected error. Try again, or ask an "
                "administrator to look at the server log."
            ),
        }
    ]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "finished_at"])


def run_job(job_id: int) -> EndpointImportJob | None:
    """Run a queued site import job to its end; None if it was not queued (already run).

    Side effects: the job goes queued → running → done (the import's report,
    written or not) or failed (run_queued). The sites are written by import_endpoints.
    """

    def run_import(job: EndpointImportJob, progress: ProgressRecorder) -> ImportReport:
        # The scope is read again here, not trusted from the upload: a member who left
        # the office since, or an old job without an office, writes nowhere.
        scope = import_scope(job.created_by, job.office)
        return import_endpoints(
            bytes(job.data), skip_invalid=job.skip_invalid, progress=progress, scope=scope
        )

    ran = run_queued(EndpointImportJob, job_id, run_import, name="Endpoint", log=logger)
    if ran is None:
        return None
    job, report = ran
    return mark_done(job, report, skipped_count=report.skipped)
