"""Django's SQLite backend with the test runs' flush (config/test_backends/__init__.py)."""

from django.db.backends.sqlite3 import base, operations

from config.test_backends import emptied_by_flush


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return super().sql_flush(style, emptied_by_flush(tables))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
