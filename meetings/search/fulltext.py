"""The database's own full-text index over the search entries, and how a query asks it.

PostgreSQL: a stored generated column `search_vector`, the folded title with weight A
and the folded body with weight B under the 'simple' configuration (the text is folded
already: no stemming, no stop words), and a GIN index on it; ranked by ts_rank.
SQLite: an FTS5 table with external content (the entries' table) mirroring the two
folded columns, kept by triggers; ranked by bm25 with the title weighed ten times the
body. On both, every word must match, the last one as a prefix (the box is typed into),
and a match in the title (every word in it) ranks above any match in the body alone.

SQLite rebuilds a table for most schema changes, and the rebuild drops its triggers:
`ensure_index` runs after every migrate (meetings.search.apps) and puts back what is
missing, rebuilding the mirror, the way accounts.folded_search does for its tables.
"""

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Case, FloatField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

TABLE = "meetings_searchentry"
FTS = "meetings_searchentry_fts"
VECTOR = "search_vector"
GIN_INDEX = "meetings_searchentry_vector_gin"
# bm25's weights per FTS5 column (folded_title, folded_body).
SQLITE_WEIGHTS = "10.0, 1.0"


def ensure_index(connection: BaseDatabaseWrapper) -> None:
    """Create what serves the search where it is missing; idempotent, and nothing while
    the entries' table does not exist yet."""
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return
        if connection.vendor == "postgresql":
            _ensure_postgresql(cursor)
        elif connection.vendor == "sqlite":
            _ensure_sqlite(cursor)


