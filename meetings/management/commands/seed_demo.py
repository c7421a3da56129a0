from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings.demo_data import DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Load demo data: the national site tree, three offices, their bridges and users."

    def handle(self, *args, **options) -> None:
        counts = seed_demo()
        self.stdout.write(
            _(
                "Demo data ready: %(endpoints)d sites, %(offices)d offices, "
                "%(bridges)d bridges, %(users)d users."
            )
            % counts
        )
        for demo in DEMO_USERS:
            role = demo.role.label if demo.role else _("Administrator")
            offices = ", ".join(office.code for office in demo.offices)
            where = f", {offices}" if offices else ""
            self.stdout.write(f"  {demo.username} / {demo.password}  ({role}{where})")
