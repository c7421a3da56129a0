from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.sign_in import unlock


class Command(BaseCommand):
    help = "Lift the sign-in lockout of an account (from every address, or from one); audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--ip", dest="ip_address", help="Only the lockout from this address.")

    def handle(self, *args, username: str, ip_address: str | None, **options) -> None:
        removed = unlock(None, username, ip_address, via="command")
        if removed:
            self.stdout.write(
                ngettext(
                    "Sign-in unlocked for %(username)s (%(count)d record).",
                    "Sign-in unlocked for %(username)s (%(count)d records).",
                    removed,
                )
                % {"username": username, "count": removed}
            )
        else:
            self.stdout.write(_("%(username)s is not locked out.") % {"username": username})
