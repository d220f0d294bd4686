"""Benchmark: the monthly payout run of a large organiser (flow 7, issue 13): 2,000 wijk-werkers with 40,000
prestaties settled in one month — the preview and the confirmation — against the bare SQL that sums the same
rows. Targets: each at most 3 × the bare SQL, and a number of queries that does not grow with the workers (the
run is measured at two sizes, the full one and a quarter of it).

    createdb -h 127.0.0.1 -U postgres ww_bench_payouts
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench_payouts .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench_payouts .venv/bin/python benchmarks/payouts.py \
        [--workers 2000] [--per-worker 20] [--repeat 5] [--profile]

Needs a migrated PostgreSQL database; everything it creates is rolled back at the end (the SEPA files go to a
temporary folder). The data: one organiser with a rule change in the middle of last month (the allowance per
cheque goes from € 4,10 to € 4,20 on the 15th, so the amounts take the rule set of each prestatie's date), and per
worker `per-worker` confirmed prestaties of last month of one to three hours, paid by cheques, a third of them with
a round trip of 8, 14 or 23 km (the first below the 10 km minimum); one worker in fifty has no IBAN (an
exception the preview lists). The prestaties share one assignment (the payout reads only the prestatie's worker).

Timed back to back in one process, `--repeat` times after one untimed round that warms the caches, medians:
the bare SQL (one grouped SELECT of what each worker is owed), the preview (`payout_preview`), the confirmation
(`payout_batch_confirm`: the batch, its lines and items, the audit entries and the SEPA file validated against
the XSD, and the deferred foreign-key checks its commit runs) and, as the floor of any confirmation, the bare SQL
that writes the same batch, lines and items (with the same commit checks). Each confirmation and each floor runs
in a savepoint rolled back afterwards, so the next one pays the same rows.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from assignments.models import Assignment, Client, HelpRequest, Prestatie, PrestatieStatus  # noqa: E402
from assignments.services.activities import activity_list_seed  # noqa: E402
from assignments.services.clients import structured_communication_for  # noqa: E402
from benchmarks.dataset.identities import iban, kbo_number, national_number  # noqa: E402
from cheques.models import PayoutItemKind, Settlement, SettlementStatus  # noqa: E402
from cheques.services.payouts import payout_batch_confirm, payout_preview  # noqa: E402
from wijkwerken.core.bulk import bulk_insert  # noqa: E402
from wijkwerken.core.dates import add_months, today  # noqa: E402
from wijkwerken.core.models import Municipality, Organiser, RuleSet  # noqa: E402
from workers.models import Worker  # noqa: E402

MINUTES = (60, 90, 120, 150, 180)
KILOMETRES = (Decimal("0"), Decimal("0"), Decimal("0"), Decimal("8"), Decimal("14.5"), Decimal("23"))
CLIENTS = 200


class Rollback(Exception):
    pass


def _free_kbo() -> str:
    taken = set(Organiser.objects.values_list("kbo_number", flat=True))
    return next(kbo_number(n) for n in range(7_300_000, 7_400_000) if kbo_number(n) not in taken)


def setup(*, workers: int, per_worker: int, seed: int = 13) -> tuple[Organiser, datetime.date, int]:
    """The organiser, last month and the number of prestaties to pay (inside the caller's transaction)."""
    rng = random.Random(seed)
    month = add_months(today().replace(day=1), -1)
    organiser_iban, organiser_bic = iban(rng)
    organiser = Organiser.objects.create(
        name=f"Payout benchmark {workers}", street="Grote Markt 1", postcode="3000", city="Leuven",
        kbo_number=_free_kbo(), iban=organiser_iban, bic=organiser_bic, email="payouts@example.test")
    RuleSet.objects.create(organiser=organiser, valid_from=datetime.date(2018, 1, 1))
    RuleSet.objects.create(organiser=organiser, valid_from=month + datetime.timedelta(days=14),
                           worker_allowance_per_cheque=Decimal("4.20"))
    if not Municipality.objects.exists():  # a test database emptied by an earlier test
        from wijkwerken.core.models import PostalCode
        from wijkwerken.core.municipalities import sync_flemish_municipalities

        sync_flemish_municipalities(Municipality, PostalCode)
    municipality = Municipality.objects.filter(organiser__isnull=True).order_by("nis_code").first()
    if municipality is None:  # every municipality taken (a generated Flanders): borrow one, rolled back anyway
        municipality = Municipality.objects.order_by("nis_code").first()
    Municipality.objects.filter(pk=municipality.pk).update(organiser=organiser)
    activity_list_seed(organiser=organiser)
    activity = organiser.activities.filter(category="vzw").first() or organiser.activities.first()
    first = (Client.objects.order_by("-number").values_list("number", flat=True).first() or 100000) + 1000
    client_ids = bulk_insert(Client, ({
        "organiser_id": organiser.pk, "number": first + i, "structured_communication":
            structured_communication_for(first + i), "category": "vzw", "name": f"Vzw Uitbetaling {i}",
        "kbo_number": kbo_number(7_500_000 + i), "street": "Straat 1", "postcode": "3000", "city": "Leuven",
        "municipality_id": municipality.pk, "status": "actief", "agreement_signed_on": today(),
        "activated_on": month} for i in range(CLIENTS)), with_ids=True)
    worker_ids = bulk_insert(Worker, ({
        "organiser_id": organiser.pk, "municipality_id": municipality.pk, "first_name": f"Werker{i}",
        "last_name": "Uitbetaling", "national_number": national_number(
            datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 400), 1 + 2 * (i % 400)),
        "street": "Straat 1", "postcode": "3000", "city": "Leuven", "referral": "vdab", "referrer_name": "VDAB",
        "referral_date": month, "consent_signed_on": month,
        "iban": "" if i % 50 == 7 else iban(rng)[0]} for i in range(workers)), with_ids=True)
    start = month - datetime.timedelta(days=30)
    request = HelpRequest.objects.create(
        organiser=organiser, client_id=client_ids[0], activity=activity, municipality=municipality,
        description="Benchmark", street="Straat 1", postcode="3000", city="Leuven", schedule="recurring",
        start_date=start, end_date=today(), weekdays=[0, 1, 2, 3, 4], hours_per_week=5, status="toegewezen")
    assignment = Assignment.objects.create(
        organiser=organiser, request=request, worker_id=worker_ids[0], client_id=client_ids[0], activity=activity,
        municipality=municipality, schedule="weekly", weekdays=[0, 1, 2, 3, 4], start_date=start, end_date=today())
    days = (add_months(month, 1) - month).days
    rows = []
    for w, worker_id in enumerate(worker_ids):
        for k in range(per_worker):
            minutes = MINUTES[(w + k) % len(MINUTES)]
            begin = datetime.time(8 + (k // days) * 5, 0)
            end = (datetime.datetime.combine(month, begin) + datetime.timedelta(minutes=minutes)).time()
            rows.append({
                "organiser_id": organiser.pk, "assignment_id": assignment.pk, "worker_id": worker_id,
                "client_id": client_ids[(w + k) % CLIENTS], "date": month + datetime.timedelta(days=k % days),
                "start_time": begin, "end_time": end, "minutes": minutes, "cheques": -(-minutes // 60),
                "kilometres": KILOMETRES[(w * 7 + k) % len(KILOMETRES)], "status": PrestatieStatus.CONFIRMED})
    prestatie_ids = bulk_insert(Prestatie, rows, with_ids=True)
    paid_at = timezone.now()
    bulk_insert(Settlement, ({
        "organiser_id": organiser.pk, "client_id": row["client_id"], "prestatie_id": pk,
        "status": SettlementStatus.PAID, "cheques": row["cheques"], "paid_at": paid_at}
        for row, pk in zip(rows, prestatie_ids, strict=True)))
    with connection.cursor() as cursor:
        # The foreign-key checks of the rows made here run now, not in the first measured commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in (Prestatie, Settlement, Worker):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return organiser, month, len(rows)


def _amounts(organiser) -> tuple[str, list, str, list]:
    """SQL for the allowance and the travel allowance of a prestatie `p` joined with its settlement `s`, from the
    rule set valid on the prestatie's date: (allowance SQL, its params, travel SQL, its params)."""
    versions = list(RuleSet.objects.filter(organiser=organiser).order_by("valid_from").values_list(
        "valid_from", "worker_allowance_per_cheque", "travel_allowance_per_km", "travel_allowance_min_km"))
    allowance, travel, allowance_params, travel_params = ["CASE"], ["CASE"], [], []
    for index, (_valid_from, per_cheque, per_km, min_km) in enumerate(versions):
        until = versions[index + 1][0] if index + 1 < len(versions) else None
        if until is None:
            allowance.append("ELSE %s END")
            allowance_params.append(per_cheque)
            travel.append("WHEN p.kilometres > %s THEN ROUND(p.kilometres * %s, 2) ELSE 0 END")
            travel_params += [min_km, per_km]
        else:
            allowance.append("WHEN p.date < %s THEN %s")
            allowance_params += [until, per_cheque]
            travel.append("WHEN p.date < %s THEN CASE WHEN p.kilometres > %s THEN ROUND(p.kilometres * %s, 2) "
                          "ELSE 0 END")
            travel_params += [until, min_km, per_km]
    return f"s.cheques * ({' '.join(allowance)})", allowance_params, " ".join(travel), travel_params


def _due_rows(organiser, month) -> tuple[str, list]:
    """FROM and WHERE of the rows a run pays: confirmed prestaties of the month and before, settled, not paid."""
    cutoff = add_months(month, 1) - datetime.timedelta(days=1)
    return (f"FROM {Prestatie._meta.db_table} p JOIN {Settlement._meta.db_table} s ON s.prestatie_id = p.id "
            "WHERE p.organiser_id = %s AND p.status = %s AND p.date <= %s AND s.status = %s "
            "AND NOT EXISTS (SELECT 1 FROM cheques_payoutitem i WHERE i.prestatie_id = p.id AND i.kind = %s)",
            [organiser.pk, PrestatieStatus.CONFIRMED.value, cutoff, SettlementStatus.PAID.value,
             PayoutItemKind.PAYMENT.value])


def bare_sql(organiser, month: datetime.date) -> list[tuple]:
    """What each worker is owed, summed in one grouped SELECT written by hand: the same rows as the run, the
    allowance per cheque and the travel allowance of the rule set valid on each prestatie's date."""
    allowance, allowance_params, travel, travel_params = _amounts(organiser)
    rows, rows_params = _due_rows(organiser, month)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.worker_id, COUNT(*), SUM(s.cheques), SUM(p.kilometres), SUM({allowance}), "
                       f"SUM({travel}) {rows} GROUP BY p.worker_id",
                       [*allowance_params, *travel_params, *rows_params])
        return cursor.fetchall()


def bare_write(organiser, month: datetime.date) -> int:
    """The rows a confirmation writes, written by hand (the floor of any confirmation): a batch row, one line per
    worker with an IBAN (one INSERT ... SELECT ... GROUP BY) and one item per prestatie (one INSERT ... SELECT),
    with the foreign-key checks a commit runs. No SEPA file, fingerprint, audit or checks. Returns the items."""
    allowance, allowance_params, travel, travel_params = _amounts(organiser)
    rows, rows_params = _due_rows(organiser, month)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO cheques_payoutbatch (organiser_id, number, month, message_id, preview_fingerprint,"
                       " execution_date, count, allowance, travel, corrections, total, prestaties, travel_count,"
                       " correction_count, file, status, created_at) "
                       "VALUES (%s, 999999, %s, %s, 'floor', %s, 1, 1, 0, 0, 1, 0, 0, 0, '', 'bevestigd', now()) "
                       "RETURNING id",
                       [organiser.pk, month, f"FLOOR{organiser.pk}-{time.time_ns()}"[:35], today()])
        batch_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO cheques_payoutline (organiser_id, batch_id, worker_id, name, iban, prestaties, cheques, "
            "kilometres, allowance, travel, corrections, total) "
            f"SELECT %s, %s, p.worker_id, MIN(w.first_name || ' ' || w.last_name), MIN(w.iban), COUNT(*), "
            f"SUM(s.cheques), SUM(p.kilometres), SUM({allowance}), SUM({travel}), 0, SUM({allowance}) + SUM({travel}) "
            f"{rows.replace('WHERE', 'JOIN workers_worker w ON w.id = p.worker_id WHERE', 1)} AND w.iban <> '' "
            "GROUP BY p.worker_id",
            [organiser.pk, batch_id, *allowance_params, *travel_params, *allowance_params, *travel_params,
             *rows_params])
        cursor.execute(
            "INSERT INTO cheques_payoutitem (organiser_id, line_id, worker_id, kind, prestatie_id, sequence, "
            "correction_id, date, cheques, kilometres, allowance, travel, amount) "
            f"SELECT %s, l.id, p.worker_id, %s, p.id, 1, NULL, p.date, s.cheques, p.kilometres, {allowance}, "
            f"{travel}, {allowance} + {travel} "
            + rows.replace("WHERE", "JOIN cheques_payoutline l ON l.worker_id = p.worker_id AND l.batch_id = %s "
                           "WHERE", 1),
            [organiser.pk, PayoutItemKind.PAYMENT.value, *allowance_params, *travel_params, *allowance_params,
             *travel_params, batch_id, *rows_params])
        items = cursor.rowcount
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return items


def _confirm_as_committed(organiser, month, fingerprint, actor):
    """The confirmation and the deferred foreign-key checks its commit would run (it is rolled back instead)."""
    batch = payout_batch_confirm(organiser=organiser, month=month, fingerprint=fingerprint, actor=actor)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return batch


def _timed(function):
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - began
    return seconds, len(queries), value


def measure(*, workers: int, per_worker: int, repeat: int, profile: bool = False) -> dict:
    """Build the data, time the three back to back `repeat` times, roll everything back; the medians."""
    result = {}
    try:
        with transaction.atomic():
            began = time.perf_counter()
            organiser, month, prestaties = setup(workers=workers, per_worker=per_worker)
            result["setup_seconds"] = time.perf_counter() - began
            beheerder = None
            times = {"sql": [], "preview": [], "confirm": [], "write": []}
            for _round in range(repeat + 1):  # the first round warms the caches and is not counted
                seconds, result["sql_queries"], rows = _timed(lambda: bare_sql(organiser, month))
                if _round:
                    times["sql"].append(seconds)
                seconds, result["preview_queries"], preview = _timed(
                    lambda: payout_preview(organiser=organiser, month=month))
                if _round:
                    times["preview"].append(seconds)
                fingerprint = preview.fingerprint
                with transaction.atomic():
                    seconds, result["confirm_queries"], batch = _timed(lambda: _confirm_as_committed(
                        organiser, month, fingerprint, beheerder))  # noqa: B023
                    if _round:
                        times["confirm"].append(seconds)
                    result["batch"] = (batch.count, batch.total)
                    transaction.set_rollback(True)
                with transaction.atomic():
                    seconds, result["write_queries"], result["write_items"] = _timed(
                        lambda: bare_write(organiser, month))
                    if _round:
                        times["write"].append(seconds)
                    transaction.set_rollback(True)
            if profile:
                import cProfile
                import pstats

                with transaction.atomic():
                    profiler = cProfile.Profile()
                    profiler.enable()
                    _confirm_as_committed(organiser, month, preview.fingerprint, beheerder)
                    profiler.disable()
                    transaction.set_rollback(True)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            total = sum((row[4] or 0) + (row[5] or 0) for row in rows)
            result.update(
                workers=workers, prestaties=prestaties, repeat=repeat, sql_workers=len(rows),
                sql_total=total, preview_lines=len(preview.lines), preview_exceptions=len(preview.exceptions),
                preview_total=preview.total + preview.carried_over,
                **{f"{name}_median": statistics.median(values) for name, values in times.items()},
                **{f"{name}_all": values for name, values in times.items()})
            raise Rollback
    except Rollback:
        pass
    return result


def report(result: dict) -> None:
    sql = result["sql_median"]
    print(f"{result['workers']:,} workers, {result['prestaties']:,} prestaties (setup {result['setup_seconds']:.1f} s;"
          f" medians of {result['repeat']}, {connection.vendor})")
    print(f"  bare SQL  {sql * 1000:8.1f} ms  {result['sql_queries']:3d} queries   "
          f"{result['sql_workers']} workers, € {result['sql_total']}")
    for name in ("preview", "confirm"):
        seconds = result[f"{name}_median"]
        print(f"  {name:<8}  {seconds * 1000:8.1f} ms  {result[f'{name}_queries']:3d} queries   "
              f"{seconds / sql:5.2f} × the bare SQL   (all: "
              + ", ".join(f"{s * 1000:.0f}" for s in result[f"{name}_all"]) + " ms)")
    write = result["write_median"]
    print(f"  bare SQL writing the batch's rows (lines, {result['write_items']:,} items, commit checks) "
          f"{write * 1000:.0f} ms: the confirmation is {result['confirm_median'] / write:.2f} × that")
    print(f"  preview: {result['preview_lines']} lines, {result['preview_exceptions']} kept out, "
          f"€ {result['preview_total']} in all (the bare SQL: € {result['sql_total']})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--per-worker", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a profile of one confirmation")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        small = measure(workers=max(1, args.workers // 4), per_worker=args.per_worker, repeat=args.repeat)
        large = measure(workers=args.workers, per_worker=args.per_worker, repeat=args.repeat, profile=args.profile)
    report(small)
    report(large)
    same = all(small[f"{name}_queries"] == large[f"{name}_queries"] for name in ("preview", "confirm"))
    print(f"queries at {small['workers']:,} and {large['workers']:,} workers: preview {small['preview_queries']} and "
          f"{large['preview_queries']}, confirm {small['confirm_queries']} and {large['confirm_queries']} — "
          + ("the same" if same else "NOT the same"))


if __name__ == "__main__":
    main()
