"""Benchmark: the candidate list for a request at 2,000 and at 20,000 wijk-werkers. Target: the number of queries
does not grow, and the time at 20,000 is at most 2 × the time at 2,000.

    .venv/bin/python benchmarks/matching.py [--runs 7] [--keep]

Uses its own PostgreSQL database (MATCH_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ww_bench_match),
dropped and created afresh, migrated, then filled with bulk_create at Flanders scale over the 285 municipalities
and 40 organisers. Phase 1 fills 4 organisers (2,000 workers, 6,000 clients) and measures; phase 2 adds the other
36 (20,000 workers, 60,000 clients) and measures the same requests again. Each organiser has ~500 workers with
trajectories (most active, some ended or not started), 3–8 availability slots, skills and interests, certificates,
and about one in five has an assignment with prestaties this year (continuity and hour caps have work to do).

Every request is measured as the bemiddelaar's page asks for it: `candidates_for(...)`, which ranks the whole
organiser's pool in SQL and explains the first 25, and, for comparison, the Python reference ranking
`candidates_ranked_in_python(...)` (how the page ranked before: every eligible worker scored in Python). Reported:
median wall time of --runs runs and the query count, for both.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATABASE_URL = os.environ.get("MATCH_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ww_bench_match")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

ORGANISERS = 40
WORKERS_PER_ORGANISER = 500
CLIENTS_PER_ORGANISER = 1500
FIRST_PHASE = 4  # organisers in phase 1: 2,000 workers
MAIN_ACTIVITIES = [
    "Activiteiten in functie van preventie", "Hulp bij administratieve taken",
    "Kleine herstellings- en onderhoudswerken", "Klein tuinonderhoud", "Land- en tuinbouw", "Logistieke taken",
    "Ondersteuning en hulp bij begeleiding van personen", "Ondersteuning van personen bij huishoudelijke taken",
]
PARTS = ["morning", "afternoon", "evening"]
CERTIFICATES = ["childcare", "first_aid", "driving_licence_b", "vca", "food_hygiene", "chainsaw"]


def recreate_database():
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = f"postgresql://{url.username or 'postgres'}@{url.hostname}:{url.port or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django():
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log while bulk-inserting


def base_data():
    from django.utils.text import slugify

    from assignments.models import MainActivity
    from wijkwerken.core.models import Municipality, Organiser, PostalCode, RuleSet
    from wijkwerken.core.municipalities import sync_flemish_municipalities

    if not Municipality.objects.exists():
        sync_flemish_municipalities(Municipality, PostalCode)
    municipalities = list(Municipality.objects.order_by("nis_code"))
    organisers = Organiser.objects.bulk_create([
        Organiser(name=f"Wijk-werken Bench {n}", street="Straat 1", postcode="3000", city="Leuven",
                  kbo_number=f"0{700000000 + n:09d}", iban="BE71096123456769", bic="GKCCBEBB",
                  email=f"bench{n}@example.test")
        for n in range(ORGANISERS)])
    RuleSet.objects.bulk_create([RuleSet(organiser=o, valid_from=datetime.date(2018, 1, 1)) for o in organisers])
    by_organiser = {o.pk: [] for o in organisers}
    for index, municipality in enumerate(municipalities):
        organiser = organisers[index * ORGANISERS // len(municipalities)]
        municipality.organiser = organiser
        by_organiser[organiser.pk].append(municipality)
    Municipality.objects.bulk_update(municipalities, ["organiser"], batch_size=500)
    mains = [MainActivity.objects.get_or_create(code=slugify(name), defaults={"name": name})[0]
             for name in MAIN_ACTIVITIES]
    return organisers, by_organiser, mains


def fill_organisers(organisers, by_organiser, mains, rng, offset, workers_per_organiser=WORKERS_PER_ORGANISER,
                    clients_per_organiser=CLIENTS_PER_ORGANISER):
    """Workers, clients, activities, requests, assignments and prestaties for `organisers` (bulk).

    With `clients_per_organiser=0` only workers are added (to grow one organiser's pool)."""
    from assignments.models import Activity, Assignment, Client, HelpRequest, Prestatie
    from assignments.services.clients import structured_communication_for
    from wijkwerken.core.dates import today
    from workers.models import Availability, Trajectory, Worker, WorkerActivity

    now = today()
    activities, clients, workers = [], [], []
    for o_index, organiser in enumerate(organisers):
        places = by_organiser[organiser.pk]
        if clients_per_organiser:
            activities += [Activity(organiser=organiser, category="vzw", main_activity=main, name=f"{main.name} (vzw)",
                                    valid_from=datetime.date(2018, 1, 1)) for main in mains]
        base = (offset + o_index) * 100_000
        for n in range(clients_per_organiser):
            number = 100_001 + base + n
            place = places[n % len(places)]
            clients.append(Client(
                organiser=organiser, number=number, structured_communication=structured_communication_for(number),
                category="vzw", name=f"Vzw {number}", kbo_number=f"{number:010d}", street="Straat 1",
                postcode="3000", city=place.name, municipality=place, status="actief", agreement_signed_on=now))
        for n in range(workers_per_organiser):
            workers.append(Worker(
                organiser=organiser, municipality=places[rng.randrange(len(places))], first_name=f"W{n}",
                last_name=f"Bench {base + n}", national_number=f"{base + n:011d}", street="Straat 1",
                postcode="3000", city="X", referral="vdab", referrer_name="Bench", referral_date=now,
                max_distance_km=rng.choice([3, 5, 10, 15, 25]), ex_pwa=rng.random() < 0.05,
                certificates=rng.sample(CERTIFICATES, rng.randrange(3)), languages=["nl"]))
    Activity.objects.bulk_create(activities, batch_size=2000)
    Client.objects.bulk_create(clients, batch_size=2000)
    Worker.objects.bulk_create(workers, batch_size=2000)

    trajectories, slots, skills = [], [], []
    for worker in workers:
        state = rng.random()
        if state < 0.8:  # active, started up to 11 months ago
            start = now - datetime.timedelta(days=rng.randrange(1, 330))
            end = start + datetime.timedelta(days=rng.choice([182, 270, 364]))
            end = max(end, now + datetime.timedelta(days=rng.randrange(3, 60)))
            trajectories.append(Trajectory(organiser_id=worker.organiser_id, worker=worker, start_date=start,
                                           planned_end_date=end, end_date=end, max_end_date=None if worker.ex_pwa
                                           else max(end, start + datetime.timedelta(days=364)),
                                           evaluation_due_on=start + datetime.timedelta(days=182)))
        elif state < 0.93:  # ended
            start = now - datetime.timedelta(days=rng.randrange(200, 700))
            ended = start + datetime.timedelta(days=rng.randrange(30, 180))
            trajectories.append(Trajectory(organiser_id=worker.organiser_id, worker=worker, start_date=start,
                                           planned_end_date=start + datetime.timedelta(days=182),
                                           end_date=start + datetime.timedelta(days=182), status="ended",
                                           ended_on=ended, outflow_reason="werk",
                                           evaluation_due_on=start + datetime.timedelta(days=182)))
        for weekday, part in rng.sample([(d, p) for d in range(6) for p in PARTS], rng.randrange(3, 9)):
            slots.append(Availability(worker=worker, weekday=weekday, part=part))
        for main in rng.sample(mains, rng.randrange(1, 4)):
            skills.append(WorkerActivity(worker=worker, activity=main.code, kind=rng.choice(["skill", "interest"])))
    Trajectory.objects.bulk_create(trajectories, batch_size=2000)
    Availability.objects.bulk_create(slots, batch_size=5000)
    WorkerActivity.objects.bulk_create(skills, batch_size=5000)

    # One in five workers has an assignment with a client of their organiser, with prestaties this year.
    activity_of = {}
    for activity in activities:
        activity_of.setdefault(activity.organiser_id, []).append(activity)
    clients_of = {}
    for client in clients:
        clients_of.setdefault(client.organiser_id, []).append(client)
    working = [w for w in workers if rng.random() < 0.2] if clients else []
    requests = []
    for worker in working:
        client = rng.choice(clients_of[worker.organiser_id][:300])  # some clients get several workers
        requests.append(HelpRequest(
            organiser_id=worker.organiser_id, client=client, activity=rng.choice(activity_of[worker.organiser_id]),
            description="Bench", street="Straat 1", postcode="3000", city=client.city,
            municipality=client.municipality, schedule="recurring", start_date=now - datetime.timedelta(days=120),
            end_date=now + datetime.timedelta(days=60), weekdays=[1, 3], time_from=datetime.time(9),
            time_until=datetime.time(12), hours_per_week=Decimal("6"), status="toegewezen"))
    HelpRequest.objects.bulk_create(requests, batch_size=2000)
    assignments = [Assignment(
        organiser_id=r.organiser_id, request=r, worker=w, client=r.client, activity=r.activity,
        municipality=r.municipality, schedule="weekly", weekdays=[1, 3], time_from=r.time_from,
        time_until=r.time_until, hours_per_week=r.hours_per_week, start_date=r.start_date, end_date=r.end_date)
        for r, w in zip(requests, working, strict=True)]
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    prestaties = []
    for assignment in assignments:
        for k in range(rng.randrange(3, 12)):
            day = now - datetime.timedelta(days=3 + 7 * k)
            if day.year != now.year:
                continue
            prestaties.append(Prestatie(
                organiser_id=assignment.organiser_id, assignment=assignment, worker_id=assignment.worker_id,
                client_id=assignment.client_id, date=day, start_time=datetime.time(9), end_time=datetime.time(12),
                minutes=180, cheques=3, status=rng.choice(["geregistreerd", "gevalideerd", "bevestigd"])))
    Prestatie.objects.bulk_create(prestaties, batch_size=5000)
    return len(workers), len(clients), len(assignments), len(prestaties)


def measuring_requests(organisers, by_organiser):
    """One request per measured organiser: a client they worked for, twice a week, in the coming weeks."""
    from assignments.models import Activity, Assignment, Client, HelpRequest
    from wijkwerken.core.dates import today

    start = today() + datetime.timedelta(days=10)
    made = []
    for organiser in organisers:
        assignment = Assignment.objects.filter(organiser=organiser).order_by("pk").first()
        client = assignment.client if assignment else Client.objects.filter(organiser=organiser).first()
        activity = Activity.objects.filter(organiser=organiser, main_activity__code="klein-tuinonderhoud").first()
        made.append(HelpRequest.objects.create(
            organiser=organiser, client=client, activity=activity, description="Meting", street="Straat 1",
            postcode="3000", city=client.city, municipality=client.municipality, schedule="recurring",
            start_date=start, end_date=start + datetime.timedelta(days=180), weekdays=[0, 3],
            time_from=datetime.time(13), time_until=datetime.time(16), hours_per_week=Decimal("6")))
    return made


def measure(requests, runs, ranking="sql"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assignments.models import HelpRequest
    from assignments.selectors.matching import candidates_for, candidates_ranked_in_python

    rank = candidates_for if ranking == "sql" else candidates_ranked_in_python

    times, queries, sizes = [], [], []
    for help_request in requests:
        user = SimpleNamespace(organiser_id=help_request.organiser_id)
        for run in range(runs + 1):
            # Fetched as the view does (scoped selector with select_related), inside the timing.
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                fresh = HelpRequest.objects.select_related(
                    "client", "activity__main_activity", "municipality", "organiser").get(pk=help_request.pk)
                found = rank(help_request=fresh, user=user)
            elapsed = time.perf_counter() - started
            if run:  # the first run warms caches
                times.append(elapsed)
                queries.append(len(captured))
        sizes.append(getattr(found, "total", len(found)))
    return statistics.median(times), max(queries), min(queries), statistics.mean(sizes)


def analyse():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def counts():
    from assignments.models import Assignment, Client, Prestatie
    from workers.models import Worker

    return Worker.objects.count(), Client.objects.count(), Assignment.objects.count(), Prestatie.objects.count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(2026)
    total = time.perf_counter()
    recreate_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    organisers, by_organiser, mains = base_data()
    fill_organisers(organisers[:FIRST_PHASE], by_organiser, mains, rng, 0)
    analyse()
    print(f"phase 1 generated in {time.perf_counter() - started:.0f} s: "
          "{:,} workers, {:,} clients, {:,} assignments, {:,} prestaties".format(*counts()))
    requests = measuring_requests(organisers[:FIRST_PHASE], by_organiser)
    small = measure(requests, args.runs)
    small_python = measure(requests, args.runs, "python")
    started = time.perf_counter()
    for chunk in range(FIRST_PHASE, ORGANISERS, 6):
        fill_organisers(organisers[chunk:chunk + 6], by_organiser, mains, rng, chunk)
    analyse()
    print(f"phase 2 generated in {time.perf_counter() - started:.0f} s: "
          "{:,} workers, {:,} clients, {:,} assignments, {:,} prestaties".format(*counts()))
    large = measure(requests, args.runs)
    large_python = measure(requests, args.runs, "python")
    # For information, not a target: the work per request follows the size of the organiser's own pool.
    fill_organisers(organisers[:1], by_organiser, mains, rng, ORGANISERS + 1, workers_per_organiser=1500,
                    clients_per_organiser=0)
    analyse()
    bigger = measure(requests[:1], args.runs)
    bigger_python = measure(requests[:1], args.runs, "python")
    print()
    print(f"{'ranking':>8} {'workers':>8} {'median ms':>10} {'queries':>8} {'candidates per request':>24}")
    for ranking, label, (median, most, least, size) in (
            ("python", "2,000", small_python), ("python", "20,000", large_python),
            ("sql", "2,000", small), ("sql", "20,000", large)):
        print(f"{ranking:>8} {label:>8} {median * 1000:>10.1f} {f'{least}–{most}' if least != most else most:>8} "
              f"{size:>24.0f}")
    for ranking, (median, most, _least, size) in (("python", bigger_python), ("sql", bigger)):
        print(f"\n{ranking}: one organiser grown from {WORKERS_PER_ORGANISER} to {WORKERS_PER_ORGANISER + 1500} "
              f"workers: {median * 1000:.1f} ms, {most} queries, {size:.0f} candidates")
    ratio = large[0] / small[0]
    print(f"\ntime 20,000 / 2,000 = {ratio:.2f} (target ≤ 2), queries {small[1]} → {large[1]} (target: no growth)")
    print(f"total {time.perf_counter() - total:.0f} s")
    return 0 if ratio <= 2 and large[1] <= small[1] else 1


if __name__ == "__main__":
    sys.exit(main())
