"""Inserting thousands of rows at once (bank imports, audit entries of set-based jobs).

Django's `bulk_create` builds a model instance and prepares every value through its field for each row, which
costs more than the database work itself at this size. `bulk_insert` takes plain dicts and, on PostgreSQL,
streams them with COPY; ids are taken from the table's sequence first when the caller needs them. Other
databases (the embedded SQLite default) get `bulk_create`.
"""

import enum
import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone


def _plain(value):
    return value.value if isinstance(value, enum.Enum) else value


def _defaults(fields, now) -> list:
    """Per field, the value a row without it gets: now for `auto_now(_add)` fields, else the field default."""
    return [now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) else _plain(f.get_default())
            for f in fields]


def _allocate_ids(model, count: int) -> list[int]:
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, pk, count])
        return [row[0] for row in cursor.fetchall()]


def bulk_insert(model, rows: Iterable[dict], *, with_ids: bool = False) -> list[int] | int:
    """Insert `rows` ({attname: value}; missing fields take their default, `auto_now_add` fields now).

    Values must already be what the column stores (ids for foreign keys, `Decimal`, `date`, aware
    `datetime`); JSON fields take Python data. No model validation or signals run: callers are services
    that have checked their input. Returns the new ids in row order with `with_ids`, otherwise the count.
    """
    rows = list(rows)
    if not rows:
        return [] if with_ids else 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    defaults = _defaults(fields, timezone.now())
    if connection.vendor != "postgresql":
        objects = [model(**{name: row.get(name, default) for name, default in zip(names, defaults, strict=True)})
                   for row in rows]
        model.objects.bulk_create(objects, batch_size=1000)
        return [obj.pk for obj in objects] if with_ids else len(objects)

    pairs = list(zip(names, defaults, strict=True))
    json_fields = [(index, f.encoder or DjangoJSONEncoder) for index, f in enumerate(fields)
                   if isinstance(f, models.JSONField)]
    ids = _allocate_ids(model, len(rows)) if with_ids else None
    quote = connection.ops.quote_name
    columns = [f.column for f in fields] + ([model._meta.pk.column] if with_ids else [])
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for index, row in enumerate(rows):
            values = [row.get(name, default) for name, default in pairs]  # choices enums dump as their str
            for position, encoder in json_fields:
                values[position] = json.dumps(values[position], cls=encoder)
            if with_ids:
                values.append(ids[index])
            copy.write_row(values)
    return ids if with_ids else len(rows)


def plain_rows(queryset: models.QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the driver returns them, for reading thousands of aggregates at once.

    On PostgreSQL psycopg already returns ints, Decimals and dates, so Django's per-value converters (a few
    microseconds per row of a dozen aggregates) are skipped by running the compiled SQL directly. Other databases
    need those converters (SQLite returns sums of decimals as floats) and get the queryset's own rows."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
