from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from conferencing.endpoint_export import export_endpoints, write_endpoints_csv


class Command(BaseCommand):
    help = (
        "Write every conference site as CSV, in tree order, in the format import_endpoints "
        "reads. To FILE (UTF-8 with a byte-order mark, for Excel) or to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="The CSV file to write.")

    def handle(self, *args, file: Path | None, **options) -> None:
        if file is None:
            self.stdout.write(export_endpoints(), ending="")
            return
        try:
            with file.open("w", encoding="utf-8-sig", newline="") as stream:
                count = write_endpoints_csv(stream)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from exc
        self.stderr.write(
            _("%(count)d sites written to %(file)s.") % {"count": count, "file": file}
        )
