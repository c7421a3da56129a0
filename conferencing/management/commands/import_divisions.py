from django.core.management.base import BaseCommand

from conferencing.divisions import division_rows
from conferencing.endpoint_import import import_rows
from conferencing.management.import_command import print_report


class Command(BaseCommand):
    help = (
        "Create or update the national tree of sites: the centre, 34 provinces and "
        "3,321 communes (vietnam-provinces data). Running it again changes nothing; "
        "it never clears a site's dial string or contacts."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        print_report(self, import_rows(division_rows()), verbosity)
