from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.records import storage
from meetings.records.integrity import expired_versions, purge, retention_days


class Command(BaseCommand):
    help = (
        "Delete the files of record versions older than their kind's retention "
        "(RECORDS_RETENTION_DAYS) and of recordings that failed verification, except records "
        "under legal hold; each version stays, "
        "marked purged, with an audit entry."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be purged; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        retention = ", ".join(
            f"{kind}={days if days else '∞'}" for kind, days in retention_days().items()
        )
        self.stdout.write(_("Retention in days: %(retention)s") % {"retention": retention})
        purged = failed = 0
        for version in expired_versions():
            label = _("%(kind)s “%(title)s” version %(number)d") % {
                "kind": version.record.get_kind_display(),
                "title": version.record.title,
                "number": version.number,
            }
            if dry_run:
                self.stdout.write(_("would purge %(version)s") % {"version": label})
                continue
            try:
                done = purge(version)
            except storage.StorageUnavailable as error:
                failed += 1
                self.stderr.write(
                    _("could not purge %(version)s: %(error)s") % {"version": label, "error": error}
                )
                continue
            if done:
                purged += 1
                self.stdout.write(_("purged %(version)s") % {"version": label})
        self.stdout.write(
            _("%(purged)d versions purged, %(failed)d failed.")
            % {"purged": purged, "failed": failed}
        )
        if failed:
            raise CommandError(_("Storage refused %(failed)d purges.") % {"failed": failed})
