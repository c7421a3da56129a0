"""Running a queued import of people (people.import_jobs queued it): `run_job` runs
`people_import.import_people` and writes the progress and the outcome onto the job. The
task (people.import_tasks) calls it; nothing here enqueues.
"""

import logging

from conferencing.import_runs import ProgressRecorder, mark_done, run_queued
from people.models import PeopleImportJob
from people.people_import import ImportReport, import_people, scope_for

logger = logging.getLogger(__name__)


def run_job(job_id: int) -> PeopleImportJob | None:
    """Run a queued job to its end; None if it was not queued (already run).

    Side effects: the job goes queued → running → done (the import's report, written or
    not) or failed (conferencing.import_runs.run_queued). The authority is read again
    here, not trusted from the upload (people_import.scope_for).
    """

    def run_import(job: PeopleImportJob, progress: ProgressRecorder) -> ImportReport:
        return import_people(
            bytes(job.data),
            actor=job.created_by,
            scope=scope_for(job.created_by, job.office),
            skip_invalid=job.skip_invalid,
            progress=progress,
        )

    ran = run_queued(PeopleImportJob, job_id, run_import, name="People", log=logger)
    if ran is None:
        return None
    job, report = ran
    return mark_done(
        job,
        report,
        total=report.total,
        invalid_count=report.invalid,
        bad_rows={
            "columns": report.columns,
            "rows": [
                {"line": line, "cells": cells, "reason": reason}
                for line, cells, reason in report.bad_rows
            ],
        },
    )
