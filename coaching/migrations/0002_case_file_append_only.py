"""The case file only grows: the database refuses to delete a coaching note, an addendum or an earlier version,
and to change an addendum or an earlier version (a note itself is corrected within 24 hours by its author; that
rule is checked by the service, which keeps the earlier text as a revision)."""

from django.db import migrations

TABLES = {
    "coaching_coachingnote": ("DELETE",),
    "coaching_noteaddendum": ("UPDATE", "DELETE"),
    "coaching_noterevision": ("UPDATE", "DELETE"),
}

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION coaching_case_file_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The coaching case file is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def _postgres_up():
    yield POSTGRES_FUNCTION
    for table, events in TABLES.items():
        yield (
            f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(events)} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION coaching_case_file_append_only();"
        )


def _sqlite_up():
    for table, events in TABLES.items():
        for event in events:
            yield (
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'The coaching case file is append-only'); END;"
            )


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = _postgres_up() if vendor == "postgresql" else _sqlite_up() if vendor == "sqlite" else ()
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS coaching_case_file_append_only();")
    elif vendor == "sqlite":
        for table, events in TABLES.items():
            for event in events:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event.lower()};")


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
