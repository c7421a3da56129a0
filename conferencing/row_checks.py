"""What every import's rows share (sites in endpoint_rows, people in people.people_rows):
the error a refused row carries, the `valid`/`refuse` of a checked row, and the refusal
of the whole file."""

import csv
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The header is the file's first line; the first row is line 2.
HEADER_LINE = 1


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str


class CheckedRow:
    """Mixed into a row dataclass that has `line` and `errors` fields."""

    line: int
    errors: list[RowError]

    @property
    def valid(self) -> bool:
        return not self.errors

    def refuse(self, code: str, message: str) -> None:
        self.errors.append(RowError(self.line, code, message))


class FileRefused(Exception):
    """The whole file is refused (size, format, encoding, header, too many rows)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def malformed_csv(line_num: int, error: csv.Error) -> FileRefused:
    """The refusal of a file the csv module cannot read at `line_num` (0: the header)."""
    return FileRefused(
        RowError(
            line_num or HEADER_LINE,
            "csv_malformed",
            _("The file is not valid CSV here: %(reason)s.") % {"reason": error},
        )
    )
