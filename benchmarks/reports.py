"""Benchmark: the yearly reports and fiscal attests (issue 12) on the Flanders-scale data set.

    .venv/bin/python benchmarks/flanders.py --create ww_bench_flanders             # the data set (see README)
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench_flanders
    .venv/bin/python benchmarks/reports.py municipal [--nis 11002] [--year 2025] [--repeat 5]   # (a)
    .venv/bin/python benchmarks/reports.py restrict ww_bench_flanders_2y [--year 2025]          # for (b)
    .venv/bin/python benchmarks/reports.py history ww_bench_flanders_2y [--repeat 5]            # (b)
    .venv/bin/python benchmarks/reports.py memory                                               # (c)
    .venv/bin/python benchmarks/reports.py batch [--reports 285] [--attests 200]                # (d)

(a) `municipal`: a municipality's yearly report in all three formats (`report_build`: the figures of the year and
    the year before, the tables, the PDF with its charts, the XLSX, the CSV zip, stored, the row updated) against
    the floor: the bare SQL aggregates that produce its numbers, written by hand and run on a cursor, plus writing
    the same three files from the same tables. Target: at most 2 × the floor. The bare SQL's totals are checked
    against the report's, so both count the same rows.
(b) `restrict` copies the database (CREATE DATABASE … TEMPLATE) and deletes from the copy every row of the tables
    that grow with the years (prestaties and their settlements, cheques, orders, payments, registration fees,
    audit entries) that the report of `--year` cannot count: what remains is that year and the year before (the
    report compares the two). People (wijk-werkers, trajectories, clients: small, and a report needs every
    trajectory to know who is new) are kept whole. `history` then times the organiser report of `--year` of the
    largest organiser on both databases, alternately, and checks that both give the same tables. Target: the
    five-year database at most 1.3 × the restricted copy.
(c) `memory`: the largest report (the organiser report of the organiser with the most prestaties in the year,
    then the municipal report of its largest municipality) each built in a fresh process; peak RSS
    (`getrusage` maximum resident set of the child) and the Python heap peak (tracemalloc). Target: < 300 MB.
(d) `batch`: the yearly batch — every municipality's report of `--year` (or about `--reports` of them, every
    k-th in NIS order, the total extrapolated) and the fiscal attests: the attests of every organiser are inserted
    (one INSERT per organiser, as the batch does) and `--attests` of them rendered to PDF; the total for every
    attest is extrapolated from their mean. Reports: total and median per report.

Every measurement runs in a transaction rolled back at its end (files in a temporary folder), so the database is
left as it was. The machine may be shared: ratios are measured back to back in one process, repeated, medians.
"""

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import translation  # noqa: E402

from assignments.models import COUNTED_STATUSES, Prestatie  # noqa: E402
from cheques.models import ChequeStatus, CreditKind  # noqa: E402
from wijkwerken.core.dates import today  # noqa: E402
from wijkwerken.core.models import Municipality, Organiser  # noqa: E402
from wijkwerken.reports.documents import render_report_pdf  # noqa: E402
from wijkwerken.reports.models import BuildStatus, FiscalAttest, Report, ReportAudience  # noqa: E402
from wijkwerken.reports.periods import Period  # noqa: E402
from wijkwerken.reports.selectors import paid_for_cheques, report_figures  # noqa: E402
from wijkwerken.reports.services import fiscal_attest_render, report_build  # noqa: E402
from wijkwerken.reports.tables import report_tables  # noqa: E402
from wijkwerken.reports.writers import write_csv_zip, write_xlsx  # noqa: E402


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """Run the block in a transaction that is rolled back at its end."""
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def median(values) -> float:
    return statistics.median(values) if values else 0.0


def default_year() -> int:
    return today().year - 1


# --- the bare SQL ---------------------------------------------------------------------------------------------------

def _scope(column: str, municipality_ids) -> tuple[str, list]:
    if municipality_ids is None:
        return "", []
    return f" AND {column} = ANY(%s)", [list(municipality_ids)]


