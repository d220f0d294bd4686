"""The Flanders-scale data set: 40 organisers over the 285 Flemish municipalities, 20,000 wijk-werkers, 60,000
clients, about 1,000,000 prestaties and 1,500,000 cheques over five years, with trajectories, requests,
assignments, orders, payments, bank statements, settlements, credit, refunds and monthly payouts that obey the
rules. Every benchmark builds on it.

    .venv/bin/python benchmarks/flanders.py --create ww_flanders                 # the whole of Flanders
    .venv/bin/python benchmarks/flanders.py --create ww_flanders_small --scale 0.01
    .venv/bin/python benchmarks/flanders.py --create ww_twins --preset twins     # one organiser and its 10× twin

`--create NAME` makes the database NAME (on the server of DATABASE_URL, default postgres@127.0.0.1:5432; add
`--replace` to drop it first), migrates it and fills it the way pg_restore does (secondary indexes and foreign keys
set aside during the load and made again, so checked, at the end); without it the database of DATABASE_URL is
migrated and filled with every key checked row by row. `--scale` multiplies the workers and clients of every
organiser (and so the prestaties and cheques), `--seed` makes another but equally deterministic data set,
`--today` sets the reference day the history ends before (default today), `--jobs` the processes that build
organisers side by side (default 2; the data does not depend on it), `--check` verifies the invariants afterwards,
`--fingerprint` prints a digest of the data by content. Every account's password is `wijkwerken-demo`; the first
account of each role is `<role>@<organiser>.wijkwerken.test` (the beheerders are printed at the end).

From code (a benchmark that needs its own mix):

    from benchmarks.flanders import OrganiserSpec, build
    result = build(scale=1.0, seed=7, organisers=[
        OrganiserSpec("Wijk-werken Klein", workers=500, clients=1500),
        OrganiserSpec("Wijk-werken Groot", workers=5000, clients=15000, years=5)])

The parts live in `benchmarks/dataset/`; see the README (Benchmarks) for what the data set contains.
"""

import argparse
import datetime
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.dataset.spec import OrganiserSpec, flanders_preset, twins_preset  # noqa: E402

PASSWORD = "wijkwerken-demo"
DEFAULT_SEED = 2026
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"

__all__ = ["PASSWORD", "BuildResult", "OrganiserSpec", "build", "fingerprint", "flanders_preset",
           "invariant_violations", "twins_preset"]


@dataclass
class BuildResult:
    organiser_ids: list[int]
    reference: datetime.date
    rows: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # per phase, summed over the processes
    total_seconds: float = 0.0
    logins: list = field(default_factory=list)


@dataclass
class _Built:
    index: int
    organiser_id: int
    login: tuple
    rows: dict
    seconds: dict
    line: str


