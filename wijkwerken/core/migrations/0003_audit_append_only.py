"""The database itself refuses to change or delete an audit entry, whatever code tries."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END;",
    "CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_flemish_municipalities")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
