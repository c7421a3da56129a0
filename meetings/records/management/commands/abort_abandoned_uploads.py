from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings.records.tasks import SWEEP
from meetings.records.upload_cleanup import abandon_after, abort_abandoned


class Command(BaseCommand):
    help = (
        "Abort recording uploads untouched for RECORDS_UPLOAD_ABANDON_HOURS, multipart "
        "uploads under records/ that no session knows, and their local part files."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead of sweeping now, enqueue the hourly sweep task unless one is waiting "
            "(bin/run prepare does this).",
        )

    def handle(self, *args, schedule: bool = False, **options) -> None:
        if schedule:
            if SWEEP.start():
                self.stdout.write(_("The upload sweep is scheduled."))
            else:
                self.stdout.write(_("The upload sweep is already scheduled."))
            return
        report = abort_abandoned()
        self.stdout.write(
            _(
                "Uploads older than %(hours)s h: %(sessions)d aborted, %(released)d reopened "
                "after a completion that never finished, %(orphans)d orphan uploads aborted, "
                "%(dirs)d part directories removed, %(deleted)d finished sessions deleted, "
                "%(errors)d storage errors."
            )
            % {
                "hours": int(abandon_after().total_seconds() // 3600),
                "sessions": report.sessions_aborted,
                "released": report.sessions_released,
                "orphans": report.orphan_uploads_aborted,
                "dirs": report.orphan_dirs_removed,
                "deleted": report.sessions_deleted,
                "errors": report.storage_errors,
            }
        )
        if report.storage_errors:
            raise SystemExit(1)
