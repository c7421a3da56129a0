"""Django's PostgreSQL backend with the test runs' flush (config/test_backends/__init__.py).

Besides keeping the post_migrate tables, it empties the others with DELETE instead of
Django's single TRUNCATE of every table: TRUNCATE makes a new file for each table, index
and TOAST table, about half a second a flush on CI's machine for the few rows a test
leaves, where DELETE takes milliseconds. The result is the same: empty tables, sequences
left alone (as TRUNCATE without RESTART IDENTITY leaves them). Foreign keys made by Django's
migrations are DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not matter:
they are checked at the flush's commit, when the tables are empty.
"""

from django.db.backends.postgresql import base, operations

from config.test_backends import emptied_by_flush


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            # What DELETE would not do (RESTART IDENTITY, CASCADE): Django's TRUNCATE.
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        emptied = emptied_by_flush(tables)
        if not emptied:
            return []
        return [
            f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')};",
            *(
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
                for table in emptied
            ),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
