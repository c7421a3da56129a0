from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings.followup import reminders
from meetings.followup.reminder_tasks import SWEEP


class Command(BaseCommand):
    help = (
        "E-mail the reminders owed today about conclusion tasks (deadline near, overdue), "
        "each once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead of sending now, enqueue the hourly reminder task unless one is "
            "waiting (bin/run prepare does this).",
        )

    def handle(self, *args, **options) -> None:
        if options.get("schedule"):
            if SWEEP.start():
                self.stdout.write(_("The task reminders are scheduled."))
            else:
                self.stdout.write(_("The task reminders are already scheduled."))
            return
        sent = reminders.send_due()
        self.stdout.write(_("%(count)d task reminders sent.") % {"count": sent})