def bare_sql(organiser_id: int, municipality_ids, period: Period) -> dict[str, list[tuple]]:
    """The aggregates behind a report of one period, written by hand: what `report_figures` asks, as plain SQL on a
    cursor (no ORM, no Python per row)."""
    start, end = period.start, period.end
    moment_start, moment_end = period.moments()
    counted = [str(status) for status in COUNTED_STATUSES]
    prestaties = ("FROM assignments_prestatie p JOIN assignments_assignment a ON a.id = p.assignment_id "
                  "WHERE p.organiser_id = %s AND p.date BETWEEN %s AND %s AND p.status = ANY(%s)")
    by_work, work_params = _scope("a.municipality_id", municipality_ids)
    by_worker, worker_params = _scope("w.municipality_id", municipality_ids)
    by_client, client_params = _scope("c.municipality_id", municipality_ids)
    base = [organiser_id, start, end, counted]
    queries = {
        "months": (f"SELECT a.municipality_id, date_trunc('month', p.date), SUM(p.minutes), COUNT(*) {prestaties}"
                   f"{by_work} GROUP BY 1, 2", base + work_params),
        "categories": ("SELECT a.municipality_id, c.category, (c.category = 'lokaal_bestuur' AND "
                       f"c.municipality_id = a.municipality_id), SUM(p.minutes) {prestaties.replace('WHERE', 'JOIN assignments_client c ON c.id = p.client_id WHERE')}"  # noqa: E501
                       f"{by_work} GROUP BY 1, 2, 3", base + work_params),
        "activities": ("SELECT a.municipality_id, m.name, act.name, SUM(p.minutes) "
                       f"{prestaties.replace('WHERE', 'JOIN assignments_activity act ON act.id = a.activity_id JOIN assignments_mainactivity m ON m.id = act.main_activity_id WHERE')}"  # noqa: E501
                       f"{by_work} GROUP BY 1, 2, 3", base + work_params),
        "workers_active": ("SELECT w.municipality_id, w.ex_pwa, w.referral, COUNT(DISTINCT w.id) FROM workers_worker w "
                           "JOIN workers_trajectory t ON t.worker_id = w.id WHERE w.organiser_id = %s AND "
                           f"t.start_date <= %s AND (t.ended_on IS NULL OR t.ended_on >= %s){by_worker} "
                           "GROUP BY 1, 2, 3", [organiser_id, end, start] + worker_params),
        "workers_new": ("SELECT w.municipality_id, COUNT(*) FROM workers_worker w JOIN (SELECT worker_id, "
                        "MIN(start_date) AS first_start FROM workers_trajectory WHERE organiser_id = %s GROUP BY "
                        "worker_id) f ON f.worker_id = w.id WHERE w.organiser_id = %s AND f.first_start BETWEEN %s "
                        f"AND %s{by_worker} GROUP BY 1", [organiser_id, organiser_id, start, end] + worker_params),
        "ended": ("SELECT w.municipality_id, t.outflow_reason, COUNT(DISTINCT t.worker_id) FROM workers_trajectory t "
                  "JOIN workers_worker w ON w.id = t.worker_id WHERE t.organiser_id = %s AND t.ended_on BETWEEN %s "
                  f"AND %s{by_worker} GROUP BY 1, 2", [organiser_id, start, end] + worker_params),
        "follow_ups": ("SELECT w.municipality_id, f.months_after, f.situation, COUNT(DISTINCT t.worker_id) FROM "
                       "workers_followup f JOIN workers_trajectory t ON t.id = f.trajectory_id JOIN workers_worker w "
                       "ON w.id = t.worker_id WHERE t.organiser_id = %s AND f.done_on BETWEEN %s AND %s"
                       f"{by_worker} GROUP BY 1, 2, 3", [organiser_id, start, end] + worker_params),
        "clients": ("SELECT c.municipality_id, c.category, COUNT(*), COUNT(*) FILTER (WHERE c.activated_on >= %s) "
                    "FROM assignments_client c WHERE c.organiser_id = %s AND c.activated_on <= %s AND "
                    f"(c.stopped_on IS NULL OR c.stopped_on >= %s){by_client} GROUP BY 1, 2",
                    [start, organiser_id, end, start] + client_params),
        "sold": ("SELECT c.municipality_id, COUNT(*), SUM(ch.value) FROM cheques_cheque ch JOIN assignments_client c "
                 "ON c.id = ch.client_id WHERE ch.organiser_id = %s AND ch.issued_on BETWEEN %s AND %s"
                 f"{by_client} GROUP BY 1", [organiser_id, start, end] + client_params),
        "redeemed": ("SELECT c.municipality_id, COUNT(*), SUM(ch.value) FROM cheques_cheque ch JOIN "
                     "assignments_client c ON c.id = ch.client_id WHERE ch.organiser_id = %s AND ch.status = %s AND "
                     f"ch.redeemed_at >= %s AND ch.redeemed_at < %s{by_client} GROUP BY 1",
                     [organiser_id, ChequeStatus.REDEEMED.value, moment_start, moment_end] + client_params),
        "expired": ("SELECT c.municipality_id, COUNT(*), SUM(ch.value) FROM cheques_cheque ch JOIN "
                    "assignments_client c ON c.id = ch.client_id WHERE ch.organiser_id = %s AND ch.status = %s AND "
                    f"ch.expires_on BETWEEN %s AND %s{by_client} GROUP BY 1",
                    [organiser_id, ChequeStatus.EXPIRED.value, start, end] + client_params),
        "refunds": ("SELECT c.municipality_id, COUNT(DISTINCT cc.client_id), SUM(cc.amount) FROM cheques_clientcredit "
                    "cc JOIN cheques_refundbatch rb ON rb.id = cc.refund_batch_id JOIN assignments_client c ON "
                    "c.id = cc.client_id WHERE cc.organiser_id = %s AND cc.kind = %s AND rb.execution_date BETWEEN "
                    f"%s AND %s{by_client} GROUP BY 1",
                    [organiser_id, CreditKind.REFUNDED.value, start, end] + client_params),
        "fees": ("SELECT c.municipality_id, COUNT(*), SUM(f.amount) FROM assignments_registrationfee f JOIN "
                 "assignments_client c ON c.id = f.client_id WHERE c.organiser_id = %s AND f.status = 'paid' AND "
                 f"f.paid_on BETWEEN %s AND %s{by_client} GROUP BY 1", [organiser_id, start, end] + client_params),
    }
    rows = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in queries.items():
            cursor.execute(sql, params)
            rows[name] = cursor.fetchall()
    return rows


