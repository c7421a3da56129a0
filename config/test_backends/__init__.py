"""Django's database backends with a cheaper flush, for test runs (config/test_settings.py).

Every transactional test (`django_db(transaction=True)`: the browser and Daphne tests, the
consumers', the migration tests; 328 of them) ends with Django's `flush` command: it
empties every table, then sends post_migrate, whose receivers write every content type and
every model permission again (a few hundred INSERTs, about 0.3 s a test). Those two tables
hold only what post_migrate writes from the models (no test adds a row to them), so the
flush leaves them as they are: post_migrate then finds every row present and writes
nothing, and the next test starts from the same state as before (only the rows' ids no
longer change). Every other table is emptied as before.

Under config/ beside the test settings, not under tests/: the settings name these modules,
and whatever loads the settings (the Daphne children, the subprocesses of the settings and
translation tests, which copy config/ alone) must find them.
"""

# Rows written by post_migrate (django.contrib.contenttypes, django.contrib.auth) from the
# models alone, the same after every flush.
KEPT_BY_FLUSH = frozenset({"django_content_type", "auth_permission"})


def emptied_by_flush(tables) -> list[str]:
    return [table for table in tables if table not in KEPT_BY_FLUSH]
