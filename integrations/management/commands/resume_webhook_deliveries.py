from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from integrations.stalled import SWEEP, resume_stalled


class Command(BaseCommand):
    help = "Enqueue again the webhook deliveries that nothing will send any more."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead of sweeping now, enqueue the sweep that runs every five minutes "
            "unless one is waiting (bin/run prepare does this).",
        )

    def handle(self, *args, schedule: bool = False, **options) -> None:  # type: ignore[no-untyped-def]
        if schedule:
            if SWEEP.start():
                self.stdout.write(_("The sweep of stalled webhook deliveries is scheduled."))
            else:
                self.stdout.write(
                    _("The sweep of stalled webhook deliveries is already scheduled.")
                )
            return
        resumed = resume_stalled()
        self.stdout.write(
            _("%(count)d stalled webhook deliveries enqueued again.") % {"count": resumed}
        )
