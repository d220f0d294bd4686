"""Writing generated rows: `wijkwerken.core.bulk.bulk_insert` (PostgreSQL COPY of plain dicts) in chunks, with
ids taken from the table's sequence when later rows point to these. Counts what was written, per table."""

import time
from collections import Counter
from contextlib import contextmanager

from django.db import connection

from wijkwerken.core.bulk import bulk_insert

CHUNK = 50_000


class Store:
    def __init__(self):
        self.rows = Counter()
        self.seconds = Counter()

    def insert(self, model, rows: list[dict], *, with_ids: bool = False) -> list[int]:
        """Insert `rows` (dicts of attnames; missing fields take their defaults) and return their ids in order
        when `with_ids`. Rows are written in chunks so no single COPY holds everything."""
        ids: list[int] = []
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            if with_ids:
                ids += bulk_insert(model, chunk, with_ids=True)
            else:
                bulk_insert(model, chunk)
        self.rows[model._meta.label] += len(rows)
        return ids

    @contextmanager
    def timed(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - started


def existing(sql: str, params=()) -> set:
    """The values of the first column of `sql`, as a set (natural keys already taken in the database)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
