"""Triggers on SQLite (the embedded default) across a table rebuild.

SQLite adds a column or an index on a condition by rebuilding the table: a new table, the rows copied, the old one
dropped and the new one renamed. Dropping the old table drops its own triggers, silently, and the rename fails when
a trigger of another table names it ("error in trigger ...: no such table"). A migration that changes a table that
triggers name puts them aside before and makes them again after:

    before, after = triggers_aside("assignments_prestatie")
    operations = [before, migrations.AddField(...), after]

Elsewhere (PostgreSQL alters a table in place) both steps do nothing.

`database_triggers` is the operation of a migration that makes triggers in both databases (a PostgreSQL script,
SQLite statements) and fills what they keep from the rows made before them.
"""

import re

from django.db import migrations


def triggers_aside(*tables: str) -> tuple[migrations.RunPython, migrations.RunPython]:
    saved: list[tuple[str, str]] = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(table) for table in tables) + r")\b")

    def put_aside(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            rows = cursor.fetchall()
        for name, sql in rows:
            if pattern.search(sql):
                saved.append((name, sql))
                schema_editor.execute(f"DROP TRIGGER {schema_editor.quote_name(name)}", params=None)

    def make_again(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        while saved:
            _name, sql = saved.pop(0)
            schema_editor.execute(sql, params=None)

    # Backwards the steps swap roles: the last one puts the triggers aside, the first makes them again.
    return (migrations.RunPython(put_aside, make_again, elidable=False),
            migrations.RunPython(make_again, put_aside, elidable=False))


def database_triggers(*, postgresql: str, postgresql_drop: str, sqlite: list[str], sqlite_drop: list[str],
                      fill: dict[str, str], unfill: str = "") -> migrations.RunPython:
    """Make the triggers of the database in use (the `postgresql` script or the `sqlite` statements), then run
    `fill[vendor]` for the rows made before them; undone by the drop statements and `unfill`. Other databases get
    neither."""
    made = {"postgresql": [postgresql], "sqlite": sqlite}
    dropped = {"postgresql": [postgresql_drop], "sqlite": sqlite_drop}

    def run(statements, schema_editor):
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def make(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor in made:
            run([*made[vendor], *([fill[vendor]] if fill.get(vendor) else [])], schema_editor)

    def drop(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor in dropped:
            run([*dropped[vendor], *([unfill] if unfill else [])], schema_editor)

    return migrations.RunPython(make, drop)
