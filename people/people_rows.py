"""Reading a file of people (CSV or XLSX) into rows, and checking each row on its own:
the file's size, encoding, header and row count, then every rule of a row that needs no
other row and no database. `people_import` joins the rows to each other and to what is
stored, then writes them.

Columns (a header in English or in Vietnamese, case and diacritics ignored): full name
(required), e-mail (required), phone, username, role, office code, site codes (several,
separated by `;` or `,`).

Phone numbers are Vietnamese: `0` then 9 or 10 digits (a mobile 09x xxx xxxx, a landline
with its area code 024 xxxx xxxx), or `+84` / `84` then the same number without its `0`.
Spaces, dots, dashes and brackets are ignored. The number is kept in its national form
(`0…`). A number an XLSX sheet stored as a number lost its leading zero; it is given back.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.folding import fold
from accounts.roles import Role
from conferencing.row_checks import (
    HEADER_LINE,
    CheckedRow,
    FileRefused,
    RowError,
    malformed_csv,
)
from conferencing.spreadsheet import from_spreadsheet_cell
from people import phones

COLUMNS = ("full_name", "email", "phone", "username", "role", "office", "sites")
REQUIRED_COLUMNS = ("full_name", "email")
# Folded header (fold(), "_" and "-" as spaces) -> column.
HEADER_NAMES = {
    "full name": "full_name",
    "name": "full_name",
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "email": "email",
    "e mail": "email",
    "thu dien tu": "email",
    "phone": "phone",
    "phone number": "phone",
    "dien thoai": "phone",
    "so dien thoai": "phone",
    "sdt": "phone",
    "username": "username",
    "user name": "username",
    "ten dang nhap": "username",
    "tai khoan": "username",
    "role": "role",
    "vai tro": "role",
    "office": "office",
    "office code": "office",
    "don vi": "office",
    "ma don vi": "office",
    "sites": "sites",
    "site codes": "sites",
    "site code": "sites",
    "diem cau": "sites",
    "ma diem cau": "sites",
}
# Columns of the bad-rows download (people.import_jobs.bad_rows_csv), in English and in
# Vietnamese: read past, so that file can be corrected and imported again as it is.
IGNORED_HEADERS = frozenset({"line", "reason", "dong", "ly do"})
# Folded role cell -> role.
ROLE_NAMES = {
    "secretariat": Role.SECRETARIAT,
    "thu ky": Role.SECRETARIAT,
    "van phong": Role.SECRETARIAT,
    "technician": Role.TECHNICIAN,
    "ky thuat vien": Role.TECHNICIAN,
    "ky thuat": Role.TECHNICIAN,
    "attendee": Role.ATTENDEE,
    "dai bieu": Role.ATTENDEE,
}
UTF8_BOM = b"\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
SITE_SEPARATORS = re.compile(r"[;,]")
USERNAME = re.compile(r"[\w.@+-]+")
# Blank rows read past before a file is refused, as a multiple of PEOPLE_IMPORT_MAX_ROWS.
BLANK_ROWS_FACTOR = 10
XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, ExpatError)
MAX_LENGTHS = {"full_name": 200, "email": 254, "username": 150}


@dataclass
class Sheet:
    """The file as read: its header as written and its rows of cells, with their lines."""

    header: list[str]
    columns: list[str]  # the column each header cell means ("" for one left unread)
    records: list[tuple[int, list[str]]]


@dataclass
class Row(CheckedRow):
    """One person's row, its cells read and checked on their own."""

    line: int
    raw: list[str]
    full_name: str = ""
    email: str = ""
    phone: str = ""
    username: str = ""
    role: Role | None = None
    office_code: str = ""
    site_codes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------


def read_sheet(data: bytes) -> Sheet:
    """The file's header and rows (an XLSX workbook's first sheet, else UTF-8 CSV)."""
    limit = settings.PEOPLE_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileRefused(
            RowError(
                0,
                "too_large",
                _("The file has %(size)d bytes; at most %(limit)d are accepted.")
                % {"size": len(data), "limit": limit},
            )
        )
    rows = _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
    return _sheet(rows)


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    body = data.removeprefix(UTF8_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            RowError(
                line,
                "encoding",
                _(
                    "This line is not UTF-8 text (wrong encoding). Save the file as "
                    "“CSV UTF-8” or as an Excel workbook and import it again."
                ),
            )
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))

    def numbered() -> Iterator[tuple[int, list[str]]]:
        line = HEADER_LINE
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1

    try:
        return _collect(numbered())
    except csv.Error as exc:
        raise malformed_csv(reader.line_num, exc) from exc


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    # openpyxl is imported here: only XLSX uploads pay for it.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet; data_only=False: a formula is read as its text,
        # never evaluated (and no cached result from another program is trusted).
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (*XLSX_ERRORS, InvalidFileException) as exc:
        raise _unreadable() from exc
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        return _collect(
            (line, [_xlsx_cell(value) for value in cells])
            for line, cells in enumerate(values, start=HEADER_LINE)
        )
    except XLSX_ERRORS as exc:
        raise _unreadable() from exc
    finally:
        workbook.close()


