"""Import conference sites (điểm cầu) from CSV: everything is checked first, then written at once.

Each row is checked in memory against the whole file and against the stored
tree, which is read in one query; only then is anything written, in one
transaction, with inserts batched per tree depth and updates batched by
count. `Endpoint.save()` and `full_clean()` are not used: both cost queries
per row (path upkeep, uniqueness checks), so this module sets `path` itself.

Columns: code, name, level, parent_code (required) and organisation, address,
dial_string, contact_phone, contact_email, active (optional: an absent column
leaves that field of an existing site as it is). Rows are upserted by code.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import batched
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conferencing.models import PATH_SEPARATOR, Endpoint, Level, path_for, placement_error
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
# Fields compared to decide whether a stored site changes; parent and path apart.
DATA_FIELDS = (
    "name",
    "level",
    "organisation",
    "address",
    "dial_string",
    "contact_phone",
    "contact_email",
    "is_active",
)
UPDATE_FIELDS = [*DATA_FIELDS, "parent", "path", "updated_at"]
BATCH_SIZE = 500
HEADER_LINE = 1
UTF8_BOM = b"\xef\xbb\xbf"

if TYPE_CHECKING:
    from _csv import Reader

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str


@dataclass
class ImportReport:
    """The outcome of one import.

    `written` is True when the database now holds every valid row (even if none
    needed a change); False means nothing was changed. `moved` counts stored
    sites absent from the file whose path was rewritten because an ancestor moved.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    moved: int = 0

    def summary(self) -> str:
        text = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(skipped)d skipped."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.moved:
            moved = ngettext(
                "%(moved)d sub-site followed its moved parent.",
                "%(moved)d sub-sites followed their moved parent.",
                self.moved,
            )
            text += " " + moved % {"moved": self.moved}
        return text


