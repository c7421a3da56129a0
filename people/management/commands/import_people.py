from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from conferencing.management.import_command import ImportCommand, print_report
from conferencing.models import Office
from people.people_import import PeopleScope, import_people


class Command(ImportCommand):
    help = (
        "Create and update people from a CSV (UTF-8) or XLSX file (full name, e-mail, phone, "
        "username, role, office code, site codes). Rows without an office code join --office. "
        "Nothing is written if a row is bad, unless --skip-invalid; --dry-run writes nothing. "
        "New people are e-mailed an invitation once the import is committed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV or XLSX file to import.")
        parser.add_argument(
            "--office",
            required=True,
            help="The code of the office a row without an office code joins.",
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the valid rows, report the others."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count everything; write nothing."
        )

    def handle(
        self,
        *args,
        file: Path,
        office: str,
        skip_invalid: bool,
        dry_run: bool,
        verbosity: int,
        **options,
    ) -> None:
        found = Office.objects.active().select_related("jurisdiction").filter(code=office).first()
        if found is None:
            raise CommandError(_("No active office has the code %(code)s.") % {"code": office})
        # The command is the operator's (a shell on the server): it may write anywhere.
        report = import_people(
            self.read_file(file),
            scope=PeopleScope(office=found, unrestricted=True),
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            progress=self.progress(verbosity),
        )
        print_report(self, report, verbosity, dry_run=report.dry_run)
