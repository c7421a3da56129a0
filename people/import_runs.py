"""Running a queued import of people (people.import_jobs queued it): `run_job` runs
`people_import.import_people` and writes the progress and the outcome onto the job. The
task (people.import_tasks) calls it; nothing here enqueues.
"""

import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conferencing.import_runs import FAILED_ERROR_CODE, ProgressRecorder
from conferencing.models import ImportJobStatus
from people.models import PeopleImportJob
from people.people_import import ImportReport, import_people, scope_for

logger = logging.getLogger(__name__)


def run_job(job_id: int) -> PeopleImportJob | None:
    """Run a queued job to its end; None if it was not queued (already run).

    Side effects: the job goes queued → running → done (the import's report, written or
    not) or failed (an unexpected exception, logged and re-raised). The authority is read
    again here, not trusted from the upload (people_import.scope_for).
    """
    claimed = PeopleImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("People import job %s is not queued; not running it again.", job_id)
        return None
    job = PeopleImportJob.objects.select_related("created_by", "office__jurisdiction").get(
        pk=job_id
    )
    scope = scope_for(job.created_by, job.office)
    progress = ProgressRecorder(job.pk, model=PeopleImportJob)
    with translation.override(job.language):
        try:
            report = import_people(
                bytes(job.data),
                actor=job.created_by,
                scope=scope,
                skip_invalid=job.skip_invalid,
                progress=progress,
            )
        except Exception:
            logger.exception("People import job %s failed", job_id)
            _mark_failed(job)
            raise
        finally:
            progress.close()
    return _mark_done(job, report)


def _mark_done(job: PeopleImportJob, report: ImportReport) -> PeopleImportJob:
    job.refresh_from_db(fields=["total_rows", "processed_rows"])
    job.status = ImportJobStatus.DONE
    job.created_count = report.created
    job.updated_count = report.updated
    job.unchanged_count = report.unchanged
    job.invalid_count = report.invalid
    job.written = report.written
    job.errors = [
        {"line": error.line, "code": error.code, "message": str(error.message)}
        for error in report.errors
    ]
    job.bad_rows = {
        "columns": report.columns,
        "rows": [
            {"line": line, "cells": cells, "reason": reason}
            for line, cells, reason in report.bad_rows
        ],
    }
    job.total_rows = max(job.total_rows, report.total)
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "created_count",
            "updated_count",
            "unchanged_count",
            "invalid_count",
            "written",
            "errors",
            "bad_rows",
            "total_rows",
            "processed_rows",
            "finished_at",
        ]
    )
    return job


def _mark_failed(job: PeopleImportJob) -> None:
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
