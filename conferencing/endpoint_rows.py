"""Reading an import of conference sites (điểm cầu) into rows, and checking each row on its
own: the file's encoding, header and CSV syntax, then every rule of a row that needs no
other row and no database. `endpoint_tree_check` joins the rows to each other and to the
stored tree; `endpoint_import` plans and writes them.
"""

import csv
import io
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

from conferencing.models import Endpoint, Level
from conferencing.row_checks import (
    HEADER_LINE,
    CheckedRow,
    FileRefused,
    RowError,
    malformed_csv,
)
from conferencing.spreadsheet import from_spreadsheet_cell

REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
OPTIONAL_COLUMNS = (
    "organisation",
    "address",
    "dial_string",
    "contact_phone",
    "contact_email",
    "active",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
TEXT_COLUMNS = ("organisation", "address", "dial_string", "contact_phone", "contact_email")
TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})
INVALID_VALUE_CODES = {
    "code": "code_invalid",
    "dial_string": "dial_string_invalid",
    "contact_phone": "phone_invalid",
    "contact_email": "email_invalid",
}
UTF8_BOM = b"\xef\xbb\xbf"

if TYPE_CHECKING:
    from _csv import Reader


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Record:
    line: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)


def clean_cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_csv(data: bytes) -> list[Record]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_records(reader)
    except csv.Error as exc:
        raise malformed_csv(reader.line_num, exc) from exc


def _decode(data: bytes) -> str:
    body = data.removeprefix(UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            RowError(
                line,
                "encoding",
                _("This line is not UTF-8 text. Save the file as “CSV UTF-8” and import it again."),
            )
        ) from exc


def _read_records(reader: "Reader") -> list[Record]:
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise FileRefused(
            RowError(
                HEADER_LINE,
                "empty",
                _("The file is empty. Its first line must name the columns: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
    columns = [cell.strip().lower() for cell in header]
    header_errors = column_errors([column for column in columns if column], HEADER_LINE)
    if header_errors:
        raise FileRefused(header_errors[0])
    records = []
    last_line = HEADER_LINE
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            records.append(_record(line, columns, cells))
    return records


def _record(line: int, columns: list[str], cells: list[str]) -> Record:
    record = Record(
        line,
        {
            # An exported file marks formula-like cells as text (conferencing.spreadsheet).
            column: from_spreadsheet_cell(cell.strip())
            for column, cell in zip(columns, cells, strict=False)
            if column
        },
    )
    extra_cells = cells[len(columns) :]
    if len(cells) < len(columns) or any(cell.strip() for cell in extra_cells):
        record.errors.append(
            RowError(
                line,
                "column_count",
                _("This row has %(found)d cells but the header names %(expected)d columns.")
                % {"found": len(cells), "expected": len(columns)},
            )
        )
    return record


def column_errors(columns: list[str], line: int) -> list[RowError]:
    """One error naming every header problem at once, or none."""
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        problems.append(("header_missing", _("Missing columns: %(columns)s.")))
    unknown = [column for column in columns if column not in COLUMNS]
    if unknown:
        problems.append(("header_unknown", _("Unknown columns: %(columns)s.")))
    doubled = sorted({column for column in columns if columns.count(column) > 1})
    if doubled:
        problems.append(("header_duplicate", _("Columns named more than once: %(columns)s.")))
    if not problems:
        return []
    named = {"header_missing": missing, "header_unknown": unknown, "header_duplicate": doubled}
    message = " ".join(text % {"columns": ", ".join(named[code])} for code, text in problems)
    message += " " + _("The columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
    return [RowError(line, problems[0][0], message)]


# --- checking one row ------------------------------------------------------------------------


@dataclass
class Site:
    """A site as stored, or as it will be once a row is imported."""

    code: str
    name: str
    level: int
    parent_code: str = ""
    organisation: str = ""
    address: str = ""
    dial_string: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    is_active: bool = True
    id: int | None = None
    path: str = ""


@dataclass
class Row(CheckedRow):
    line: int
    code: str
    parent_code: str
    level: int | None
    cells: dict[str, str]
    errors: list[RowError]


def check_row(record: Record) -> Row:
    """The row with every error that needs no other row and no database."""
    cells, line = record.cells, record.line
    row = Row(
        line=line,
        code=cells.get("code", ""),
        parent_code=cells.get("parent_code", ""),
        level=Level.from_slug(cells.get("level", "")),
        cells=cells,
        errors=list(record.errors),
    )
    for column, value in cells.items():
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            row.refuse(
                "control_character",
                _("%(column)s: contains a control character.") % {"column": column},
            )
    if not row.code:
        row.refuse("code_missing", _("The code is required."))
    if not cells.get("name"):
        row.refuse("name_missing", _("The name is required."))
    if row.level is None:
        row.refuse(
            "level_invalid",
            _("Unknown level “%(value)s”: use one of %(levels)s.")
            % {"value": cells.get("level", ""), "levels": ", ".join(lv.slug for lv in Level)},
        )
    if cells.get("active", "").lower() not in TRUE_WORDS | FALSE_WORDS | {""}:
        row.refuse(
            "active_invalid",
            _("Unknown active value “%(value)s”: use true or false (1/0, yes/no).")
            % {"value": cells["active"]},
        )
    for column in ("code", "name", *TEXT_COLUMNS):
        error = _value_error(column, cells.get(column, ""), line)
        if error:
            row.errors.append(error)
    return row


def _value_error(column: str, value: str, line: int) -> RowError | None:
    """The first rule of the model field that `value` breaks, checked without a query."""
    if not value:
        return None
    model_field = Endpoint._meta.get_field(column)
    assert isinstance(model_field, models.Field)
    limit = model_field.max_length
    if limit and len(value) > limit:
        return RowError(
            line,
            "too_long",
            _("%(column)s: at most %(limit)d characters, this one has %(length)d.")
            % {"column": column, "limit": limit, "length": len(value)},
        )
    for validator in model_field.validators:
        if isinstance(validator, MaxLengthValidator):
            continue
        try:
            validator(value)
        except ValidationError as exc:
            return RowError(
                line,
                INVALID_VALUE_CODES.get(column, f"{column}_invalid"),
                _("%(column)s: %(reason)s") % {"column": column, "reason": exc.messages[0]},
            )
    return None


def site_for(row: Row, stored: Site | None) -> Site:
    """The site as it will be: the row's cells over the stored values (or the defaults)."""
    assert row.level is not None
    site = replace(stored) if stored else Site(code=row.code, name="", level=row.level)
    site.name = row.cells["name"]
    site.level = row.level
    site.parent_code = row.parent_code
    for column in TEXT_COLUMNS:
        if column in row.cells:
            setattr(site, column, row.cells[column])
    if "active" in row.cells:
        site.is_active = row.cells["active"].lower() not in FALSE_WORDS
    return site
