"""The rows of the test database, copied out with PostgreSQL's COPY (the rows the migrations made, see conftest;
the demo, see tests/demo.py)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


def copy_out() -> dict[str, bytes]:
    """{table: its rows in COPY's text format} of every table that holds rows, the migrations' record aside."""
    with connection.cursor() as cursor:
        tables = [name for name in connection.introspection.table_names(cursor) if name != "django_migrations"]
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT FROM {connection.ops.quote_name(table)})")
            if cursor.fetchone()[0]:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                    rows[table] = b"".join(bytes(block) for block in copy)
    return rows


def copy_back(rows: dict[str, bytes]) -> None:
    """Every table of `rows` emptied and filled again with them, as they were copied out. The database's own
    triggers stay out of it (the totals they keep are among the rows) and their sequences continue after the rows."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in rows)} CASCADE")
            for table, data in rows.items():
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(data)
        finally:
            cursor.execute("SET session_replication_role = origin")
        models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in rows]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    ContentType.objects.clear_cache()
