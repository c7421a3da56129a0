"""The CSV of announced days: `ngày, loại, lý do, văn bản` per row, checked cell by cell.

Every problem of every row is listed (line numbers as a spreadsheet shows them); the
import is all or nothing, so a file with one bad cell changes nothing.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from conferencing.spreadsheet import from_spreadsheet_cell
from workdays.announcements import Announcement, refusal
from workdays.models import AnnouncedDay, AnnouncedKind

COLUMNS = 4
NAME_MAX = AnnouncedDay._meta.get_field("name").max_length
DECISION_MAX = AnnouncedDay._meta.get_field("decision").max_length
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
# The kind column, folded (lower case, NFC): the Vietnamese words and the stored values.
KINDS = {
    "nghỉ": AnnouncedKind.DAY_OFF,
    "ngày nghỉ": AnnouncedKind.DAY_OFF,
    "day_off": AnnouncedKind.DAY_OFF,
    "làm bù": AnnouncedKind.WORKING_DAY,
    "ngày làm bù": AnnouncedKind.WORKING_DAY,
    "working_day": AnnouncedKind.WORKING_DAY,
}
HEADER_FIRST_CELLS = {"ngày", "ngay", "day", "date"}


@dataclass
class RowProblems:
    line: int
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    announcements: list[Announcement]
    problems: list[RowProblems]  # per row, in file order
    file_problem: str = ""  # the whole file refused (size, encoding, empty)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.file_problem


def fold(cell: str) -> str:
    return unicodedata.normalize("NFC", cell).strip().casefold()


def too_large(size: int | None) -> str:
    """Why a file of `size` bytes is refused before reading it, or ""."""
    limit = settings.WORKING_DAYS_IMPORT_MAX_BYTES
    if size is None or size > limit:
        return _("The file is %(size)s; the largest accepted is %(limit)s.") % {
            "size": filesizeformat(size or 0),
            "limit": filesizeformat(limit),
        }
    return ""


def parse_day(cell: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(cell.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _rows(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _check_row(
    cells: list[str], seen: dict[date, int], taken: set[date]
) -> tuple[Announcement | None, list[str]]:
    problems = []
    if len(cells) != COLUMNS:
        return None, [
            _("Expected %(expected)d columns (day, kind, reason, decision), found %(found)d.")
            % {"expected": COLUMNS, "found": len(cells)}
        ]
    day_cell, kind_cell, name_cell, decision_cell = (
        unicodedata.normalize("NFC", from_spreadsheet_cell(cell.strip())) for cell in cells
    )
    day = parse_day(day_cell)
    if day is None:
        problems.append(
            _("“%(value)s” is not a date as dd/mm/yyyy.") % {"value": day_cell[:40]}
            if day_cell
            else _("The day is missing.")
        )
    elif day in seen:
        problems.append(
            _("%(day)s is already on line %(line)d of this file.")
            % {"day": day.strftime("%d/%m/%Y"), "line": seen[day]}
        )
    kind = KINDS.get(fold(kind_cell))
    if kind is None:
        problems.append(
            _(
                "The kind must be “nghỉ” (day off) or “làm bù” (make-up working day), "
                "not “%(value)s”."
            )
            % {"value": kind_cell[:40]}
        )
    if not name_cell:
        problems.append(_("The reason is missing."))
    elif len(name_cell) > NAME_MAX:
        problems.append(_("The reason is longer than %(limit)d characters.") % {"limit": NAME_MAX})
    if len(decision_cell) > DECISION_MAX:
        problems.append(
            _("The decision reference is longer than %(limit)d characters.")
            % {"limit": DECISION_MAX}
        )
    if problems or day is None or kind is None:
        return None, problems
    announcement = Announcement(day=day, kind=kind, name=name_cell, decision=decision_cell)
    refused = refusal(announcement, taken)
    if refused is not None:
        return None, [refused.message]
    return announcement, []


def read(raw: bytes) -> ImportResult:
    """Check every row of the file; the announcements only when all are good."""
    text = _text(raw)
    if text is None:
        return ImportResult([], [], _("The file is not UTF-8 text; save it as CSV UTF-8."))
    rows = _rows(text)
    numbered = [
        (line, cells) for line, cells in enumerate(rows, start=1) if any(c.strip() for c in cells)
    ]
    if numbered and fold(numbered[0][1][0]) in HEADER_FIRST_CELLS:
        numbered = numbered[1:]
    if not numbered:
        return ImportResult([], [], _("The file has no rows to import."))
    candidates = [parse_day(cells[0]) for _line, cells in numbered if cells]
    taken = set(
        AnnouncedDay.objects.filter(day__in=[d for d in candidates if d]).values_list(
            "day", flat=True
        )
    )
    announcements: list[Announcement] = []
    problems: list[RowProblems] = []
    seen: dict[date, int] = {}
    for line, cells in numbered:
        announcement, messages = _check_row(cells, seen, taken)
        if announcement is not None:
            seen[announcement.day] = line
            announcements.append(announcement)
        else:
            day = parse_day(cells[0]) if cells else None
            if day is not None and day not in seen:
                seen[day] = line
            problems.append(RowProblems(line, messages))
    return ImportResult(announcements if not problems else [], problems)