def bare_totals(rows: dict) -> dict:
    """A few totals of the bare SQL, to compare with the report's."""
    return {"minutes": sum(r[2] for r in rows["months"]), "prestaties": sum(r[3] for r in rows["months"]),
            "workers": sum(r[3] for r in rows["workers_active"]), "clients": sum(r[2] for r in rows["clients"]),
            "sold": sum(r[1] for r in rows["sold"]), "redeemed": sum(r[1] for r in rows["redeemed"]),
            "expired": sum(r[1] for r in rows["expired"]), "fees": sum(r[1] for r in rows["fees"])}


def figures_totals(figures) -> dict:
    return {"minutes": figures.minutes_by_month.total(), "prestaties": figures.minutes_by_month.total(None, 1),
            "workers": figures.workers_active.total(), "clients": figures.clients.total(),
            "sold": figures.cheques.value(("sold",)), "redeemed": figures.cheques.value(("redeemed",)),
            "expired": figures.cheques.value(("expired",)), "fees": figures.fees.total()}


# --- building one report --------------------------------------------------------------------------------------------

def new_report(organiser_id: int, municipality_id, year: int) -> Report:
    audience = ReportAudience.MUNICIPALITY if municipality_id else ReportAudience.ORGANISER
    period = Period.year(year)
    return Report.objects.create(organiser_id=organiser_id, municipality_id=municipality_id, audience=audience,
                                 period_start=period.start, period_end=period.end, yearly=True)


def build_once(organiser_id: int, municipality_id, year: int) -> tuple[float, Report]:
    """`report_build` of a new report, timed, in a savepoint rolled back afterwards."""
    with rolled_back():
        report = new_report(organiser_id, municipality_id, year)
        began = time.perf_counter()
        built = report_build(report.pk)
        seconds = time.perf_counter() - began
        if built.status != BuildStatus.DONE:
            raise RuntimeError(f"report {report} not built: {built.status} {built.error}")
    return seconds, built


