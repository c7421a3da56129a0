"""Import a secretariat's CSV of conference sites in the background: the web side.

`create_job` stores the upload and enqueues `tasks.run_endpoint_import` once the job
is committed; the task runs `import_runs.run_job`, which writes the progress and the
outcome onto the job for the status page (`job_status`) to poll. `queue_job` and
`import_status` are the parts every import shares (people.import_jobs too).
"""

from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation

from conferencing.models import EndpointImportJob, ImportJob, Office
from conferencing.tasks import run_endpoint_import

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User
    from django.tasks import Task


def create_job(
    *, user: "User", upload: UploadedFile, skip_invalid: bool, office: Office | None = None
) -> EndpointImportJob:
    """Store an uploaded CSV as a queued import job and enqueue its import.

    `office` is the office the import acts for (jurisdiction.import_office): the worker
    refuses rows outside its jurisdiction; None is the superuser's import of anywhere
    (a non-superuser's job without an office writes nowhere). Side effects: queue_job's.
    """
    return queue_job(
        EndpointImportJob,
        run_endpoint_import,
        user=user,
        office=office,
        file_name=upload.name or "",
        data=b"".join(upload.chunks()),
        skip_invalid=skip_invalid,
    )


def queue_job[J: ImportJob](
    model: type[J],
    task: "Task",
    *,
    user: "AbstractBaseUser",
    office: Office | None,
    file_name: str,
    data: bytes,
    skip_invalid: bool,
) -> J:
    """Store an upload as a queued job of `model` and enqueue `task` with its id: the web
    side every import shares.

    Side effects: one job row; after commit, one task enqueued (only the job id
    travels). The uploader's language is kept so the worker words row errors in it.
    """
    with transaction.atomic():
        job = model._default_manager.create(
            created_by=user,
            office=office,
            file_name=file_name[:255],
            data=data,
            skip_invalid=skip_invalid,
            language=translation.get_language() or "vi",
        )
        # Enqueued after commit: a worker must never pick up a job it cannot read yet.
        transaction.on_commit(partial(task.enqueue, job.pk))
    return job


def job_status(job: EndpointImportJob) -> dict[str, Any]:
    """The JSON the status page polls: state, progress and, once finished, the counts."""
    return import_status(job, skipped=job.skipped_count)


def import_status(job: ImportJob, **own_counts: int) -> dict[str, Any]:
    """An import job's state, progress and counts (with the job's `own_counts`), as JSON."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.is_finished,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        **own_counts,
        "written": job.written,
        "error_count": len(job.errors),
    }
