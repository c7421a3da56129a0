"""No site in two overlapping sessions, enforced by PostgreSQL itself.

An ExclusionConstraint in Meta.constraints would be emitted on SQLite too and
break it, so this runs only on PostgreSQL; SQLite relies on the booking code's
check inside an IMMEDIATE (write-locked) transaction.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE conferencing_leg ADD CONSTRAINT leg_site_no_overlap
    EXCLUDE USING gist (
        endpoint_id WITH =,
        tstzrange(reserved_from, reserved_until, '[)') WITH &&
    ) WHERE (is_reserved);
"""
DROP = "ALTER TABLE conferencing_leg DROP CONSTRAINT IF EXISTS leg_site_no_overlap;"


def on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("conferencing", "0003_conferences_and_legs")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