def files_once(report: Report, tables, directory: Path) -> dict[str, float]:
    """Writing the three files of a report from its tables (what the build writes), timed per format."""
    times = {}
    with translation.override("nl"):
        began = time.perf_counter()
        render_report_pdf(report, tables)
        times["pdf"] = time.perf_counter() - began
        began = time.perf_counter()
        write_xlsx(tables, directory / "report.xlsx", about=[("Rapport", report.title)])
        times["xlsx"] = time.perf_counter() - began
        began = time.perf_counter()
        write_csv_zip(tables, directory / "report.zip")
        times["csv"] = time.perf_counter() - began
    return times


def largest_municipality(year: int) -> Municipality:
    period = Period.year(year)
    row = (Prestatie.objects.filter(date__gte=period.start, date__lte=period.end)
           .values("assignment__municipality_id").order_by().annotate(n=Count("id"))
           .order_by("-n").first())
    return Municipality.objects.get(pk=row["assignment__municipality_id"])


def largest_organiser(year: int) -> Organiser:
    period = Period.year(year)
    row = (Prestatie.objects.filter(date__gte=period.start, date__lte=period.end).values("organiser_id")
           .order_by().annotate(n=Count("id")).order_by("-n").first())
    return Organiser.objects.get(pk=row["organiser_id"])


# --- (a) a municipality's yearly report -----------------------------------------------------------------------------

def measure_municipal(*, municipality: Municipality, year: int, repeat: int) -> dict:
    period = Period.year(year)
    scope = [municipality.pk]
    organiser_id = municipality.organiser_id
    times = {name: [] for name in ("build", "sql", "pdf", "xlsx", "csv", "figures", "tables")}
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        build_once(organiser_id, municipality.pk, year)  # warm the caches once, untimed
        for _round in range(repeat):
            seconds, report = build_once(organiser_id, municipality.pk, year)
            times["build"].append(seconds)
            began = time.perf_counter()
            now = bare_sql(organiser_id, scope, period)
            bare_sql(organiser_id, scope, period.previous())
            times["sql"].append(time.perf_counter() - began)
            began = time.perf_counter()
            figures = report_figures(organiser_id=organiser_id, municipality_ids=scope, period=period)
            before = report_figures(organiser_id=organiser_id, municipality_ids=scope, period=period.previous())
            times["figures"].append(time.perf_counter() - began)
            began = time.perf_counter()
            with translation.override("nl"):
                tables = report_tables(figures, before, municipality_id=municipality.pk, mask=True)
            times["tables"].append(time.perf_counter() - began)
            for name, seconds in files_once(report, tables, directory).items():
                times[name].append(seconds)
    same = bare_totals(now) == figures_totals(figures)
    medians = {name: median(values) for name, values in times.items()}
    floor = medians["sql"] + medians["pdf"] + medians["xlsx"] + medians["csv"]
    return {"municipality": municipality.name, "year": year, "repeat": repeat, "medians": medians,
            "all": times, "floor": floor, "ratio": medians["build"] / floor if floor else 0.0,
            "same_numbers": same, "totals": bare_totals(now)}


def print_municipal(result: dict) -> None:
    m = result["medians"]
    print(f"(a) yearly report {result['year']} of {result['municipality']} (medians of {result['repeat']}; "
          f"{result['totals']['prestaties']:,} prestaties in the year)")
    print(f"    report_build, three formats  {m['build'] * 1000:8.0f} ms   (all: "
          + ", ".join(f"{s * 1000:.0f}" for s in result["all"]["build"]) + ")")
    print(f"    floor: bare SQL {m['sql'] * 1000:.0f} ms + PDF {m['pdf'] * 1000:.0f} ms + XLSX "
          f"{m['xlsx'] * 1000:.0f} ms + CSV {m['csv'] * 1000:.0f} ms = {result['floor'] * 1000:.0f} ms")
    print(f"    ratio {result['ratio']:.2f} (target ≤ 2); the ORM figures take {m['figures'] * 1000:.0f} ms "
          f"({m['figures'] / m['sql'] if m['sql'] else 0:.2f} × the bare SQL), the tables {m['tables'] * 1000:.0f} ms;"
          f" same numbers as the bare SQL: {'yes' if result['same_numbers'] else 'NO'}")


# --- (b) one year or five -------------------------------------------------------------------------------------------

