"""The background task of the people import (django.tasks; a worker runs it)."""

from django.tasks import task

from people.import_runs import run_job


@task()
def run_people_import(job_id: int) -> None:
    """Run one queued import of people; only the job id travels through the queue."""
    run_job(job_id)
