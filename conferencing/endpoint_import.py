"""Import conference sites (điểm cầu) from CSV: everything is checked first, then written at once.

Each row is checked in memory against the whole file and against the stored
tree, which is read in one query; only then is anything written, in one
transaction, with inserts batched per tree depth and updates batched by
count. `Endpoint.save()` and `full_clean()` are not used: both cost queries
per row (path upkeep, uniqueness checks), so this module sets `path` itself.

Columns: code, name, level, parent_code (required) and organisation, address,
dial_string, contact_phone, contact_email, active (optional: an absent column
leaves that field of an existing site as it is). Rows are upserted by code.

This module runs an import and plans and writes it; reading and checking each row
is `endpoint_rows`, the rules between rows and the stored tree `endpoint_tree_check`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import batched

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conferencing.bulk_insert import bulk_create_with_ids
from conferencing.endpoint_rows import (
    HEADER_LINE,
    FileRefused,
    Record,
    Row,
    RowError,
    Site,
    check_row,
    clean_cell,
    column_errors,
    read_csv,
    site_for,
)
from conferencing.endpoint_tree_check import TreeCheck
from conferencing.jurisdiction import ImportScope
from conferencing.models import PATH_SEPARATOR, Endpoint, path_for, site_search_key

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
UPDATE_FIELDS = [*DATA_FIELDS, "parent", "path", "search_key", "updated_at"]
BATCH_SIZE = 500
OUTSIDE_CODE = "outside_jurisdiction"
# The scope of an import that may write anywhere (the superuser's, a command's).
ANYWHERE = ImportScope(unrestricted=True)

Progress = Callable[[int, int], None]


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
    data: bytes,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    scope: ImportScope = ANYWHERE,
) -> ImportReport:
    """Upsert the sites of a CSV file (UTF-8, with or without a byte-order mark).

    Side effects: with no bad row, or with `skip_invalid`, one transaction that
    creates and updates sites and rewrites the paths of sub-sites whose ancestor
    moved; otherwise nothing. A file that cannot be read as a whole (encoding,
    header, CSV syntax) is always refused. `progress(done, total)` is called with
    rows settled (found unchanged, refused or written) out of all rows: once
    before the transaction, then after the checks and after each written batch,
    inside the transaction, so a callback's own database writes commit with it.
    A row whose site lies, or would lie, outside `scope` (the importer's
    jurisdiction) is a row error naming it.
    """
    try:
        records = read_csv(data)
    except FileRefused as refused:
        return ImportReport(errors=[refused.error])
    return _import(records, skip_invalid, progress, scope)


def import_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    first_line: int = HEADER_LINE + 1,
    scope: ImportScope = ANYWHERE,
) -> ImportReport:
    """Upsert sites given as dicts keyed by CSV column; same rules and side effects.

    Row i is reported as line `first_line + i`. Columns absent from a dict keep
    the stored value, so a caller that only knows names and levels never
    erases a site's dial string or contacts.
    """
    records = [
        Record(line, {key: clean_cell(value) for key, value in row.items()})
        for line, row in enumerate(rows, start=first_line)
    ]
    header_errors = [
        error for record in records for error in column_errors(list(record.cells), record.line)
    ]
    if header_errors:
        return ImportReport(errors=header_errors)
    return _import(records, skip_invalid, progress, scope)


# --- planning and writing --------------------------------------------------------------------


@dataclass
class _Plan:
    creates: list[Site]
    updates: list[Site]
    moves: list[Endpoint]
    unchanged: int
    sites: dict[str, Site]


def _import(
    records: list[Record], skip_invalid: bool, progress: Progress | None, scope: ImportScope
) -> ImportReport:
    report_progress = progress or (lambda done, total: None)
    total = len(records)
    report_progress(0, total)
    rows = [check_row(record) for record in records]
    with transaction.atomic():
        _lock_sites()
        stored = _load_stored()
        TreeCheck(rows, stored).run()
        valid_rows = [row for row in rows if row.valid]
        plan = _plan_within(scope, valid_rows, stored)
        valid_rows = [row for row in rows if row.valid]
        errors = sorted((error for row in rows for error in row.errors), key=lambda e: e.line)
        if errors and (not skip_invalid or not valid_rows):
            report_progress(total, total)
            return ImportReport(errors=errors)
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


def _plan_within(scope: ImportScope, valid_rows: list[Row], stored: dict[str, Site]) -> _Plan:
    """The plan of the valid rows whose site stays inside the scope, as stored and as it
    will be; the others get a row error naming the jurisdiction. Planned again without
    them until none is left, since a refused row's sub-sites follow its stored place."""
    while True:
        plan = _plan(valid_rows, stored)
        if scope.unrestricted:
            return plan
        outside = [
            row
            for row in valid_rows
            if not scope.admits(plan.sites[row.code].path)
            or (row.code in stored and not scope.admits(stored[row.code].path))
        ]
        if not outside:
            return plan
        for row in outside:
            row.refuse(OUTSIDE_CODE, scope.refusal(row.code))
        valid_rows = [row for row in valid_rows if row.valid]


def _lock_sites() -> None:
    """Keep other writers out until commit, so the tree checked is the tree written.

    SQLite needs nothing: its transactions start IMMEDIATE (settings), which
    already holds the database's write lock.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Endpoint._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def _load_stored() -> dict[str, Site]:
    """Every stored site, in one query of the needed columns only."""
    values = list(
        Endpoint.objects.order_by().values_list("id", "code", "parent_id", "path", *DATA_FIELDS)
    )
    code_of = {site_id: code for site_id, code, *_rest in values}
    return {
        code: Site(
            code=code,
            parent_code=code_of.get(parent_id, ""),
            id=site_id,
            path=path,
            **dict(zip(DATA_FIELDS, data, strict=True)),
        )
        for site_id, code, parent_id, path, *data in values
    }


def _plan(valid_rows: list[Row], stored: dict[str, Site]) -> _Plan:
    sites = dict(stored)
    imported = []
    for row in valid_rows:
        site = site_for(row, stored.get(row.code))
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


def _paths(sites: dict[str, Site]) -> dict[str, str]:
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


def _by_depth(sites: list[Site]) -> list[list[Site]]:
    """Sites grouped by depth, shallowest first, so every parent has its id before its children."""
    groups: dict[int, list[Site]] = defaultdict(list)
    for site in sites:
        groups[site.path.count(PATH_SEPARATOR)].append(site)
    return [groups[depth] for depth in sorted(groups)]


def _create(batch: tuple[Site, ...], sites: dict[str, Site]) -> None:
    endpoints = [_endpoint(site, sites) for site in batch]
    bulk_create_with_ids(Endpoint, endpoints, "code")
    for site, endpoint in zip(batch, endpoints, strict=True):
        site.id = endpoint.pk


def _endpoint(site: Site, sites: dict[str, Site], **extra: object) -> Endpoint:
    parent = sites[site.parent_code] if site.parent_code else None
    return Endpoint(
        id=site.id,
        code=site.code,
        parent_id=parent.id if parent else None,
        path=site.path,
        search_key=site_search_key(site.name, site.code, site.organisation),
        **{name: getattr(site, name) for name in DATA_FIELDS},
        **extra,
    )
