"""Background tasks of the conference network (django.tasks; a worker runs them)."""

from django.tasks import task


@task()
def run_endpoint_import(job_id: int) -> None:
    """Run one queued CSV import of sites; only the job id travels through the queue."""
    # Imported here: import_jobs enqueues this task, so it imports this module.
    from conferencing.import_jobs import run_job

    run_job(job_id)
