from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from conferencing.endpoint_import import ImportReport, import_endpoints


class Command(BaseCommand):
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
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from exc
        progress = self.show_progress if verbosity >= 2 else None
        report = import_endpoints(data, skip_invalid=skip_invalid, progress=progress)
        print_report(self, report, verbosity)

    def show_progress(self, done: int, total: int) -> None:
        self.stderr.write(_("%(done)d of %(total)d rows") % {"done": done, "total": total})


def print_report(command: BaseCommand, report: ImportReport, verbosity: int = 1) -> None:
    """Each bad row on stderr, the counts on stdout; CommandError when nothing was written."""
    for error in report.errors:
        command.stderr.write(
            _("line %(line)d: %(message)s") % {"line": error.line, "message": error.message}
        )
    if report.errors and not report.written:
        raise CommandError(
            _("Nothing was imported: %(count)d errors. Fix them or use --skip-invalid.")
            % {"count": len(report.errors)}
        )
    if verbosity >= 1:
        command.stdout.write(report.summary())
