from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from conferencing.models import Office
from people.people_import import ImportReport, PeopleScope, import_people


class Command(BaseCommand):
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
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from exc
        progress = self.show_progress if verbosity >= 2 else None
        # The command is the operator's (a shell on the server): it may write anywhere.
        report = import_people(
            data,
            scope=PeopleScope(office=found, unrestricted=True),
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            progress=progress,
        )
        self.print_report(report, verbosity)

    def show_progress(self, done: int, total: int) -> None:
        self.stderr.write(_("%(done)d of %(total)d rows") % {"done": done, "total": total})

    def print_report(self, report: ImportReport, verbosity: int) -> None:
        """Each bad row on stderr, the counts on stdout; CommandError when nothing was
        written because of bad rows."""
        for error in report.errors:
            self.stderr.write(
                _("line %(line)d: %(message)s") % {"line": error.line, "message": error.message}
            )
        if report.errors and not report.written and not report.dry_run:
            raise CommandError(
                _("Nothing was imported: %(count)d errors. Fix them or use --skip-invalid.")
                % {"count": len(report.errors)}
            )
        if verbosity >= 1:
            summary = report.summary()
            if report.dry_run:
                summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
            self.stdout.write(summary)
