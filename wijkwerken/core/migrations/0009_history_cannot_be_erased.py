"""The database refuses DELETE and TRUNCATE on kept history (wijkwerken/core/history.py): the function the
triggers call, and the audit log as the first table. Other apps add their tables with one `KeepHistory` line."""

from django.db import migrations

from wijkwerken.core.history import DROP_REFUSE_FUNCTION_SQL, REFUSE_FUNCTION_SQL, KeepHistory


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_FUNCTION_SQL, params=None)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_REFUSE_FUNCTION_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_ruleset_bank_statement_warning_days")]

    operations = [
        migrations.RunPython(create_function, drop_function),
        KeepHistory("core_auditentry"),
    ]