def build(*, scale: float = 1.0, seed: int = DEFAULT_SEED, reference: datetime.date | None = None,
          organisers: list[OrganiserSpec] | None = None, preset: str = "flanders", jobs: int = 1,
          bulk_load: bool = False, vacuum: bool = True, years: int | None = None, log=None) -> BuildResult:
    """Generate the organisers of `organisers` (default: the preset, "flanders" or "twins") at `scale` into the
    current database, with their history up to the day before `reference` (default today).

    Deterministic: the same arguments on the same database state give the same data (ids aside), whatever
    `jobs` is. Each organiser is written in its own transaction (inside the caller's, if any); with `jobs` > 1
    and no transaction open, that many processes build organisers side by side. With `bulk_load` (only for a
    database nobody else uses meanwhile, and no transaction open) the written tables' secondary indexes and
    foreign keys are set aside during the load and made again, and so checked, at the end (see
    `store.bulk_load`). Returns the new organisers' ids (in the order of `organisers`), rows written per table
    and seconds per phase."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from assignments.models import Client
    from assignments.services.activities import load_activity_list, main_activity_get_or_create
    from benchmarks.dataset.base import Task, World
    from benchmarks.dataset.identities import kbo_number
    from benchmarks.dataset.places import flanders_regions, load_places, nearest_free
    from benchmarks.dataset.store import Store, existing, scalar
    from wijkwerken.core.dates import today

    log = log or (lambda message: None)
    started = time.perf_counter()
    reference = reference or today()
    places = load_places()
    if organisers is None:
        organisers = flanders_preset(places, flanders_regions(places)) if preset == "flanders" else twins_preset()
    if years is not None:  # the same organisers with a shorter (or longer) history
        organisers = [replace(spec, years=years) for spec in organisers]
    specs = [spec.scaled(scale) for spec in organisers]
    by_nis = {p.nis_code: p for p in places}
    taken = existing("SELECT nis_code FROM core_municipality WHERE organiser_id IS NOT NULL")
    kbo_taken = existing("SELECT kbo_number FROM core_organiser")
    first_number = max(scalar("SELECT max(number) FROM assignments_client") or 0, Client.FIRST_NUMBER - 1) + 1
    kbo_offset = 0
    while any(kbo_number(2_100_000 + kbo_offset + i) in kbo_taken for i in range(len(specs))):
        kbo_offset += 1000
    tasks = []
    for index, spec in enumerate(specs):
        if spec.municipalities:
            unknown = [code for code in spec.municipalities if code not in by_nis]
            if unknown:
                raise ValueError(f"{spec.name}: unknown NIS codes {unknown}")
            region = [by_nis[code] for code in spec.municipalities]
        else:
            region = nearest_free(places, taken, count=spec.municipality_count, near=spec.near)
        taken |= {p.nis_code for p in region}
        tasks.append(Task(index=index, spec=spec, places=tuple(region), first_client_number=first_number,
                          kbo=kbo_number(2_100_000 + kbo_offset + index)))
        first_number += spec.clients
    for name in load_activity_list()["hoofdactiviteiten"]:  # shared by every organiser: made once, up front
        main_activity_get_or_create(name=name)
    world = World(seed=seed, reference=reference, places=places, store=Store(),
                  password_hash=make_password(PASSWORD),
                  order_communications=existing("SELECT structured_communication FROM cheques_chequeorder"),
                  mollie_ids=existing("SELECT mollie_id FROM cheques_molliepayment"))
    outside_transaction = not connection.in_atomic_block
    loading = bulk_load_tables(bulk_load and outside_transaction, log)
    with loading as load_seconds:
        if jobs > 1 and len(tasks) > 1 and outside_transaction:
            built = _build_in_processes(world, tasks, jobs, log)
        else:
            built = []
            for task in tasks:
                built.append(_build_organiser(world, task))
                log(built[-1].line)
    result = BuildResult(organiser_ids=[b.organiser_id for b in built], reference=reference,
                         logins=[b.login for b in built])
    rows, seconds = Counter(), Counter()
    for b in built:
        rows.update(b.rows)
        seconds.update(b.seconds)
    if load_seconds:
        seconds["indexes and foreign keys made again"] += load_seconds[0]
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE")
    seconds["vacuum and analyse"] += time.perf_counter() - began
    result.rows, result.seconds = dict(rows), dict(seconds)
    result.total_seconds = time.perf_counter() - started
    return result


@contextmanager
def bulk_load_tables(enabled: bool, log):
    """`store.bulk_load` over every table the generator fills in bulk (yields a list that receives the seconds
    the indexes and keys took to make again); a no-op when not `enabled`."""
    from benchmarks.dataset.store import bulk_load

    timing: list = []
    if not enabled:
        yield timing
        return
    from django.apps import apps

    labels = ("accounts.User", "workers.Worker", "workers.Trajectory", "workers.Suspension", "workers.Extension",
              "workers.Evaluation", "workers.FollowUp", "workers.InterimWork", "workers.Availability",
              "workers.WorkerActivity", "assignments.Client", "assignments.ClientContact",
              "assignments.RegistrationFee", "assignments.HelpRequest", "assignments.Assignment",
              "assignments.WorkerExclusion", "assignments.Prestatie", "cheques.ChequeOrder", "cheques.BankImport",
              "cheques.BankLine", "cheques.MolliePayment", "cheques.Payment", "cheques.RefundBatch",
              "cheques.ClientCredit", "cheques.Cheque", "cheques.Settlement", "cheques.PayoutBatch",
              "cheques.PayoutLine", "cheques.PayoutItem")
    tables = [apps.get_model(label)._meta.db_table for label in labels]
    with bulk_load(tables, log):
        yield timing
        started = time.perf_counter()
    timing.append(time.perf_counter() - started)


def _build_organiser(world, task) -> _Built:
    """One organiser, planned in memory and written in one transaction."""
    from django.db import connection, transaction

    from benchmarks.dataset import base, money, people, work
    from benchmarks.dataset.store import Store

    began = time.perf_counter()
    store = world.store = Store()
    with transaction.atomic():
        with store.timed("organiser, rules, prices, activities, staff"):
            org = base.create_organiser(world, task)
        with store.timed("plan: workers, clients, work, money"):
            workers = people.plan_workers(org)
            clients = people.plan_clients(org)
        with store.timed("write: logins"):
            people.write_client_logins(org, clients)
        with store.timed("plan: workers, clients, work, money"):
            plan = work.plan_work(org, workers, clients)
            people.settle_client_statuses(org, clients)
            work.requests_without_work(org, plan, clients)
            ledger = money.simulate(org, clients, plan.prestaties)
        with store.timed("write: workers and trajectories"):
            people.write_workers(org, workers, plan.skills_by_worker)
        with store.timed("write: clients"):
            people.write_clients(org, clients)
        with store.timed("write: requests, assignments, prestaties"):
            work.write_work(org, plan)
        with store.timed("write: money, cheques, settlements"):
            money.write_money(org, ledger)
        with store.timed("plan: payouts"):
            payouts = money.plan_payouts(org, ledger)
        with store.timed("write: payouts"):
            money.write_payouts(org, payouts)
        with store.timed("foreign key checks"), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks run now, not at commit
    spec = task.spec
    line = (f"  {task.index + 1:>2}. {spec.name}: {len(workers):,} workers, {len(clients):,} clients, "
            f"{len(plan.prestaties):,} prestaties ({plan.scheduled:,} scheduled), {len(ledger.orders):,} orders, "
            f"{len(payouts):,} payout batches ({time.perf_counter() - began:.1f} s)")
    return _Built(index=task.index, organiser_id=org.pk, login=(spec.name, org.email("beheerder")),
                  rows=dict(store.rows), seconds=dict(store.seconds), line=line)


_WORLD = None  # the build's shared state, inherited by the worker processes (fork)


def _build_in_child(task) -> _Built:
    return _build_organiser(_WORLD, task)


def _build_in_processes(world, tasks, jobs: int, log) -> list:
    """Build the organisers in `jobs` forked processes, largest first, each with its own connection."""
    import multiprocessing

    from django.db import connections

    global _WORLD
    _WORLD = world
    connections.close_all()  # the children open their own
    built = []
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        largest_first = sorted(tasks, key=lambda t: (-(t.spec.workers * 3 + t.spec.clients), t.index))
        for done in pool.imap_unordered(_build_in_child, largest_first):
            log(done.line)
            built.append(done)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
    return sorted(built, key=lambda b: b.index)


def fingerprint(organiser_ids: list[int]) -> str:
    """A digest of the organisers' data by content (natural keys, never ids): equal for equal data."""
    from benchmarks.dataset.checks import fingerprint as digest

    return digest(organiser_ids)


