"""A small hand-built world whose every figure is known, for the reports of 2025 (compared with 2024).

Leuven and Herent belong to the organiser; Gent to another organiser, whose rows must never count. Written with the
ORM straight into the tables (every row satisfies the models' constraints and triggers), so each number below can
be checked by hand. What the reports of Leuven 2025 must say is in `LEUVEN_2025` and `LEUVEN_2024`.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from assignments.models import (
    Activity,
    Assignment,
    AssignmentSchedule,
    ClientCategory,
    ClientStatus,
    FeeStatus,
    MainActivity,
    Prestatie,
    PrestatieStatus,
    RegistrationFee,
    ScheduleKind,
)
from cheques.models import (
    Cheque,
    ChequeKind,
    ChequeOrder,
    ChequeStatus,
    ClientCredit,
    CreditKind,
    OrderStatus,
    RefundBatch,
)
from tests.assignments.factories import ClientFactory, HelpRequestFactory
from tests.workers.factories import WorkerFactory
from workers.models import FollowUp, OutflowReason, Referral, Trajectory, TrajectoryStatus

BRUSSELS = ZoneInfo("Europe/Brussels")
D = datetime.date
_serials = itertools.count(1)
_communications = itertools.count(1)


def at(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


@dataclass
class World:
    organiser: object
    leuven: object
    herent: object
    clients: dict = field(default_factory=dict)
    workers: dict = field(default_factory=dict)
    prestaties: dict = field(default_factory=dict)


def _activity(organiser, main_name, name, category):
    main, _created = MainActivity.objects.get_or_create(name=main_name, defaults={
        "code": main_name.lower().replace(" ", "-")})
    return Activity.objects.create(organiser=organiser, category=category, main_activity=main, name=name,
                                   valid_from=D(2018, 1, 1))


def _client(municipality, category, *, activated_on, stopped_on=None, **kwargs):
    status = ClientStatus.STOPPED if stopped_on else ClientStatus.ACTIVE
    return ClientFactory(municipality=municipality, category=category, status=status,
                         agreement_signed_on=activated_on, activated_on=activated_on, stopped_on=stopped_on,
                         stop_reason="Verhuisd" if stopped_on else "", **kwargs)


def _trajectory(worker, start, *, ended_on=None, reason=""):
    end = ended_on or start + datetime.timedelta(days=364)
    return Trajectory.objects.create(
        organiser=worker.organiser, worker=worker, start_date=start, planned_end_date=end, end_date=end,
        max_end_date=None if worker.ex_pwa else start + datetime.timedelta(days=365), evaluation_due_on=start,
        status=TrajectoryStatus.ENDED if ended_on else TrajectoryStatus.ACTIVE, ended_on=ended_on,
        outflow_reason=reason)


def _worker(organiser, municipality, *, start, referral=Referral.VDAB, ex_pwa=False, **trajectory):
    worker = WorkerFactory(organiser=organiser, municipality=municipality, referral=referral, ex_pwa=ex_pwa)
    _trajectory(worker, start, **trajectory)
    return worker


def _assignment(worker, client, activity, municipality):
    request = HelpRequestFactory(client=client, activity=activity, schedule=ScheduleKind.RECURRING,
                                 start_date=D(2024, 1, 1), end_date=D(2026, 12, 31), weekdays=[0],
                                 hours_per_week=Decimal("2"), municipality=municipality)
    return Assignment.objects.create(
        organiser=client.organiser, request=request, worker=worker, client=client, activity=activity,
        municipality=municipality, schedule=AssignmentSchedule.WEEKLY, weekdays=[0], start_date=D(2024, 1, 1),
        end_date=D(2026, 12, 31))


def _prestatie(assignment, day, minutes, status=PrestatieStatus.CONFIRMED):
    start = datetime.time(9, 0)
    end = (datetime.datetime.combine(day, start) + datetime.timedelta(minutes=minutes)).time()
    return Prestatie.objects.create(
        organiser=assignment.organiser, assignment=assignment, worker=assignment.worker, client=assignment.client,
        date=day, start_time=start, end_time=end, minutes=minutes, cheques=-(-minutes // 60), status=status)


def _order(client, quantity, price, day):
    communication = f"{800000000000 + next(_communications):012d}"
    amount = price * quantity
    return ChequeOrder.objects.create(
        organiser=client.organiser, client=client, structured_communication=communication, quantity=quantity,
        cheque_price=price, cheques_amount=amount, total=amount, amount_paid=amount, status=OrderStatus.PAID,
        ordered_on=day, due_on=day, cancel_after=day, paid_on=day, cheques_issued_at=at(day.year, day.month,
                                                                                            day.day, 10))


def cheques_for(client, quantity, price, day, *, paper=False, status=ChequeStatus.AVAILABLE):
    order = None if paper else _order(client, quantity, price, day)
    made = []
    for sequence in range(1, quantity + 1):
        made.append(Cheque.objects.create(
            organiser=client.organiser, client=client, order=order, sequence=None if paper else sequence,
            serial=f"T{next(_serials):08d}", kind=ChequeKind.PAPER if paper else ChequeKind.ELECTRONIC,
            value=price, issued_on=day, expires_on=day.replace(year=day.year + 1), status=status))
    return made


def redeem(cheque, prestatie, moment):
    Cheque.objects.filter(pk=cheque.pk).update(status=ChequeStatus.REDEEMED, prestatie=prestatie,
                                               redeemed_at=moment)


def _fee(client, year, day):
    return RegistrationFee.objects.create(client=client, year=year, amount=Decimal("7.50"), status=FeeStatus.PAID,
                                          paid_on=day)


def build(organiser, leuven, herent, other_organiser) -> World:
    world = World(organiser, leuven, herent)
    P, LB = ClientCategory.PARTICULIER, ClientCategory.LOKAAL_BESTUUR
    mowing = _activity(organiser, "Klein tuinonderhoud", "Gras maaien", P)
    painting = _activity(organiser, "Kleine herstellingswerken", "Schilderen", LB)

    # Workers, by where they live.
    w = world.workers
    w["pwa"] = _worker(organiser, leuven, start=D(2024, 3, 1), ex_pwa=True)  # active in 2024 and 2025
    w["ended"] = _worker(organiser, leuven, start=D(2025, 2, 1), referral=Referral.OCMW, ended_on=D(2025, 8, 31),
                         reason=OutflowReason.WORK)
    w["new"] = _worker(organiser, leuven, start=D(2025, 6, 1))
    for index in range(5):  # five more in Leuven, new in 2025
        w[f"more{index}"] = _worker(organiser, leuven, start=D(2025, 1, 1))
    w["old"] = _worker(organiser, leuven, start=D(2023, 9, 1), ended_on=D(2024, 6, 30),
                       reason=OutflowReason.TRAINING)  # ended in 2024: not active in 2025
    w["herent"] = _worker(organiser, herent, start=D(2025, 1, 10))
    trajectory = w["ended"].trajectories.get()
    FollowUp.objects.create(trajectory=trajectory, months_after=3, due_on=D(2025, 11, 30), done_on=D(2025, 12, 1),
                            situation=OutflowReason.WORK)
    FollowUp.objects.create(trajectory=trajectory, months_after=6, due_on=D(2026, 2, 28))
    other_worker = _worker(other_organiser, other_organiser.municipalities.first(), start=D(2025, 1, 1))

    # Clients, by where they live.
    c = world.clients
    c["c1"] = _client(leuven, P, activated_on=D(2024, 5, 1))
    c["c2"] = _client(leuven, P, activated_on=D(2025, 3, 1))
    c["town"] = _client(leuven, LB, activated_on=D(2025, 1, 15))  # Leuven's own services
    c["gone"] = _client(leuven, ClientCategory.VZW, activated_on=D(2023, 1, 1), stopped_on=D(2024, 12, 31))
    c["c6"] = _client(leuven, P, activated_on=D(2025, 1, 1))
    c["herent"] = _client(herent, P, activated_on=D(2025, 1, 1))
    other_client = _client(other_organiser.municipalities.first(), P, activated_on=D(2025, 1, 1))

    # Hours, where the work was done.
    a1 = _assignment(w["pwa"], c["c1"], mowing, leuven)
    p = world.prestaties
    p["jan"] = _prestatie(a1, D(2025, 1, 31), 90)
    p["dst"] = _prestatie(a1, D(2025, 3, 30), 60)  # the spring DST switch
    p["newyear"] = _prestatie(a1, D(2025, 12, 31), 61, PrestatieStatus.VALIDATED)  # 61 minutes: 2 cheques
    p["leap"] = _prestatie(a1, D(2024, 2, 29), 120)  # the previous period
    _prestatie(a1, D(2025, 6, 10), 45, PrestatieStatus.CANCELLED)  # cancelled: not counted
    _prestatie(a1, D(2026, 1, 1), 60)  # after the period
    a2 = _assignment(w["new"], c["town"], painting, leuven)
    p["town"] = _prestatie(a2, D(2025, 7, 15), 180)
    a3 = _assignment(w["herent"], c["herent"], mowing, herent)
    p["herent"] = _prestatie(a3, D(2025, 5, 5), 120)
    other_activity = _activity(other_organiser, "Klein tuinonderhoud", "Gras maaien", P)
    other_assignment = _assignment(other_worker, other_client, other_activity, other_organiser.municipalities.first())
    _prestatie(other_assignment, D(2025, 4, 1), 600)

    # Cheques, by where the client lives.
    c1 = cheques_for(c["c1"], 10, Decimal("6.45"), D(2025, 1, 10))
    redeem(c1[0], p["jan"], at(2025, 1, 31, 20))
    redeem(c1[1], p["jan"], at(2025, 1, 31, 20))
    redeem(c1[2], p["dst"], at(2025, 3, 30, 0, 30))
    redeem(c1[3], p["newyear"], at(2025, 12, 31, 23, 30))
    redeem(c1[4], p["newyear"], at(2026, 1, 1, 0, 15))  # 31 December 23:15 UTC: a cheque of 2026
    cheques_for(c["c1"], 1, Decimal("5.95"), D(2024, 6, 1), paper=True, status=ChequeStatus.EXPIRED)
    c6 = cheques_for(c["c6"], 4, Decimal("6.45"), D(2025, 11, 5))
    Cheque.objects.filter(pk=c6[0].pk).update(status=ChequeStatus.REFUNDED)
    cheques_for(c["town"], 20, Decimal("6.45"), D(2025, 1, 20))
    cheques_for(c["herent"], 5, Decimal("5.95"), D(2025, 2, 1))
    cheques_for(other_client, 50, Decimal("5.95"), D(2025, 2, 1))

    # A refund of credit, and registration fees.
    ClientCredit.objects.create(organiser=organiser, client=c["c1"], amount=Decimal("10.00"),
                                kind=CreditKind.OVERPAYMENT)
    batch = RefundBatch.objects.create(organiser=organiser, number=1, message_id="TEST-REFUND-1",
                                       execution_date=D(2025, 9, 1), total=Decimal("10.00"), count=1,
                                       file="refund_batches/test.xml")
    ClientCredit.objects.create(organiser=organiser, client=c["c1"], amount=Decimal("-10.00"),
                                kind=CreditKind.REFUNDED, refund_batch=batch, refund_iban="BE62510007547061")
    _fee(c["c1"], 2024, D(2024, 5, 1))
    _fee(c["c1"], 2025, D(2025, 1, 10))
    _fee(c["c2"], 2025, D(2025, 3, 1))
    return world


H = Decimal

# The figures of Leuven for 2025 and for 2024, as every format must show them (exact numbers).
LEUVEN_2025 = {
    "hours": H("6.52"),  # 90 + 60 + 61 + 180 minutes = 391 minutes
    "own_services": H("3.00"),
    "prestaties": 4,
    "months": {1: H("1.50"), 3: H("1.00"), 7: H("3.00"), 12: H("1.02")},
    "categories": {"particulier": H("3.52"), "lokaal_bestuur": H("3.00")},
    "activities": {("Klein tuinonderhoud", "Gras maaien"): H("3.52"),
                   ("Kleine herstellingswerken", "Schilderen"): H("3.00")},
    "workers_active": 8, "workers_vdab": 7, "workers_ocmw": 1, "workers_ex_pwa": 1, "workers_new": 7,
    "ended": 1, "ended_work": 1, "follow_up_3_work": 1,
    "clients_active": 4, "clients_new": 3,  # c1, c2, town, c6 active; c2, town, c6 new
    "sold": 34, "sold_euro": H("219.30"), "redeemed": 4, "redeemed_euro": H("25.80"),
    "expired": 1, "expired_euro": H("5.95"), "refunded_clients": 1, "refunded_euro": H("10.00"),
    "fees": 2, "fees_euro": H("15.00"),
}
LEUVEN_2024 = {
    "hours": H("2.00"), "prestaties": 1, "workers_active": 2, "workers_new": 1, "ended": 1,
    "clients_active": 2, "clients_new": 1, "sold": 1, "sold_euro": H("5.95"), "fees": 1, "fees_euro": H("7.50"),
}
# Fiscal attests of 2025: what each private client paid for cheques in 2025.
ATTESTS_2025 = {"c1": (10, H("64.50")), "c6": (3, H("19.35")), "herent": (5, H("29.75"))}