TIME_SERIES = {  # table: the condition of a row the report of [keep_from, keep_until] may count
    "assignments_prestatie": "date BETWEEN %(from)s AND %(until)s",
    "cheques_cheque": ("issued_on BETWEEN %(from)s AND %(until)s OR expires_on BETWEEN %(from)s AND %(until)s OR "
                       "(redeemed_at >= %(moment_from)s AND redeemed_at < %(moment_until)s)"),
    "assignments_registrationfee": "paid_on BETWEEN %(from)s AND %(until)s OR paid_on IS NULL",
}


def restrict(cursor, year: int) -> dict[str, int]:
    """Delete, in the current database, the rows of the tables that grow with the years that the report of `year`
    (compared with the year before) cannot count. Triggers and foreign keys are off for this session (the
    history tables refuse DELETE otherwise); the rows left refer to nothing that was deleted except orders,
    payments and bank lines of other years, which no report reads. Returns rows deleted per table."""
    period = Period.year(year)
    keep = Period(period.previous().start, period.end)
    moment_from, moment_until = keep.moments()
    values = {"from": keep.start, "until": keep.end, "moment_from": moment_from, "moment_until": moment_until}
    deleted = {}
    cursor.execute("SET session_replication_role = replica")
    try:
        for table, condition in TIME_SERIES.items():
            cursor.execute(f"DELETE FROM {table} WHERE NOT ({condition})", values)
            deleted[table] = cursor.rowcount
        cursor.execute("DELETE FROM cheques_settlement s WHERE NOT EXISTS "
                       "(SELECT 1 FROM assignments_prestatie p WHERE p.id = s.prestatie_id)")
        deleted["cheques_settlement"] = cursor.rowcount
        cursor.execute("DELETE FROM cheques_chequeorder o WHERE (o.created_at < %(moment_from)s OR o.created_at >= "
                       "%(moment_until)s) AND NOT EXISTS (SELECT 1 FROM cheques_cheque c WHERE c.order_id = o.id)",
                       values)
        deleted["cheques_chequeorder"] = cursor.rowcount
        cursor.execute("DELETE FROM cheques_payment y WHERE NOT EXISTS "
                       "(SELECT 1 FROM cheques_chequeorder o WHERE o.id = y.order_id)")
        deleted["cheques_payment"] = cursor.rowcount
        cursor.execute("DELETE FROM core_auditentry WHERE created_at < %(moment_from)s OR created_at >= "
                       "%(moment_until)s", values)
        deleted["core_auditentry"] = cursor.rowcount
    finally:
        cursor.execute("SET session_replication_role = DEFAULT")
    return deleted


