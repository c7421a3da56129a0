from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from httpapi.idempotency import purge_expired
from httpapi.tasks import PURGE


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
            if PURGE.start():
                self.stdout.write(_("The purge of idempotency keys is scheduled."))
            else:
                self.stdout.write(_("The purge of idempotency keys is already scheduled."))
            return
        deleted = purge_expired()
        self.stdout.write(_("%(count)d expired idempotency keys deleted.") % {"count": deleted})