def drop_index(connection: BaseDatabaseWrapper) -> None:
    """Undo ensure_index (a migration's reverse)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'DROP INDEX IF EXISTS "{GIN_INDEX}"')
            cursor.execute(f'ALTER TABLE "{TABLE}" DROP COLUMN IF EXISTS "{VECTOR}"')
        elif connection.vendor == "sqlite":
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{FTS}_{suffix}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{FTS}"')


def _ensure_postgresql(cursor) -> None:
    # 'simple'::regconfig spelt out: to_tsvector is immutable only with its configuration
    # named, which a generated column requires.
    cursor.execute(
        f'ALTER TABLE "{TABLE}" ADD COLUMN IF NOT EXISTS "{VECTOR}" tsvector GENERATED ALWAYS AS ('
        "setweight(to_tsvector('simple'::regconfig, coalesce(folded_title, '')), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, coalesce(folded_body, '')), 'B')"
        ") STORED"
    )
    cursor.execute(f'CREATE INDEX IF NOT EXISTS "{GIN_INDEX}" ON "{TABLE}" USING gin ("{VECTOR}")')


SQLITE_TRIGGERS = {
    f"{FTS}_insert": (
        f'AFTER INSERT ON "{TABLE}" BEGIN '
        f'INSERT INTO "{FTS}"(rowid, folded_title, folded_body) '
        "VALUES (new.id, new.folded_title, new.folded_body); END"
    ),
    f"{FTS}_delete": (
        f'AFTER DELETE ON "{TABLE}" BEGIN '
        f'INSERT INTO "{FTS}"("{FTS}", rowid, folded_title, folded_body) '
        "VALUES ('delete', old.id, old.folded_title, old.folded_body); END"
    ),
    f"{FTS}_update": (
        f'AFTER UPDATE OF folded_title, folded_body, id ON "{TABLE}" BEGIN '
        f'INSERT INTO "{FTS}"("{FTS}", rowid, folded_title, folded_body) '
        "VALUES ('delete', old.id, old.folded_title, old.folded_body); "
        f'INSERT INTO "{FTS}"(rowid, folded_title, folded_body) '
        "VALUES (new.id, new.folded_title, new.folded_body); END"
    ),
}


def _ensure_sqlite(cursor) -> None:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
    )
    present = {row[0] for row in cursor.fetchall()}
    if present >= SQLITE_TRIGGERS.keys():
        return
    cursor.execute(
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{FTS}" USING fts5('
        f"folded_title, folded_body, content='{TABLE}', content_rowid='id')"
    )
    for trigger, body in SQLITE_TRIGGERS.items():
        cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        cursor.execute(f'CREATE TRIGGER "{trigger}" {body}')
    # The triggers were missing: whatever changed meanwhile is read again from the table.
    cursor.execute(f'INSERT INTO "{FTS}"("{FTS}") VALUES (\'rebuild\')')


# --- asking ------------------------------------------------------------------------------------


def matching(entries: QuerySet, words: list[str]) -> QuerySet:
    """The entries holding every word (the last as a prefix), unordered: what a count
    needs, without the rank. `words` come from meetings.search.text.query_words: folded
    letters and digits only, never empty."""
    vendor = connections[entries.db].vendor
    if vendor == "postgresql":
        return entries.filter(
            RawSQL(
                f'"{TABLE}"."{VECTOR}" @@ to_tsquery(\'simple\'::regconfig, %s)',
                [_tsquery(words)],
                output_field=BooleanField(),
            )
        )
    if vendor == "sqlite":
        return entries.filter(
            pk__in=RawSQL(f'SELECT rowid FROM "{FTS}" WHERE "{FTS}" MATCH %s', [_fts_query(words)])
        )
    raise NotImplementedError(f"no full-text search on {vendor}")


def ranked(entries: QuerySet, words: list[str]) -> QuerySet:
    """`matching`, annotated `title_hit` (every word in the title) and `score` (higher is
    better), ordered best first."""
    vendor = connections[entries.db].vendor
    if vendor == "postgresql":
        return _postgresql(entries, words)
    if vendor == "sqlite":
        return _sqlite(entries, words)
    raise NotImplementedError(f"no full-text search on {vendor}")


def _tsquery(words: list[str], weight: str = "") -> str:
    # Words are letters and digits only (text.WORD), so quoting them is enough.
    terms = [f"'{word}'" + (":" + weight if weight else "") for word in words[:-1]]
    terms.append(f"'{words[-1]}':*{weight}")
    return " & ".join(terms)


def _postgresql(entries: QuerySet, words: list[str]) -> QuerySet:
    vector = f'"{TABLE}"."{VECTOR}"'
    query = _tsquery(words)
    return (
        entries.filter(
            RawSQL(
                f"{vector} @@ to_tsquery('simple'::regconfig, %s)",
                [query],
                output_field=BooleanField(),
            )
        )
        .annotate(
            title_hit=RawSQL(
                f"{vector} @@ to_tsquery('simple'::regconfig, %s)",
                [_tsquery(words, "A")],
                output_field=BooleanField(),
            ),
            score=RawSQL(
                f"ts_rank({vector}, to_tsquery('simple'::regconfig, %s))",
                [query],
                output_field=FloatField(),
            ),
        )
        .order_by("-title_hit", "-score", "-updated_at", "-pk")
    )


def _fts_query(words: list[str]) -> str:
    phrases = [f'"{word}"' for word in words[:-1]]
    phrases.append(f'"{words[-1]}"*')
    return " ".join(phrases)


def _sqlite(entries: QuerySet, words: list[str]) -> QuerySet:
    query = _fts_query(words)
    in_title = RawSQL(
        f'SELECT rowid FROM "{FTS}" WHERE "{FTS}" MATCH %s', [f"folded_title : ({query})"]
    )
    # extra(): the FTS5 table must be joined, not asked per row, for bm25 to be computed
    # once per match; no public expression joins a table the model does not know.
    return (
        entries.extra(
            tables=[FTS],
            where=[f'"{FTS}".rowid = "{TABLE}".id', f'"{FTS}" MATCH %s'],
            params=[query],
            select={"score": f'-bm25("{FTS}", {SQLITE_WEIGHTS})'},
        )
        .annotate(
            title_hit=Case(
                When(pk__in=in_title, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-title_hit", "-score", "-updated_at", "-pk")
    )
