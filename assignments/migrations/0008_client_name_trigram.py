"""A trigram index on the client name, for the bank queue's payer-name suggestions (`UPPER(name) LIKE '%…%'`).

PostgreSQL only (pg_trgm); the embedded SQLite database for `make run` has no such index and does not need one.
"""

from django.db import migrations

INDEX = "client_name_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The expression is the one Django writes for `name__icontains`, so the planner can use the index.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON assignments_client USING gin ((UPPER(name::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0007_client_anonymised_at"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
