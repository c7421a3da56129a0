"""People search served by an index (accounts.folded_search): pg_trgm on PostgreSQL,
an FTS5 trigram mirror on SQLite."""

from django.db import migrations

from accounts.folded_search import drop_indexes, ensure_indexes


def index_people(apps, schema_editor):
    ensure_indexes(schema_editor.connection, only="accounts_person")


def unindex_people(apps, schema_editor):
    drop_indexes(schema_editor.connection, only="accounts_person")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_service_accounts")]

    operations = [migrations.RunPython(index_people, unindex_people, elidable=False)]
