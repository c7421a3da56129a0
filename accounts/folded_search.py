"""Substring search over a folded column, served by an index on both databases.

A searchable table keeps `fold(...)` of its searchable text in a column
(`search_key`). On PostgreSQL a `pg_trgm` GIN index on that column serves
`LIKE '%word%'`; on SQLite an FTS5 table with the trigram tokenizer mirrors the
column (kept by triggers) and answers `MATCH` for words of three letters or more.
Shorter words fall back to a plain `LIKE` on the column, which the database scans
itself: nothing is read into Python per keystroke.

SQLite rebuilds a table for most schema changes, and the rebuild drops the
table's triggers: `ensure_indexes` runs after every migrate and puts back what is
missing (rebuilding the mirror from the column), so a later migration cannot
silently switch search off.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.folding import fold

SEARCH_COLUMN = "search_key"
# FTS5's trigram tokenizer indexes runs of three characters: shorter words cannot use it.
TRIGRAM = 3
MAX_WORDS = 8
# What a search box takes: longer text is cut before it is folded or echoed back.
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchedTable:
    table: str
    pk_column: str = "id"

    @property
    def mirror(self) -> str:
        return f"{self.table}_search"

    @property
    def trigram_index(self) -> str:
        return f"{self.table}_search_trgm"


SEARCHED_TABLES = (
    SearchedTable("conferencing_endpoint"),
    SearchedTable("meetings_meeting"),
    SearchedTable("accounts_person", pk_column="user_id"),
)


class SearchKeyedQuerySet(QuerySet):
    """The QuerySet of a model whose `search_key` its `folded_search_key()` computes (as its
    save() does): rows created in bulk, which save() never sees (an import, a seed), get
    their key too, so they are found from the start. `bulk_update` is left alone: its
    callers name the fields they write and must name `search_key` with the text it folds."""

    def bulk_create(self, objs, *args, **kwargs) -> list[Model]:
        objs = list(objs)
        for obj in objs:
            obj.search_key = obj.folded_search_key()
        return super().bulk_create(objs, *args, **kwargs)


def words_of(query: str) -> list[str]:
    """The folded words of what someone typed, at most MAX_WORDS of them."""
    return fold(query[:MAX_QUERY_LENGTH]).split()[:MAX_WORDS]


def matching(queryset: QuerySet, query: str, path: str = "") -> QuerySet:
    """Rows of `queryset` whose folded text contains every word of `query`, in any order.

    `path` reaches the searched model from the queryset's ("person__" for users).
    An empty query filters nothing."""
    words = words_of(query)
    if not words:
        return queryset
    model = queryset.model
    searched = model
    for step in filter(None, path.split("__")):
        searched = searched._meta.get_field(step).related_model
    table = _table_of(searched._meta.db_table)
    vendor = connections[queryset.db].vendor
    condition = Q()
    for word in words:
        if vendor == "sqlite" and len(word) >= TRIGRAM:
            mirror_ids = RawSQL(
                f'SELECT rowid FROM "{table.mirror}" WHERE "{table.mirror}" MATCH %s',
                [_phrase(word)],
            )
            condition &= Q(**{f"{path}pk__in": mirror_ids})
        else:
            condition &= Q(**{f"{path}{SEARCH_COLUMN}__contains": word})
    return queryset.filter(condition)


def _phrase(word: str) -> str:
    # An FTS5 string: double quotes doubled, so no word is read as query syntax.
    return '"' + word.replace('"', '""') + '"'


def _table_of(name: str) -> SearchedTable:
    for table in SEARCHED_TABLES:
        if table.table == name:
            return table
    raise LookupError(f"{name} has no search index (accounts.folded_search.SEARCHED_TABLES)")


def ensure_indexes(connection: BaseDatabaseWrapper, only: str = "") -> None:
    """Create what serves the search where it is missing (for the table `only`, or every
    searched table that has its column yet); idempotent."""
    with connection.cursor() as cursor:
        ready = [
            table
            for table in SEARCHED_TABLES
            if (not only or table.table == only) and _has_column(connection, cursor, table)
        ]
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for table in ready:
                cursor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{table.trigram_index}" ON "{table.table}" '
                    f'USING gin ("{SEARCH_COLUMN}" gin_trgm_ops)'
                )
        elif connection.vendor == "sqlite":
            for table in ready:
                _ensure_sqlite_mirror(cursor, table)


def _has_column(connection: BaseDatabaseWrapper, cursor, table: SearchedTable) -> bool:
    if table.table not in connection.introspection.table_names(cursor):
        return False
    columns = connection.introspection.get_table_description(cursor, table.table)
    return any(column.name == SEARCH_COLUMN for column in columns)


def _ensure_sqlite_mirror(cursor, table: SearchedTable) -> None:
    name, mirror, pk, column = table.table, table.mirror, table.pk_column, SEARCH_COLUMN
    triggers = {
        f"{mirror}_insert": (
            f'AFTER INSERT ON "{name}" BEGIN '
            f'INSERT INTO "{mirror}"(rowid, {column}) VALUES (new."{pk}", new.{column}); END'
        ),
        f"{mirror}_delete": (
            f'AFTER DELETE ON "{name}" BEGIN '
            f'INSERT INTO "{mirror}"("{mirror}", rowid, {column}) '
            f"VALUES ('delete', old.\"{pk}\", old.{column}); END"
        ),
        f"{mirror}_update": (
            f'AFTER UPDATE OF {column}, "{pk}" ON "{name}" BEGIN '
            f'INSERT INTO "{mirror}"("{mirror}", rowid, {column}) '
            f"VALUES ('delete', old.\"{pk}\", old.{column}); "
            f'INSERT INTO "{mirror}"(rowid, {column}) VALUES (new."{pk}", new.{column}); END'
        ),
    }
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [name]
    )
    present = {row[0] for row in cursor.fetchall()}
    if present >= triggers.keys():
        return
    cursor.execute(
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{mirror}" USING fts5('
        f"{column}, content='{name}', content_rowid='{pk}', tokenize='trigram')"
    )
    for trigger, body in triggers.items():
        cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        cursor.execute(f'CREATE TRIGGER "{trigger}" {body}')
    # The triggers were missing: whatever changed meanwhile is read again from the column.
    cursor.execute(f'INSERT INTO "{mirror}"("{mirror}") VALUES (\'rebuild\')')


def drop_indexes(connection: BaseDatabaseWrapper, only: str) -> None:
    """Undo ensure_indexes for the table `only` (a migration's reverse)."""
    with connection.cursor() as cursor:
        for table in [table for table in SEARCHED_TABLES if table.table == only]:
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP INDEX IF EXISTS "{table.trigram_index}"')
            elif connection.vendor == "sqlite":
                for suffix in ("insert", "delete", "update"):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{table.mirror}_{suffix}"')
                cursor.execute(f'DROP TABLE IF EXISTS "{table.mirror}"')