def import_endpoints(
    data: bytes, *, skip_invalid: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Upsert the sites of a CSV file (UTF-8, with or without a byte-order mark).

    Side effects: with no bad row, or with `skip_invalid`, one transaction that
    creates and updates sites and rewrites the paths of sub-sites whose ancestor
    moved; otherwise nothing. A file that cannot be read as a whole (encoding,
    header, CSV syntax) is always refused. `progress(done, total)` is called with
    rows settled (found unchanged, refused or written) out of all rows: once
    before the transaction, then after the checks and after each written batch,
    inside the transaction, so a callback's own database writes commit with it.
    """
    try:
        records = _read_csv(data)
    except _FileRefused as refused:
        return ImportReport(errors=[refused.error])
    return _import(records, skip_invalid, progress)


def import_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    first_line: int = HEADER_LINE + 1,
) -> ImportReport:
    """Upsert sites given as dicts keyed by CSV column; same rules and side effects.

    Row i is reported as line `first_line + i`. Columns absent from a dict keep
    the stored value, so a caller that only knows names and levels never
    erases a site's dial string or contacts.
    """
    records = [
        _Record(line, {key: _clean_cell(value) for key, value in row.items()})
        for line, row in enumerate(rows, start=first_line)
    ]
    column_errors = [
        error for record in records for error in _column_errors(list(record.cells), record.line)
    ]
    if column_errors:
        return ImportReport(errors=column_errors)
    return _import(records, skip_invalid, progress)


# --- reading ---------------------------------------------------------------------------------


@dataclass
class _Record:
    line: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)


class _FileRefused(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def _clean_cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_csv(data: bytes) -> list[_Record]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_records(reader)
    except csv.Error as exc:
        raise _FileRefused(
            RowError(
                reader.line_num or HEADER_LINE,
                "csv_malformed",
                _("The file is not valid CSV here: %(reason)s.") % {"reason": exc},
            )
        ) from exc


def _decode(data: bytes) -> str:
    body = data.removeprefix(UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise _FileRefused(
            RowError(
                line,
                "encoding",
                _("This line is not UTF-8 text. Save the file as “CSV UTF-8” and import it again."),
            )
        ) from exc


def _read_records(reader: "Reader") -> list[_Record]:
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise _FileRefused(
            RowError(
                HEADER_LINE,
                "empty",
                _("The file is empty. Its first line must name the columns: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
    columns = [cell.strip().lower() for cell in header]
    header_errors = _column_errors([column for column in columns if column], HEADER_LINE)
    if header_errors:
        raise _FileRefused(header_errors[0])
    records = []
    last_line = HEADER_LINE
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            records.append(_record(line, columns, cells))
    return records


def _record(line: int, columns: list[str], cells: list[str]) -> _Record:
    record = _Record(
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


def _column_errors(columns: list[str], line: int) -> list[RowError]:
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
class _Site:
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
class _Row:
    line: int
    code: str
    parent_code: str
    level: int | None
    cells: dict[str, str]
    errors: list[RowError]

    @property
    def valid(self) -> bool:
        return not self.errors

    def refuse(self, code: str, message: str) -> None:
        self.errors.append(RowError(self.line, code, message))


def _check_row(record: _Record) -> _Row:
    """The row with every error that needs no other row and no database."""
    cells, line = record.cells, record.line
    row = _Row(
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


def _site_for(row: _Row, stored: _Site | None) -> _Site:
    """The site as it will be: the row's cells over the stored values (or the defaults)."""
    assert row.level is not None
    site = replace(stored) if stored else _Site(code=row.code, name="", level=row.level)
    site.name = row.cells["name"]
    site.level = row.level
    site.parent_code = row.parent_code
    for column in TEXT_COLUMNS:
        if column in row.cells:
            setattr(site, column, row.cells[column])
    if "active" in row.cells:
        site.is_active = row.cells["active"].lower() not in FALSE_WORDS
    return site


# --- checking the tree -----------------------------------------------------------------------


class _TreeCheck:
    """The rules that join rows to each other and to the stored tree.

    A row whose own cells are bad still defines its code, so that a row under it
    is reported as "parent has errors" rather than "unknown parent".
    """

    def __init__(self, rows: list[_Row], stored: dict[str, _Site]) -> None:
        self.rows = rows
        self.stored = stored
        self.by_code: dict[str, _Row] = {}
        self.stored_children: dict[str, list[_Site]] = defaultdict(list)
        for site in stored.values():
            if site.parent_code:
                self.stored_children[site.parent_code].append(site)

    def run(self) -> None:
        self._refuse_duplicates()
        self._refuse_unknown_parents()
        self._refuse_cycles()
        while self._refuse_misplaced():
            pass

    def _refuse_duplicates(self) -> None:
        for row in self.rows:
            if not row.code:
                continue
            first = self.by_code.setdefault(row.code, row)
            if first is not row:
                row.refuse(
                    "code_duplicate",
                    _("The code “%(code)s” is already used on line %(line)d.")
                    % {"code": row.code, "line": first.line},
                )

    def _refuse_unknown_parents(self) -> None:
        for row in self.rows:
            parent = row.parent_code
            if parent and parent not in self.by_code and parent not in self.stored:
                row.refuse(
                    "parent_unknown",
                    _("Unknown parent “%(code)s”: it is neither in this file nor in the database.")
                    % {"code": parent},
                )

    def _parent_of(self, code: str) -> str:
        if code in self.by_code:
            return self.by_code[code].parent_code
        stored = self.stored.get(code)
        return stored.parent_code if stored else ""

    def _refuse_cycles(self) -> None:
        """Follow every row's chain of parents, as the file and the database give them."""
        walk_of: dict[str, int] = {}
        for walk, row in enumerate(self.by_code.values()):
            chain: list[str] = []
            code = row.code
            while code and code not in walk_of:
                walk_of[code] = walk
                chain.append(code)
                code = self._parent_of(code)
            if code and walk_of[code] == walk:
                self._refuse_loop(chain[chain.index(code) :])

    def _refuse_loop(self, loop: list[str]) -> None:
        reason = placement_error(0, None, is_own_descendant=True) or ""
        for start, code in enumerate(loop):
            if code in self.by_code:
                chain = [*loop[start:], *loop[: start + 1]]
                self.by_code[code].refuse(
                    "cycle",
                    f"{reason} " + _("Parent chain: %(chain)s.") % {"chain": " → ".join(chain)},
                )

    def _refuse_misplaced(self) -> bool:
        """One pass of the level rule; True when it refused a row (the others may follow)."""
        refused = False
        for row in self.rows:
            if row.valid:
                error = self._placement_error(row) or self._stored_children_error(row)
                if error:
                    row.errors.append(error)
                    refused = True
        return refused

    def _placement_error(self, row: _Row) -> RowError | None:
        if not row.parent_code:
            return None
        parent_row = self.by_code.get(row.parent_code)
        if parent_row is not None and not parent_row.valid:
            return RowError(
                row.line,
                "parent_invalid",
                _("Skipped: its parent “%(code)s” on line %(line)d has errors.")
                % {"code": row.parent_code, "line": parent_row.line},
            )
        parent_level = parent_row.level if parent_row else self.stored[row.parent_code].level
        assert row.level is not None and parent_level is not None
        reason = placement_error(row.level, parent_level, is_own_descendant=False)
        return RowError(row.line, "placement", reason) if reason else None

    def _stored_children_error(self, row: _Row) -> RowError | None:
        """A stored sub-site that the file does not place elsewhere must stay below the row."""
        assert row.level is not None
        for child in self.stored_children.get(row.code, ()):
            child_row = self.by_code.get(child.code)
            if child_row is not None and child_row.valid:
                continue
            if child.level <= row.level:
                return RowError(
                    row.line,
                    "placement",
                    _(
                        "Its level cannot become %(level)s: its sub-site %(child)s "
                        "is %(child_level)s."
                    )
                    % {
                        "level": Level(row.level).label,
                        "child": child.code,
                        "child_level": Level(child.level).label,
                    },
                )
        return None


# --- planning and writing --------------------------------------------------------------------


@dataclass
class _Plan:
    creates: list[_Site]
    updates: list[_Site]
    moves: list[Endpoint]
    unchanged: int
    sites: dict[str, _Site]


def _import(records: list[_Record], skip_invalid: bool, progress: Progress | None) -> ImportReport:
    report_progress = progress or (lambda done, total: None)
    total = len(records)
    report_progress(0, total)
    rows = [_check_row(record) for record in records]
    with transaction.atomic():
        _lock_sites()
        stored = _load_stored()
        _TreeCheck(rows, stored).run()
        errors = sorted((error for row in rows for error in row.errors), key=lambda e: e.line)
        valid_rows = [row for row in rows if row.valid]
        if errors and (not skip_invalid or not valid_rows):
            report_progress(total, total)
            return ImportReport(errors=errors)
        plan = _plan(valid_rows, stored)
        settled = total - len(plan.creates) - len(plan.updates)
        report_progress(settled, total)
        _write(plan, lambda written: report_progress(settled + written, total))
    return ImportReport(
        created=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        skipped=len(rows) - len(valid_rows),
        errors=errors,
        written=True,
        moved=len(plan.moves),
    )


def _lock_sites() -> None:
    """Keep other writers out until commit, so the tree checked is the tree written.

    SQLite needs nothing: its transactions start IMMEDIATE (settings), which
    already holds the database's write lock.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Endpoint._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def _load_stored() -> dict[str, _Site]:
    """Every stored site, in one query of the needed columns only."""
    values = list(
        Endpoint.objects.order_by().values_list("id", "code", "parent_id", "path", *DATA_FIELDS)
    )
    code_of = {site_id: code for site_id, code, *_rest in values}
    return {
        code: _Site(
            code=code,
            parent_code=code_of.get(parent_id, ""),
            id=site_id,
            path=path,
            **dict(zip(DATA_FIELDS, data, strict=True)),
        )
        for site_id, code, parent_id, path, *data in values
    }


def _plan(valid_rows: list[_Row], stored: dict[str, _Site]) -> _Plan:
    sites = dict(stored)
    imported = []
    for row in valid_rows:
        site = _site_for(row, stored.get(row.code))
        sites[row.code] = site
        imported.append(site)
    paths = _paths(sites)
    for site in imported:
        site.path = paths[site.code]
    creates = [site for site in imported if site.id is None]
    updates = [site for site in imported if site.id is not None and site != stored[site.code]]
    imported_codes = {site.code for site in imported}
    moves = [
        Endpoint(id=site.id, path=paths[code])
        for code, site in stored.items()
        if code not in imported_codes and paths[code] != site.path
    ]
    unchanged = len(imported) - len(creates) - len(updates)
    return _Plan(creates, updates, moves, unchanged, sites)


def _paths(sites: dict[str, _Site]) -> dict[str, str]:
    """Every site's final path, each computed once from its parent's."""
    paths: dict[str, str] = {}
    for code in sites:
        chain = []
        while code and code not in paths:
            chain.append(code)
            code = sites[code].parent_code
        prefix = paths[code] if code else ""
        for link in reversed(chain):
            prefix = paths[link] = path_for(link, prefix)
    return paths


def _write(plan: _Plan, written: Callable[[int], None]) -> None:
    """Insert new sites parents first, then update changed ones, then moved sub-sites."""
    done = 0
    for depth_sites in _by_depth(plan.creates):
        for batch in batched(depth_sites, BATCH_SIZE):
            _create(batch, plan.sites)
            done += len(batch)
            written(done)
    now = timezone.now()
    for changed in batched(plan.updates, BATCH_SIZE):
        Endpoint.objects.bulk_update(
            [_endpoint(site, plan.sites, updated_at=now) for site in changed], UPDATE_FIELDS
        )
        done += len(changed)
        written(done)
    for moved in batched(plan.moves, BATCH_SIZE):
        Endpoint.objects.bulk_update(moved, ["path"])


def _by_depth(sites: list[_Site]) -> list[list[_Site]]:
    """Sites grouped by depth, shallowest first, so every parent has its id before its children."""
    groups: dict[int, list[_Site]] = defaultdict(list)
    for site in sites:
        groups[site.path.count(PATH_SEPARATOR)].append(site)
    return [groups[depth] for depth in sorted(groups)]


def _create(batch: tuple[_Site, ...], sites: dict[str, _Site]) -> None:
    endpoints = [_endpoint(site, sites) for site in batch]
    Endpoint.objects.bulk_create(endpoints)
    if any(endpoint.pk is None for endpoint in endpoints):
        # Only for databases that do not return ids from a bulk insert.
        ids = dict(
            Endpoint.objects.filter(code__in=[site.code for site in batch]).values_list(
                "code", "id"
            )
        )
        for endpoint in endpoints:
            endpoint.pk = ids[endpoint.code]
    for site, endpoint in zip(batch, endpoints, strict=True):
        site.id = endpoint.pk


def _endpoint(site: _Site, sites: dict[str, _Site], **extra: object) -> Endpoint:
    parent = sites[site.parent_code] if site.parent_code else None
    return Endpoint(
        id=site.id,
        code=site.code,
        parent_id=parent.id if parent else None,
        path=site.path,
        **{name: getattr(site, name) for name in DATA_FIELDS},
        **extra,
    )
