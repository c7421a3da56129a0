"""What the import commands share (import_endpoints, import_divisions, people's
import_people): reading the file, the progress on stderr, and the report."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    def read_file(self, file: Path) -> bytes:
        """The file's bytes; CommandError when it cannot be read."""
        try:
            return file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from exc

    def progress(self, verbosity: int) -> Callable[[int, int], None] | None:
        """The import's `progress` callback: rows done on stderr, at verbosity 2 and up."""
        return self.show_progress if verbosity >= 2 else None

    def show_progress(self, done: int, total: int) -> None:
        self.stderr.write(_("%(done)d of %(total)d rows") % {"done": done, "total": total})


def print_report(
    command: BaseCommand, report: Any, verbosity: int = 1, *, dry_run: bool = False
) -> None:
    """Each bad row on stderr, the counts (report.summary()) on stdout; CommandError when
    nothing was written because of bad rows (a dry run writes nothing anyway)."""
    for error in report.errors:
        command.stderr.write(
            _("line %(line)d: %(message)s") % {"line": error.line, "message": error.message}
        )
    if report.errors and not report.written and not dry_run:
        raise CommandError(
            _("Nothing was imported: %(count)d errors. Fix them or use --skip-invalid.")
            % {"count": len(report.errors)}
        )
    if verbosity >= 1:
        summary = report.summary()
        if dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        command.stdout.write(summary)
