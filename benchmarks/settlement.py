"""Benchmark: settling 10,000 confirmed prestaties from the clients' wallets (flow 6). Target: set-based
batches — a bounded number of queries per batch of clients, never one query per cheque.

    createdb -h 127.0.0.1 -U postgres ww_bench_settle
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench_settle .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ww_bench_settle .venv/bin/python benchmarks/settlement.py [n]

Needs a migrated database (PostgreSQL for real figures). Everything it creates is rolled back at the end.
The data: 1,000 clients with 10 confirmed prestaties each (1 to 3 cheques: 60, 120 or 150 minutes); nine in
ten clients have enough cheques (with spare ones expiring at different dates), one in ten falls short, so its
younger hours wait as "te betalen" and its contacts would be notified. The prestaties share one assignment
(the settlement reads only the prestatie's client and cheques).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assignments.models import Assignment, Client, HelpRequest, Prestatie, PrestatieStatus  # noqa: E402
from assignments.services.activities import activity_list_seed  # noqa: E402
from assignments.services.clients import structured_communication_for  # noqa: E402
from cheques.models import Cheque, ChequeKind, ChequeStatus, Settlement, SettlementStatus  # noqa: E402
from cheques.services import settlement  # noqa: E402
from wijkwerken.core.dates import today  # noqa: E402
from wijkwerken.core.models import Municipality, Organiser, RuleSet  # noqa: E402
from wijkwerken.core.municipalities import sync_flemish_municipalities  # noqa: E402
from workers.models import Worker  # noqa: E402

PER_CLIENT = 10
MINUTES = (60, 120, 150)


class Rollback(Exception):
    pass


def _kbo(n: int) -> str:
    from stdnum.be import vat

    base = f"0{7000000 + n:07d}"
    return next(base + f"{c:02d}" for c in range(100) if vat.is_valid(base + f"{c:02d}"))


def _national_number(n: int) -> str:
    from stdnum.be import nn

    base = f"850730{(n % 997) + 1:03d}"
    return next(base + f"{c:02d}" for c in range(100) if nn.is_valid(base + f"{c:02d}"))


def setup(prestaties: int):
    from wijkwerken.core.models import PostalCode

    if not Municipality.objects.filter(nis_code="24062").exists():
        sync_flemish_municipalities(Municipality, PostalCode)
    organiser = Organiser.objects.create(name="Benchmark", street="Straat 1", postcode="3000", city="Leuven",
                                         kbo_number=_kbo(1), iban="BE71096123456769", bic="GKCCBEBB",
                                         email="bench@example.test")
    RuleSet.objects.create(organiser=organiser, valid_from="2018-01-01")
    municipality = Municipality.objects.get(nis_code="24062")
    Municipality.objects.filter(pk=municipality.pk).update(organiser=organiser)
    activity_list_seed(organiser=organiser)
    first = (Client.objects.order_by("-number").values_list("number", flat=True).first() or 100000) + 1000
    clients = Client.objects.bulk_create([
        Client(organiser=organiser, number=first + i, structured_communication=structured_communication_for(first + i),
               category="vzw", name=f"Vzw Bench {i}", kbo_number=_kbo(10 + i), street="Straat 1", postcode="3000",
               city="Leuven", municipality=municipality, status="actief", agreement_signed_on=today())
        for i in range(max(prestaties // PER_CLIENT, 1))])
    worker = Worker.objects.create(
        organiser=organiser, municipality=municipality, first_name="Bench", last_name="Werker",
        national_number=_national_number(1), street="Straat 1", postcode="3000", city="Leuven",
        referral="vdab", referrer_name="Bench", referral_date=today(), consent_signed_on=today())
    activity = organiser.activities.filter(category="vzw").first() or organiser.activities.first()
    start = today() - datetime.timedelta(days=60)
    request = HelpRequest.objects.create(
        organiser=organiser, client=clients[0], activity=activity, municipality=municipality, description="Bench",
        street="Straat 1", postcode="3000", city="Leuven", schedule="recurring", start_date=start, end_date=today(),
        weekdays=[0, 1, 2, 3, 4], hours_per_week=5, status="toegewezen")
    assignment = Assignment.objects.create(
        organiser=organiser, request=request, worker=worker, client=clients[0], activity=activity,
        municipality=municipality, schedule="weekly", weekdays=[0, 1, 2, 3, 4], start_date=start, end_date=today())
    rows, cheques, serial = [], [], 0
    for c, client in enumerate(clients):
        needed = 0
        for k in range(PER_CLIENT):
            minutes = MINUTES[(c + k) % 3]
            end = (datetime.datetime.combine(today(), datetime.time(9)) + datetime.timedelta(minutes=minutes)).time()
            count = -(-minutes // 60)
            needed += count
            rows.append(Prestatie(organiser=organiser, assignment=assignment, worker=worker, client=client,
                                  date=start + datetime.timedelta(days=k * 5), start_time=datetime.time(9),
                                  end_time=end, minutes=minutes, cheques=count, status=PrestatieStatus.CONFIRMED))
        in_wallet = needed + 5 if c % 10 else needed // 2
        for n in range(in_wallet):
            serial += 1
            cheques.append(Cheque(organiser=organiser, client=client, serial=f"BENCH{serial:09d}",
                                  kind=ChequeKind.PAPER, value="9.00", issued_on=start,
                                  expires_on=today() + datetime.timedelta(days=30 + (n * 37) % 300)))
    Prestatie.objects.bulk_create(rows, batch_size=5000)
    Cheque.objects.bulk_create(cheques, batch_size=5000)
    return organiser, [p.pk for p in rows], len(cheques)


def main():
    prestaties = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    try:
        with transaction.atomic():
            organiser, ids, in_wallets = setup(prestaties)
            batches = -(-len({*Prestatie.objects.filter(pk__in=ids).values_list("client_id", flat=True)})
                        // settlement.CLIENTS_PER_BATCH)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = settlement.prestaties_settle(prestatie_ids=ids)
                seconds = time.perf_counter() - start
            with CaptureQueriesContext(connection) as again:
                start = time.perf_counter()
                second = settlement.prestaties_settle(prestatie_ids=ids)
                again_seconds = time.perf_counter() - start
            redeemed = Cheque.objects.filter(organiser=organiser, status=ChequeStatus.REDEEMED).count()
            paid = Settlement.objects.filter(organiser=organiser, status=SettlementStatus.PAID).count()
            waiting = Settlement.objects.filter(organiser=organiser, status=SettlementStatus.WAITING).count()
            raise Rollback
    except Rollback:
        pass
    print(f"{len(ids)} confirmed prestaties, {in_wallets} cheques in {len(ids) // PER_CLIENT} wallets "
          f"({connection.vendor})")
    print(f"settle: {seconds:.2f} s, {len(queries)} queries in {batches} batches "
          f"({len(queries) / batches:.1f} per batch of {settlement.CLIENTS_PER_BATCH} clients); "
          f"{result.paid} paid with {result.cheques_used} cheques, {result.waiting} waiting")
    print(f"check: {redeemed} cheques redeemed, {paid} settlements paid, {waiting} waiting")
    print(f"again (idempotent): {again_seconds:.2f} s, {len(again)} queries, {second.paid} paid, "
          f"{second.cheques_used} cheques")


if __name__ == "__main__":
    main()
