"""Background tasks of the conference network (django.tasks; a worker runs them).

A task only runs a domain function; whoever enqueues it imports this module.
"""

from django.tasks import task

from conferencing.import_runs import run_job


@task()
def run_endpoint_import(job_id: int) -> None:
    """Run one queued CSV import of sites; only the job id travels through the queue."""
    run_job(job_id)
