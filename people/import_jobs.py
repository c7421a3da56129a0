"""Import a file of people in the background, the web side: store the upload as a job
and enqueue it (people.import_tasks runs people.import_runs.run_job in the worker), show
its progress, and give the refused rows back as a spreadsheet-safe CSV. The page and the
API share these functions.
"""

import io
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from conferencing import jurisdiction
from conferencing.import_jobs import import_status, queue_job
from conferencing.models import Office
from conferencing.spreadsheet import csv_writer
from people.import_tasks import run_people_import
from people.models import PeopleImportJob

UTF8_BOM = "\ufeff"


def create_job(
    *,
    user: AbstractBaseUser,
    data: bytes,
    file_name: str,
    skip_invalid: bool,
    office: Office | None,
) -> PeopleImportJob:
    """Store an uploaded file as a queued job and enqueue its import.

    `office` is the office the import acts for (None: the superuser's, anywhere). Side
    effects: one PeopleImportJob row; after commit, one task enqueued (only the job id
    travels). The uploader's language is kept so the worker words row errors in it.
    """
    return queue_job(
        PeopleImportJob,
        run_people_import,
        user=user,
        office=office,
        file_name=file_name,
        data=data,
        skip_invalid=skip_invalid,
    )


def job_status(job: PeopleImportJob) -> dict[str, Any]:
    """The JSON the job page polls, and the API's answer: state, progress, counts."""
    return import_status(job, invalid=job.invalid_count)


def bad_rows_csv(job: PeopleImportJob) -> str:
    """The refused rows as a CSV to correct and import again: the file's own columns, then
    the line and the reason. Every cell goes through conferencing.spreadsheet, so a cell
    such as `=HYPERLINK(...)` is written as text, never as a formula (and the import reads
    it back as it was)."""
    stream = io.StringIO()
    writer = csv_writer(stream)
    bad = job.bad_rows or {}
    columns = list(bad.get("columns", []))
    writer.writerow([*columns, _("line"), _("reason")])
    for row in bad.get("rows", []):
        cells = list(row["cells"])[: len(columns)]
        cells += [""] * (len(columns) - len(cells))
        writer.writerow([*cells, row["line"], row["reason"]])
    return UTF8_BOM + stream.getvalue()


def acting_office(user: AbstractBaseUser) -> Office | None:
    """The office an import of the user acts for: None for the superuser (anywhere), else
    the acting office (the caller checks people.scope.may_manage_people first)."""
    if user.is_superuser:
        return None
    return jurisdiction.booking_office(user)


def visible_jobs(user: AbstractBaseUser) -> QuerySet[PeopleImportJob]:
    """Import jobs the user may follow: all for the superuser, the acting office's for its
    secretariat (whoever of it uploaded them), none otherwise."""
    if user.is_superuser:
        return PeopleImportJob.objects.all()
    office = jurisdiction.booking_office(user)
    if office is None:
        return PeopleImportJob.objects.none()
    return PeopleImportJob.objects.filter(office=office)