def _unreadable() -> FileRefused:
    return FileRefused(
        RowError(0, "xlsx_unreadable", _("The file cannot be read as an Excel workbook (.xlsx)."))
    )


def _collect(numbered: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The rows that hold something, with their lines; FileRefused past the row limit.

    Blank rows are read past (a sheet formatted far below its data has thousands) but
    counted too, up to BLANK_ROWS_FACTOR times the limit, so no file keeps a worker busy.
    """
    limit = settings.PEOPLE_IMPORT_MAX_ROWS
    rows = []
    for read, (line, cells) in enumerate(numbered, start=1):
        if any(cell.strip() for cell in cells):
            rows.append((line, cells))
        if len(rows) > limit + 1 or read > (limit + 1) * BLANK_ROWS_FACTOR:
            raise FileRefused(
                RowError(
                    line,
                    "too_many_rows",
                    _("Too many rows: at most %(limit)d people in one file.") % {"limit": limit},
                )
            )
    return rows


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def header_key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def _sheet(rows: list[tuple[int, list[str]]]) -> Sheet:
    while rows and not any(cell.strip() for cell in rows[0][1]):
        rows = rows[1:]
    if not rows:
        raise FileRefused(
            RowError(
                HEADER_LINE,
                "empty",
                _("The file is empty. Its first line must name the columns: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
    header_line, header = rows[0]
    header = [cell.strip() for cell in header]
    while header and not header[-1]:
        header.pop()
    columns = [HEADER_NAMES.get(header_key(cell), "") if cell else "" for cell in header]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [
        cell
        for cell, column in zip(header, columns, strict=True)
        if cell and not column and header_key(cell) not in IGNORED_HEADERS
    ]
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    doubled = sorted({column for column in columns if column and columns.count(column) > 1})
    if doubled:
        problems.append(
            _("Columns named more than once: %(columns)s.") % {"columns": ", ".join(doubled)}
        )
    if problems:
        message = (
            " ".join(problems)
            + " "
            + _("The columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
        )
        raise FileRefused(RowError(header_line, "header", message))
    records = [
        (line, [cell.strip() for cell in cells])
        for line, cells in rows[1:]
        if any(cell.strip() for cell in cells)
    ]
    return Sheet(header=header, columns=columns, records=records)


# --- checking one row ----------------------------------------------------------------------


def check_row(sheet: Sheet, line: int, cells: list[str]) -> Row:
    """The row with every error that needs no other row and no database."""
    row = Row(line=line, raw=cells)
    values = {
        column: from_spreadsheet_cell(cell)
        for column, cell in zip(sheet.columns, cells, strict=False)
        if column
    }
    if any(cell for cell in cells[len(sheet.columns) :]):
        row.refuse(
            "column_count",
            _("This row has %(found)d cells but the header names %(expected)d columns.")
            % {"found": len(cells), "expected": len(sheet.columns)},
        )
    for column, value in values.items():
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            row.refuse(
                "control_character",
                _("%(column)s: contains a control character.") % {"column": column},
            )
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            row.refuse(
                "too_long",
                _("%(column)s: at most %(limit)d characters, this one has %(length)d.")
                % {"column": column, "limit": limit, "length": len(value)},
            )
    row.full_name = " ".join(values.get("full_name", "").split())
    if not row.full_name:
        row.refuse("name_missing", _("The full name is required."))
    row.email = values.get("email", "").lower()
    if not row.email:
        row.refuse("email_missing", _("The e-mail address is required."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            row.refuse(
                "email_invalid",
                _("“%(value)s” is not a valid e-mail address.") % {"value": row.email},
            )
    _check_phone(row, values.get("phone", ""))
    row.username = values.get("username", "")
    if row.username and not USERNAME.fullmatch(row.username):
        row.refuse(
            "username_invalid",
            _("Username “%(value)s”: use only letters, digits and @ . + - _ (no spaces).")
            % {"value": row.username},
        )
    role = values.get("role", "")
    if role:
        row.role = ROLE_NAMES.get(header_key(role))
        if row.role is None:
            row.refuse(
                "role_unknown",
                _("Unknown role “%(value)s”: use Secretariat, Technician or Attendee.")
                % {"value": role},
            )
    row.office_code = values.get("office", "")
    row.site_codes = list(
        dict.fromkeys(
            code.strip() for code in SITE_SEPARATORS.split(values.get("sites", "")) if code.strip()
        )
    )
    return row


def _check_phone(row: Row, value: str) -> None:
    if not value:
        return
    number = phones.national_number(value)
    if number is None:
        row.refuse("phone_invalid", phones.refusal(value))
        return
    row.phone = number
