"""Writing generated rows: `wijkwerken.core.bulk.bulk_insert` (PostgreSQL COPY of plain dicts) in chunks, with
ids taken from the table's sequence when later rows point to these. Counts what was written, per table."""

import time
from collections import Counter
from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, connection

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


@contextmanager
def bulk_load(tables: list[str], log=lambda message: None):
    """Load into `tables` the way pg_restore does: their secondary indexes and foreign keys are dropped for the
    load and made again at the end, from their own definitions, so PostgreSQL checks every foreign key once,
    set-based, instead of row by row (primary keys, unique and check constraints and triggers stay in force).

    Only for a database nobody else uses meanwhile; every statement commits on its own (no transaction may be
    open). When the load fails the indexes and keys are made again all the same, and a key the data breaks
    fails loudly."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid)
                          FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
                          ORDER BY 2, 1""", [tables])
        foreign_keys = cursor.fetchall()
        cursor.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                          WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
                            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                          ORDER BY 1""", [tables])
        indexes = cursor.fetchall()
        for name, table, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    log(f"  bulk load: {len(indexes)} indexes and {len(foreign_keys)} foreign keys set aside")
    try:
        yield
    finally:
        started = time.perf_counter()
        broken = []
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            built = time.perf_counter()
            for name, table, definition in foreign_keys:
                try:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                except DatabaseError as error:  # the key still guards new rows; the data must be repaired
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
                    broken.append(f"{name} ({str(error).splitlines()[0]})")
        log(f"  bulk load: indexes made again in {built - started:.0f} s, foreign keys checked in "
            f"{time.perf_counter() - built:.0f} s")
        if broken:
            raise IntegrityError("the loaded rows break these foreign keys, added again as NOT VALID until the "
                                 "data is repaired: " + "; ".join(broken))