def invariant_violations(organiser_ids: list[int], reference: datetime.date) -> dict[str, int]:
    """Per invariant, the number of rows that break it (all zero for a correct data set)."""
    from benchmarks.dataset.checks import violations

    return violations(organiser_ids, reference)


# --- command line ------------------------------------------------------------------------------------------------

def _create_database(name: str, *, replace: bool) -> str:
    import psycopg

    server = urlparse(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    if server.scheme not in ("postgres", "postgresql"):
        server = urlparse(DEFAULT_SERVER)
    admin = urlunparse(server._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not replace:
            raise SystemExit(f"database {name} exists; add --replace to drop it first")
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(server._replace(path=f"/{name}"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--create", metavar="NAME", help="create this database first (and migrate it)")
    parser.add_argument("--replace", action="store_true", help="with --create: drop the database if it exists")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = Flanders (20,000 workers); 0.01 … 1.0")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                        help="the reference day (YYYY-MM-DD): the history ends the day before; default today")
    parser.add_argument("--preset", choices=("flanders", "twins"), default="flanders")
    parser.add_argument("--years", type=int, default=None,
                        help="years of history of every organiser (default: the preset's, 5)")
    parser.add_argument("--jobs", type=int, default=2, help="processes building organisers side by side")
    parser.add_argument("--no-vacuum", action="store_true", help="only ANALYZE afterwards, no VACUUM")
    parser.add_argument("--check", action="store_true", help="verify the invariants afterwards")
    parser.add_argument("--fingerprint", action="store_true", help="print a digest of the data (by content)")
    args = parser.parse_args(argv)
    if args.create:
        os.environ["DATABASE_URL"] = _create_database(args.create, replace=args.replace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log while writing millions of rows
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the generator writes with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database")
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - began
    print(f"database {connection.settings_dict['NAME']} migrated in {migrated:.0f} s; generating "
          f"(preset {args.preset}, scale {args.scale}, seed {args.seed})", flush=True)
    result = build(scale=args.scale, seed=args.seed, reference=args.today, preset=args.preset, jobs=args.jobs,
                   years=args.years,
                   bulk_load=bool(args.create), vacuum=not args.no_vacuum,
                   log=lambda message: print(message, flush=True))
    print(f"\nbuilt in {result.total_seconds:.0f} s (reference day {result.reference:%d/%m/%Y}, {args.jobs} "
          f"process{'es' if args.jobs > 1 else ''}); {sum(result.rows.values()):,} rows; seconds per phase, "
          "summed over the processes:")
    for phase, seconds in result.seconds.items():
        print(f"  {phase:<45} {seconds:>7.1f} s")
    print()
    for label, count in sorted(result.rows.items()):
        print(f"  {label:<32} {count:>10,}")
    print(f"\nlog in with password {PASSWORD!r}, for example:")
    for name, email in result.logins[:3]:
        print(f"  {email:<60} ({name})")
    if args.fingerprint:
        print(f"\nfingerprint {fingerprint(result.organiser_ids)}")
    if args.check:
        began = time.perf_counter()
        found = invariant_violations(result.organiser_ids, result.reference)
        broken = {name: count for name, count in found.items() if count}
        print(f"\ninvariants checked in {time.perf_counter() - began:.0f} s: "
              + ("all hold" if not broken else f"BROKEN {broken}"))
        return 1 if broken else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
