from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from httpapi.idempotency import purge_expired
from httpapi.tasks import purge_waiting, schedule_purge


class Command(BaseCommand):
    help = "Delete the API's idempotency keys older than 24 hours."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead of purging now, enqueue the hourly purge task unless one is waiting "
            "(bin/run prepare does this).",
        )

    def handle(self, *args, schedule: bool = False, **options) -> None:  # type: ignore[no-untyped-def]
        if schedule:
            if purge_waiting():
                self.stdout.write(_("The purge of idempotency keys is already scheduled."))
            else:
                schedule_purge()
                self.stdout.write(_("The purge of idempotency keys is scheduled."))
            return
        deleted = purge_expired()
        self.stdout.write(_("%(count)d expired idempotency keys deleted.") % {"count": deleted})
