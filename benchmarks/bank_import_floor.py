"""The database's share of a bank import, with no Python at all: the rows `bank_import.py`'s statement makes
(10,000 lines; 5,500 payments, audit entries and orders turned paid) written by SQL that generates them, plus the
foreign-key checks a commit runs. It is the floor under the import's time on this machine, to set against the
parse time `bank_import.py` prints.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench .venv/bin/python benchmarks/bank_import_floor.py

Everything is rolled back.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bank_import as bench  # noqa: E402 - sets Django up
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from cheques.models import BankImport, ChequeOrder  # noqa: E402

LINES, PAID = 10_000, 5_500

STEPS = {
    "lines": """
        INSERT INTO cheques_bankline (organiser_id, bank_import_id, checksum, booking_date, amount, payer_name,
            payer_iban, payer_bic, communication, bank_reference, source_line, status, client_id, note,
            handled_by_id, handled_at, created_at)
        SELECT %(organiser)s, %(import)s, md5(n::text) || md5((n + 1)::text), current_date, 59.50,
            'Vzw Bench ' || n, 'BE71096123456769', 'GKCCBEBB', '+++900/0000/10119+++', 'B' || n, n,
            CASE WHEN n <= %(paid)s THEN 'gekoppeld' ELSE 'niet_gekoppeld' END, NULL, '', NULL, NULL, now()
        FROM generate_series(1, %(lines)s) n""",
    "payments": """
        INSERT INTO cheques_payment (organiser_id, order_id, amount, method, received_on, bank_line_id,
            online_payment_id, created_by_id, created_at)
        SELECT %(organiser)s, o.id, 59.50, 'overschrijving', current_date, l.id, NULL, NULL, now()
        FROM (SELECT id, row_number() OVER (ORDER BY id) r FROM cheques_chequeorder WHERE id = ANY(%(orders)s)) o
        JOIN (SELECT id, row_number() OVER (ORDER BY id) r FROM cheques_bankline
              WHERE bank_import_id = %(import)s) l ON l.r = o.r""",
    "audit": """
        INSERT INTO core_auditentry (organiser_id, actor_id, on_behalf_of_id, action, summary, content_type_id,
            object_id, object_repr, changes, created_at)
        SELECT %(organiser)s, NULL, NULL, 'cheque_order.payment', 'Betaling van € 59,50 ontvangen',
            %(content_type)s, id::text, 'Bestelling ' || id, '{"amount": "59.50", "status": "betaald"}'::jsonb, now()
        FROM cheques_chequeorder WHERE id = ANY(%(orders)s)""",
    "orders": """
        UPDATE cheques_chequeorder SET amount_paid = total, status = 'betaald', paid_on = current_date, pdf = ''
        WHERE id = ANY(%(orders)s)""",
    "foreign keys": "SET CONSTRAINTS ALL IMMEDIATE",
}


def main():
    try:
        with transaction.atomic():
            organiser, _clients, orders = bench.setup(LINES)
            bank_import = BankImport.objects.create(organiser=organiser, original_name="floor", file_format="coda")
            params = {"organiser": organiser.pk, "import": bank_import.pk, "paid": PAID, "lines": LINES,
                      "orders": [order.pk for order in orders[:PAID]],
                      "content_type": ContentType.objects.get_for_model(ChequeOrder).pk}
            timings = {}
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the set-up's own checks, outside the timing
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for name, sql in STEPS.items():
                    start = time.perf_counter()
                    cursor.execute(sql, params)
                    timings[name] = time.perf_counter() - start
            print("  ".join(f"{name} {seconds:.3f}" for name, seconds in timings.items())
                  + f"  = {sum(timings.values()):.2f} s of database work")
            raise bench.Rollback
    except bench.Rollback:
        pass


if __name__ == "__main__":
    main()
