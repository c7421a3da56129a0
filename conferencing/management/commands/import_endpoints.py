from pathlib import Path

from django.core.management.base import CommandParser

from conferencing.endpoint_import import import_endpoints
from conferencing.management.import_command import ImportCommand, print_report


class Command(ImportCommand):
    help = (
        "Create and update conference sites from a UTF-8 CSV file "
        "(code,name,level,parent_code,organisation,address,dial_string,contact_phone,"
        "contact_email,active). Nothing is written if a row is bad, unless --skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the others (and the rows under them).",
        )

    def handle(self, *args, file: Path, skip_invalid: bool, verbosity: int, **options) -> None:
        report = import_endpoints(
            self.read_file(file), skip_invalid=skip_invalid, progress=self.progress(verbosity)
        )
        print_report(self, report, verbosity)