def restrict_copy(target: str, *, year: int) -> dict[str, int]:
    """CREATE DATABASE `target` as a copy of the current one, restricted to what the report of `year` reads."""
    import psycopg

    source = connection.settings_dict["NAME"]
    connection.close()
    db = connection.settings_dict
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None,
              "password": db["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    connection.settings_dict["NAME"] = target
    with connection.cursor() as cursor:
        deleted = restrict(cursor, year)
    connection.close()
    with psycopg.connect(**{**params, "dbname": target}) as database:
        for table in (*TIME_SERIES, "cheques_settlement", "cheques_chequeorder", "cheques_payment",
                      "core_auditentry"):
            database.execute(f"VACUUM FULL ANALYZE {table}")
    connection.settings_dict["NAME"] = source
    return deleted


@contextmanager
def on_database(name: str):
    """Switch the default connection to database `name` for the block."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def measure_history(*, full: str, restricted: str, year: int, repeat: int, organiser_name: str = "") -> dict:
    """The organiser report of `year` of the largest organiser, on the five-year database and on its restricted
    copy, alternately."""
    with on_database(full):
        organiser = (Organiser.objects.get(name=organiser_name) if organiser_name else largest_organiser(year))
        counts = {"full": Prestatie.objects.count()}
    with on_database(restricted):
        organiser_id = Organiser.objects.get(name=organiser.name).pk
        counts["restricted"] = Prestatie.objects.count()
    times, tables = {"full": [], "restricted": []}, {}
    for _round in range(repeat + 1):  # the first round warms the caches, untimed
        for name, database in (("full", full), ("restricted", restricted)):
            with on_database(database):
                seconds, report = build_once(organiser_id if name == "restricted" else organiser.pk, None, year)
            if _round:
                times[name].append(seconds)
            tables[name] = report.figures["tables"]
    medians = {name: median(values) for name, values in times.items()}
    return {"organiser": organiser.name, "year": year, "repeat": repeat, "medians": medians, "all": times,
            "counts": counts, "ratio": medians["full"] / medians["restricted"] if medians["restricted"] else 0.0,
            "same_tables": tables["full"] == tables["restricted"]}


def print_history(result: dict) -> None:
    m = result["medians"]
    print(f"(b) organiser report {result['year']} of {result['organiser']} (medians of {result['repeat']}, "
          "alternately)")
    print(f"    five years ({result['counts']['full']:,} prestaties)  {m['full'] * 1000:8.0f} ms   (all: "
          + ", ".join(f"{s * 1000:.0f}" for s in result["all"]["full"]) + ")")
    print(f"    two years ({result['counts']['restricted']:,} prestaties)  {m['restricted'] * 1000:8.0f} ms   (all: "
          + ", ".join(f"{s * 1000:.0f}" for s in result["all"]["restricted"]) + ")")
    print(f"    ratio {result['ratio']:.2f} (target ≤ 1.3); the same tables on both: "
          f"{'yes' if result['same_tables'] else 'NO'}")


# --- (c) memory -----------------------------------------------------------------------------------------------------

def memory_child(organiser_id: int, municipality_id, year: int) -> None:
    """In a fresh process: build one report; print RSS before and at the peak, and the Python heap peak."""
    Organiser.objects.get(pk=organiser_id)  # connect and load what any run loads first
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        seconds, _report = build_once(organiser_id, municipality_id, year)
    _current, peak = tracemalloc.get_traced_memory()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{before} {after} {peak} {seconds}")


def measure_memory(*, year: int) -> list[dict]:
    organiser = largest_organiser(year)
    municipality = largest_municipality(year)
    results = []
    for label, organiser_id, municipality_id in (
            (f"organiser report of {organiser.name}", organiser.pk, None),
            (f"municipal report of {municipality.name}", municipality.organiser_id, municipality.pk)):
        output = subprocess.run(
            [sys.executable, __file__, "memory-child", str(organiser_id), str(municipality_id or 0),
             "--year", str(year)],
            capture_output=True, text=True, check=True, env={**os.environ}).stdout.split()
        before, after, peak, seconds = (int(output[-4]), int(output[-3]), int(output[-2]), float(output[-1]))
        results.append({"label": label, "rss_before_mb": before / 1024, "rss_peak_mb": after / 1024,
                        "heap_peak_mb": peak / 2**20, "seconds": seconds})
    return results


def print_memory(results: list[dict]) -> None:
    for result in results:
        print(f"(c) {result['label']}: peak RSS {result['rss_peak_mb']:.0f} MB (the process held "
              f"{result['rss_before_mb']:.0f} MB before the build), Python heap peak {result['heap_peak_mb']:.1f} MB"
              f" (built in {result['seconds']:.1f} s under tracemalloc); target < 300 MB")


# --- (d) the yearly batch -------------------------------------------------------------------------------------------

def measure_batch(*, year: int, reports: int | None, attests: int) -> dict:
    municipalities = list(Municipality.objects.filter(organiser__isnull=False).order_by("nis_code")
                          .values_list("pk", "organiser_id"))
    # A sample spread evenly over the NIS order (every k-th), so it holds cities, towns and villages alike.
    chosen = municipalities[::math.ceil(len(municipalities) / reports)] if reports else municipalities
    report_times = []
    began = time.perf_counter()
    for municipality_id, organiser_id in chosen:
        seconds, _report = build_once(organiser_id, municipality_id, year)
        report_times.append(seconds)
    reports_total = time.perf_counter() - began
    insert_seconds, attest_count, render_times = 0.0, 0, []
    with rolled_back():
        from wijkwerken.core.bulk import bulk_insert
        from wijkwerken.reports.models import AttestStatus

        began = time.perf_counter()
        for organiser_id in Organiser.objects.order_by("pk").values_list("pk", flat=True):
            paid = paid_for_cheques(organiser_id=organiser_id, year=year)
            attest_count += bulk_insert(FiscalAttest, (
                {"organiser_id": organiser_id, "client_id": client_id, "year": year, "version": 1,
                 "cheques": count, "amount": amount, "reduction_percent": 30, "status": AttestStatus.CURRENT,
                 "pdf": ""} for client_id, (count, amount) in sorted(paid.items())))
        insert_seconds = time.perf_counter() - began
        sample = list(FiscalAttest.objects.filter(year=year, pdf="").order_by("?").values_list("pk", flat=True)
                      [:attests])
        for attest_id in sample:
            began = time.perf_counter()
            fiscal_attest_render(attest_id)
            render_times.append(time.perf_counter() - began)
    mean_render = statistics.fmean(render_times) if render_times else 0.0
    return {"year": year, "reports": len(chosen), "of_reports": len(municipalities), "reports_total": reports_total,
            "report_median": median(report_times), "report_max": max(report_times, default=0.0),
            "reports_extrapolated": reports_total / len(chosen) * len(municipalities) if chosen else 0.0,
            "attests": attest_count, "attest_insert": insert_seconds, "rendered": len(render_times),
            "attest_median": median(render_times), "attest_mean": mean_render,
            "attests_extrapolated": insert_seconds + mean_render * attest_count}


def print_batch(result: dict) -> None:
    print(f"(d) yearly batch {result['year']}: {result['reports']} of {result['of_reports']} municipal reports in "
          f"{result['reports_total']:.0f} s (median {result['report_median'] * 1000:.0f} ms, slowest "
          f"{result['report_max'] * 1000:.0f} ms)" + ("" if result["reports"] == result["of_reports"] else
                                                       f"; all of them ≈ {result['reports_extrapolated']:.0f} s"))
    hours = result["attests_extrapolated"] / 3600
    print(f"    fiscal attests: {result['attests']:,} (inserted in {result['attest_insert']:.1f} s); "
          f"{result['rendered']} PDFs rendered, median {result['attest_median'] * 1000:.0f} ms, mean "
          f"{result['attest_mean'] * 1000:.0f} ms;"
          f" all of them ≈ {result['attests_extrapolated']:.0f} s ({hours:.1f} h) in one worker process")


# --- the command line -----------------------------------------------------------------------------------------------

def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    municipal = commands.add_parser("municipal")
    municipal.add_argument("--nis", default="", help="the municipality (default: most prestaties in the year)")
    restricted = commands.add_parser("restrict")
    restricted.add_argument("target")
    history = commands.add_parser("history")
    history.add_argument("restricted")
    history.add_argument("--organiser", default="", help="its name (default: most prestaties in the year)")
    memory = commands.add_parser("memory")
    batch = commands.add_parser("batch")
    batch.add_argument("--reports", type=int, default=None,
                       help="about N municipalities, every k-th in NIS order (default: all)")
    batch.add_argument("--attests", type=int, default=200, help="attest PDFs to render (a random sample)")
    child = commands.add_parser("memory-child")
    child.add_argument("organiser", type=int)
    child.add_argument("municipality", type=int)
    for command in (municipal, restricted, history, memory, batch, child):
        command.add_argument("--year", type=int, default=None)
    for command in (municipal, history):
        command.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    settings.DEBUG = False  # no query log
    year = args.year or default_year()
    if args.command == "memory-child":
        memory_child(args.organiser, args.municipality or None, year)
        return
    if args.command == "restrict":
        began = time.perf_counter()
        deleted = restrict_copy(args.target, year=year)
        print(f"{args.target}: a copy holding {year - 1} and {year} (made in {time.perf_counter() - began:.0f} s); "
              "rows deleted: " + ", ".join(f"{table} {count:,}" for table, count in deleted.items()))
        return
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        if args.command == "municipal":
            municipality = (Municipality.objects.get(nis_code=args.nis) if args.nis else largest_municipality(year))
            print_municipal(measure_municipal(municipality=municipality, year=year, repeat=args.repeat))
        elif args.command == "history":
            print_history(measure_history(full=connection.settings_dict["NAME"], restricted=args.restricted,
                                          year=year, repeat=args.repeat, organiser_name=args.organiser))
        elif args.command == "memory":
            print_memory(measure_memory(year=year))
        elif args.command == "batch":
            print_batch(measure_batch(year=year, reports=args.reports, attests=args.attests))


if __name__ == "__main__":
    main()
