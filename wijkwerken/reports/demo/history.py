"""Demo data: a lived-in last year, so last year's reports and fiscal attests have real figures in every section.

Fourteen wijk-werkers (most of them living in Leuven, the demo gemeente's municipality) whose trajectories ran in
last year — some entered the year before, some ended with an outflow reason and were followed up, one ex-PWA —
work for a dozen clients (Leuven's own services, a school, a vzw, a farm, private persons, the demo account
gebruiker@demo.wijkwerken.be) one or two mornings a week. The clients registered and paid their fee in that
year, ordered cheques every quarter and paid them by bank transfer (imported statements), the confirmed hours
were paid with those cheques, cheques bought the year before expired unused, one client who paid twice was
refunded, and the year's hours were paid out to the workers.

Through the services, with the dates passed explicitly: workers, trajectories, follow-ups, clients, fees,
assignments, every prestatie (so the caps, the trajectories and the overlap rules hold), orders, the payments
(statements dated in last year), the cheques issued on the payment day, expiry, the refund (made on a day of last
year) and the payout. Some services only know today; there the demo writes what the service would have written
on that day, set-based: an early end of a trajectory entered afterwards (the service ends such a trajectory at
its term), the moment a client became active, the validation, confirmation and settlement of last year's hours
(a settlement takes the cheques valid on the day it runs, so today's run could not use last year's cheques), the
order dates. The payout of last year's hours is one run made today (a payout is never dated in the past), and
the notifications the services sent along the way are last year's news and left out.

Safe to run again: nothing is added when the first history worker exists (the demo runs in one transaction).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max, Min
from django.utils import timezone

from assignments.demo import _register
from assignments.models import (
    Client,
    ClientCategory,
    HelpRequest,
    Prestatie,
    PrestatieStatus,
    RequestStatus,
    ScheduleKind,
)
from assignments.selectors import activities_allowed_for
from assignments.services import (
    assignment_create,
    assignment_end,
    client_sign_agreement,
    prestatie_register,
    registration_fee_ensure,
    registration_fee_mark_paid,
)
from cheques.bank.samples import SampleLine, build_coda
from cheques.demo import _iban
from cheques.models import Cheque, ChequeOrder, ChequeStatus, Settlement, SettlementStatus
from cheques.models.orders import MAX_ORDER_QUANTITY, MIN_ORDER_QUANTITY
from cheques.services.bank_import import bank_import_create, bank_import_process
from cheques.services.cheques import cheques_issue_for_orders
from cheques.services.expiry import cheques_expire
from cheques.services.orders import cheque_order_create
from cheques.services.payouts import payout_batch_confirm, payout_preview
from cheques.services.refunds import refund_batch_create
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.models import Notification
from workers.demo import _create as worker_create_demo
from workers.demo import demo_national_number
from workers.models import FollowUp, OutflowReason, Trajectory, TrajectoryStatus, Worker
from workers.services import follow_up_record, trajectory_end, trajectory_start, worker_update

DAY = datetime.timedelta(days=1)
DEMO_CLIENT_EMAIL = "gebruiker@demo.wijkwerken.be"
FIRST_WORKER_INDEX = 40  # the workers demo numbers its people 0–29
HISTORY_IMPORT_PREFIX = "demo-historiek-"


@dataclass(frozen=True)
class Story:
    """One history worker: where they live, when the trajectory started and how it ended (months are relative to
    last year: -1 is the year before, 1 is the year after)."""

    first_name: str
    last_name: str
    city: str
    start: tuple  # (year offset, month, day)
    ended: tuple | None = None  # (year offset, month, day) of an early end, with `reason`
    reason: str = OutflowReason.TERM_ENDED
    referral: str = "vdab"
    ex_pwa: bool = False


STORIES = [
    Story("Hanne", "Verhaegen", "Leuven", (-1, 9, 1)),
    Story("Ruben", "Celis", "Kessel-Lo", (-1, 11, 4), (0, 6, 20), OutflowReason.WORK),
    Story("Sarah", "Lenaerts", "Heverlee", (0, 1, 13)),
    Story("Mehdi", "Bouzid", "Kessel-Lo", (0, 2, 3), (0, 9, 15), OutflowReason.TRAINING, referral="ocmw"),
    Story("Annelies", "Wuyts", "Wilsele", (0, 3, 3), (0, 10, 31), OutflowReason.WORK_CARE),
    Story("Jonas", "Stevens", "Leuven", (0, 4, 7), (0, 11, 28), OutflowReason.WORK),
    Story("Emma", "Baeten", "Heverlee", (0, 5, 5)),
    Story("Youssef", "Tahiri", "Kessel-Lo", (0, 6, 2), (0, 11, 14), OutflowReason.ILLNESS, referral="ocmw"),
    Story("Lieve", "Cools", "Leuven", (-1, 3, 3), ex_pwa=True),
    Story("Marc", "Van Hoof", "Herent", (0, 1, 20), (0, 7, 31), OutflowReason.WORK),
    Story("Inge", "Vos", "Bertem", (0, 3, 17)),
    Story("Bilal", "Chaouch", "Wilsele", (0, 9, 1), referral="ocmw"),
    Story("Katrien", "Geerts", "Leuven", (0, 10, 6), (1, 4, 30), OutflowReason.INTERNSHIP),
    Story("Tim", "Hendrickx", "Heverlee", (-1, 6, 3)),
]
# What the follow-ups found, in turn.
FOLLOW_UP_FINDINGS = [OutflowReason.WORK, OutflowReason.TRAINING, OutflowReason.WORK, OutflowReason.STOPPED,
                      OutflowReason.WORK_CARE, OutflowReason.OTHER]

# (category, name or (first name, last name), municipality NIS, registered (year offset, month, day))
CLIENTS = [
    (ClientCategory.LOKAAL_BESTUUR, "Stad Leuven, dienst feestelijkheden", "24062", (-1, 8, 19)),
    (ClientCategory.ONDERWIJS, "Basisschool Sint-Martinus Kessel-Lo", "24062", (-1, 9, 2)),
    (ClientCategory.VZW, "Vzw Dierenasiel De Dijlevallei", "24062", (0, 1, 8)),
    (ClientCategory.LAND_TUINBOUW, "Boomgaard Heverlee bv", "24062", (0, 2, 24)),
    (ClientCategory.ONDERWIJS, "Gemeentelijke basisschool Herent-Centrum", "24038", (0, 1, 6)),
    (ClientCategory.PARTICULIER, ("Germaine", "Van Roey"), "24062", (-1, 10, 1)),
    (ClientCategory.PARTICULIER, ("Julien", "Dewit"), "24062", (0, 1, 27)),
    (ClientCategory.PARTICULIER, ("Paula", "Moens"), "24062", (-1, 4, 14)),
    (ClientCategory.PARTICULIER, ("Lucien", "Verhulst"), "24062", (0, 4, 1)),
    (ClientCategory.PARTICULIER, ("Odette", "Wijns"), "24062", (0, 6, 3)),
    (ClientCategory.PARTICULIER, ("Raymond", "Beckers"), "24009", (0, 2, 10)),
]
GREET_REGISTERED = (0, 2, 10)

# (worker index in STORIES, client index in CLIENTS or "demo", weekdays, start hour, minutes, every n weeks):
# organisations weekly, most private persons every other week.
PLACEMENTS = [
    (0, 0, [3], 9, 240, 1), (1, 1, [1], 8, 180, 1), (2, 5, [2], 9, 150, 2), (2, 2, [4], 13, 180, 1),
    (3, 3, [0], 8, 240, 1), (4, 6, [1], 9, 150, 2), (4, 0, [3], 9, 180, 1), (5, 2, [0], 13, 180, 1),
    (6, 7, [3], 9, 150, 2), (6, 1, [1], 13, 150, 1), (7, 8, [4], 9, 150, 2), (8, 9, [0], 9, 150, 2),
    (8, "demo", [2], 10, 150, 1), (9, 4, [1], 8, 240, 1), (10, 10, [2], 9, 180, 2), (11, 3, [1, 4], 8, 240, 1),
    (12, 0, [2], 13, 180, 1), (13, 5, [4], 9, 150, 2), (13, 2, [1], 9, 150, 1),
]


def _on(year: int, offset_month_day: tuple) -> datetime.date:
    offset, month, day = offset_month_day
    return datetime.date(year + offset, month, day)


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_last_year(organiser, stdout) -> None:
    year = today().year - 1
    if Worker.objects.filter(organiser=organiser,
                             national_number=demo_national_number(FIRST_WORKER_INDEX)).exists():
        stdout.write(f"  history {year}: already there")
        return
    staff = User.objects.filter(organiser=organiser, role=Role.BEMIDDELAAR).order_by("pk").first()
    beheerder = User.objects.filter(organiser=organiser, role=Role.BEHEERDER).order_by("pk").first()
    if staff is None or beheerder is None:
        return
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    workers = _workers(organiser, year, staff)
    clients = _clients(organiser, year, staff)
    prestaties = _placements(organiser, year, workers, clients, staff)
    orders = _orders(organiser, year, clients, staff)
    settled = _settle(clients)
    expired = cheques_expire(on=today())
    refunded = _refund(organiser, year, clients, staff)
    payout = _payout(organiser, year, beheerder)
    # What the services told staff and clients along the way (a trajectory entered afterwards ended, cheques
    # expired) is last year's news, read long ago — and an early end corrected afterwards was told wrongly.
    Notification.objects.filter(pk__gt=last_notification).delete()
    stdout.write(f"  history {year}: {len(workers)} wijk-werkers, {len(clients)} clients, {prestaties} prestaties, "
                 f"{orders} paid orders, {settled} prestaties paid with cheques, {expired} cheques expired, "
                 f"{refunded} refunded, {payout}")


# --- workers ------------------------------------------------------------------------------------------------------

def _workers(organiser, year, staff) -> list[Worker]:
    workers = []
    for offset, story in enumerate(STORIES):
        index = FIRST_WORKER_INDEX + offset
        start = _on(year, story.start)
        worker = worker_create_demo(organiser, index, story.first_name, story.last_name, story.city,
                                    {"referral": story.referral, "ex_pwa": story.ex_pwa, "months_ago": 0},
                                    staff, None)
        worker = worker_update(worker=worker, actor=staff, iban=_iban(700000 + index),
                               referral_date=start - 21 * DAY, consent_signed_on=start - 14 * DAY)
        Worker.objects.filter(pk=worker.pk).update(created_at=_moment(start - 21 * DAY))
        if story.ex_pwa:
            # Ex-PWA: no maximum length; still working today.
            trajectory_start(worker=worker, start_date=start, end_date=add_months(today(), 6), actor=staff)
        else:
            ended = _on(year, story.ended) if story.ended else None
            if ended is not None and ended >= today():
                ended = None  # the demo runs early in the year: that end is still to come
            planned = add_months(start, 6) - DAY
            end_date = None if ended is not None and ended <= planned else add_months(start, 12) - DAY
            trajectory = trajectory_start(worker=worker, start_date=start, end_date=end_date, actor=staff)
            if ended is not None:
                _end_early(trajectory, ended, story.reason, staff)
        workers.append(worker)
    _follow_ups(workers, staff)
    return workers


def _end_early(trajectory: Trajectory, ended_on: datetime.date, reason: str, actor) -> None:
    trajectory.refresh_from_db()
    if trajectory.status == TrajectoryStatus.ACTIVE:
        trajectory_end(trajectory=trajectory, ended_on=ended_on, outflow_reason=reason, actor=actor,
                       note="Demo: einde van het traject")
        return
    # Entered afterwards, the service ended it on its term; it really ended earlier, with this reason.
    Trajectory.objects.filter(pk=trajectory.pk).update(ended_on=ended_on, outflow_reason=reason)
    FollowUp.objects.filter(trajectory=trajectory).delete()
    FollowUp.objects.bulk_create(FollowUp.for_ended_trajectory(trajectory.pk, ended_on))


def _follow_ups(workers, staff) -> None:
    """The follow-ups that fell due up to a week ago were done a few days after their date."""
    due = FollowUp.objects.filter(trajectory__worker__in=workers, done_on__isnull=True,
                                  due_on__lte=today() - 7 * DAY).order_by("due_on", "pk")
    for index, follow_up in enumerate(due):
        follow_up_record(follow_up=follow_up, done_on=follow_up.due_on + (2 + index % 4) * DAY,
                         situation=FOLLOW_UP_FINDINGS[index % len(FOLLOW_UP_FINDINGS)],
                         note="Telefonisch opgevolgd.", actor=staff)


# --- clients ------------------------------------------------------------------------------------------------------

def _clients(organiser, year, staff) -> list[Client]:
    clients = []
    for offset, (category, name, nis, registered) in enumerate(CLIENTS):
        is_person = category == ClientCategory.PARTICULIER
        client, _new = _register(organiser, staff, category=category, index=400 + offset,
                                 name_pair=name if is_person else ("An", "Contact"),
                                 organisation_name="" if is_person else name, nis=nis)
        _activate(client, _on(year, registered), staff)
        client.refresh_from_db()
        clients.append(client)
    demo_client = Client.objects.filter(organiser=organiser, contacts__user__email=DEMO_CLIENT_EMAIL).first()
    if demo_client is not None:
        # The demo account has been a client since last year: its agreement and last year's fee date from then.
        registered = _on(year, GREET_REGISTERED)
        Client.objects.filter(pk=demo_client.pk).update(
            created_at=_moment(registered - 10 * DAY), agreement_signed_on=registered, activated_on=registered)
        fee = registration_fee_ensure(client=demo_client, year=year, actor=staff)
        if not fee.is_paid:
            registration_fee_mark_paid(fee=fee, paid_on=registered + 2 * DAY, actor=staff)
        demo_client.refresh_from_db()
        clients.append(demo_client)
    return clients


def _activate(client, registered: datetime.date, staff) -> None:
    """Registered on `registered`, agreement signed a week later and the fee paid: active from then. The fee of
    each year since is paid in January (this year's fee activates the client today; it was active since)."""
    signed = registered + 7 * DAY
    client_sign_agreement(client=client, signed_on=signed, actor=staff)
    for fee_year in range(registered.year, today().year + 1):
        fee = registration_fee_ensure(client=client, year=fee_year, actor=staff)
        paid_on = signed + 2 * DAY if fee_year == registered.year else datetime.date(fee_year, 1, 12)
        if not fee.is_paid:
            registration_fee_mark_paid(fee=fee, paid_on=min(paid_on, today()), actor=staff)
    Client.objects.filter(pk=client.pk).update(created_at=_moment(registered), activated_on=signed + 2 * DAY)


# --- assignments and hours ----------------------------------------------------------------------------------------

def _placements(organiser, year, workers, clients, staff) -> int:
    made = 0
    first = datetime.date(year - 1, 10, 1)  # the history starts in the last quarter of the year before
    last = datetime.date(year, 12, 31)
    for serial, (worker_index, client_index, weekdays, hour, minutes, every) in enumerate(PLACEMENTS):
        worker = workers[worker_index]
        client = clients[-1] if client_index == "demo" else clients[client_index]
        trajectory = worker.trajectories.order_by("-start_date").first()
        trajectory.refresh_from_db()
        start = max(trajectory.start_date + 7 * DAY, first, client.activated_on)
        end = min(trajectory.last_day, last)
        if end <= start:
            continue
        assignment = _assignment(client, worker, start, end, weekdays, hour, minutes, serial, staff)
        if assignment is None:
            continue
        made += _hours(assignment, weekdays, hour, minutes, every, serial, staff)
        assignment_end(assignment=assignment, reason="Demo: afgelopen", actor=staff)
    _confirm(organiser, staff, until=last)
    return made


def _assignment(client, worker, start, end, weekdays, hour, minutes, serial, staff):
    allowed = [a for a in activities_allowed_for(client=client, on=start)
               if not a.ex_pwa_only or worker.ex_pwa]
    if not allowed:
        return None
    activity = allowed[serial % len(allowed)]
    until = (datetime.datetime.combine(start, datetime.time(hour)) + datetime.timedelta(minutes=minutes)).time()
    help_request = HelpRequest(
        organiser=client.organiser, client=client, activity=activity, municipality=client.municipality,
        description=f"{activity.name} (vaste afspraak)", street=client.street, postcode=client.postcode,
        city=client.city, schedule=ScheduleKind.RECURRING, start_date=start, end_date=end, weekdays=weekdays,
        time_from=datetime.time(hour), time_until=until,
        hours_per_week=(Decimal(minutes * len(weekdays)) / 60).quantize(Decimal("0.1")),
        status=RequestStatus.IN_PROGRESS, created_by=staff,
    )
    help_request.full_clean()
    help_request.save()
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=_moment(start - 14 * DAY))
    return assignment_create(help_request=help_request, worker=worker, actor=staff, start_date=start,
                             end_date=end)


def _hours(assignment, weekdays, hour, minutes, every, serial, staff) -> int:
    """One prestatie per planned day of every `every`th week, except the weeks that fall out (holidays, illness:
    about every seventh week)."""
    made = 0
    day = assignment.start_date
    worker_user = assignment.worker.user or staff
    while day <= min(assignment.end_date, today() - DAY):
        week = day.isocalendar()[1]
        if day.weekday() in weekdays and (week + serial) % 7 and week % every == serial % every:
            length = minutes + (-30, 0, 15, 30)[(day.toordinal() + serial) % 4]
            end = (datetime.datetime.combine(day, datetime.time(hour)) + datetime.timedelta(minutes=length)).time()
            prestatie_register(assignment=assignment, date=day, start_time=datetime.time(hour), end_time=end,
                               actor=worker_user)
            made += 1
        day += DAY
    return made


def _confirm(organiser, staff, *, until) -> None:
    """Validated two working days after the work and confirmed by the client some days later, as it happened."""
    history = Prestatie.objects.filter(organiser=organiser, status=PrestatieStatus.REGISTERED, date__lte=until)
    for day in sorted(set(history.values_list("date", flat=True))):
        history.filter(date=day).update(status=PrestatieStatus.CONFIRMED, validated_by=staff,
                                        validated_at=_moment(day + 2 * DAY, 9),
                                        confirmed_at=_moment(day + 5 * DAY, 18))


# --- cheques ------------------------------------------------------------------------------------------------------

def _orders(organiser, year, clients, staff) -> int:
    """Every quarter each client buys what its hours of the quarter need and a few more, paid some weeks before
    the quarter (not before the client became active). Paula had bought cheques the year before and never used
    them: they expired last year."""
    needs = defaultdict(int)
    for client_id, day, cheques in Prestatie.objects.filter(
            client__in=clients, status=PrestatieStatus.CONFIRMED, date__lte=datetime.date(year, 12, 31)).values_list(
            "client_id", "date", "cheques"):
        needs[(client_id, _quarter_start(day))] += cheques
    plan = defaultdict(list)  # payment day: [(client, quantity)]
    for index, client in enumerate(clients):
        for (client_id, quarter), cheques in sorted(needs.items(), key=lambda item: item[0][1]):
            if client_id == client.pk:
                paid_on = max(quarter - 26 * DAY, client.activated_on + 3 * DAY)
                plan[paid_on].append((client, cheques + 2 + index % 4))
    paula = clients[7]
    plan[paula.activated_on + 3 * DAY].append((paula, 15))
    paid = 0
    for paid_on in sorted(plan):
        orders = []
        for client, quantity in plan[paid_on]:
            for part in _parts(quantity):
                orders.append(cheque_order_create(client=client, quantity=part, actor=staff, confirmation_now=False))
        paid += _pay(organiser, orders, paid_on, staff)
    return paid


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 1 + 3 * ((day.month - 1) // 3), 1)


def _parts(quantity: int) -> list[int]:
    quantity = max(quantity, MIN_ORDER_QUANTITY)
    parts = []
    while quantity > MAX_ORDER_QUANTITY:
        parts.append(MAX_ORDER_QUANTITY)
        quantity -= MAX_ORDER_QUANTITY
    return [*parts, max(quantity, MIN_ORDER_QUANTITY)]


def _pay(organiser, orders, paid_on, staff, *, twice=()) -> int:
    """The transfers of these orders on the statement of `paid_on`, imported as staff would (and some paid twice)."""
    lines = [SampleLine(amount=o.total, payer_name=o.client.name[:35], payer_iban=_iban(o.client.number),
                        communication=o.structured_communication, structured=True, reference=f"HIST{o.pk:08d}")
             for o in [*orders, *twice]]
    content = build_coda(account_iban=organiser.iban, holder=organiser.name, day=paid_on, lines=lines)
    bank_import = bank_import_create(organiser=organiser, actor=staff, uploaded_file=SimpleUploadedFile(
        f"{HISTORY_IMPORT_PREFIX}{paid_on:%Y%m%d}.cod", content))
    bank_import_process(bank_import_id=bank_import.pk)
    ids = [o.pk for o in orders]
    cheques_issue_for_orders(order_ids=ids, actor=staff)
    ordered_on = paid_on - 6 * DAY
    ChequeOrder.objects.filter(pk__in=ids).update(ordered_on=ordered_on, due_on=ordered_on + 14 * DAY,
                                                  cancel_after=ordered_on + 24 * DAY,
                                                  created_at=_moment(ordered_on))
    return len(ids)


def _settle(clients) -> int:
    """Each client's confirmed hours paid, oldest first, on the day they were confirmed, with the cheques valid
    that day, soonest expiry first — what the settlement did then."""
    rows = list(Prestatie.objects.filter(client__in=clients, status=PrestatieStatus.CONFIRMED,
                                         settlement__isnull=True, date__lt=datetime.date(today().year, 1, 1))
                .order_by("client_id", "date", "start_time", "pk")
                .values_list("pk", "client_id", "organiser_id", "cheques", "confirmed_at"))
    wallets = defaultdict(list)
    for cheque in (Cheque.objects.filter(client__in=clients, status=ChequeStatus.AVAILABLE)
                   .order_by("expires_on", "serial").values_list("pk", "client_id", "issued_on", "expires_on")):
        wallets[cheque[1]].append(cheque)
    redemptions = defaultdict(list)
    settlements = []
    for pk, client_id, organiser_id, cheques, confirmed_at in rows:
        day = timezone.localdate(confirmed_at)
        valid = [c for c in wallets[client_id] if c[2] <= day <= c[3]][:cheques]
        if len(valid) < cheques:
            continue  # never in the demo: the quarter's order covers its hours
        for cheque in valid:
            wallets[client_id].remove(cheque)
        redemptions[(pk, confirmed_at)].extend(c[0] for c in valid)
        settlements.append(Settlement(organiser_id=organiser_id, client_id=client_id, prestatie_id=pk,
                                      status=SettlementStatus.PAID, cheques=cheques, paid_at=confirmed_at))
    for (prestatie_id, moment), ids in redemptions.items():
        Cheque.objects.filter(pk__in=ids, status=ChequeStatus.AVAILABLE).update(
            status=ChequeStatus.REDEEMED, redeemed_at=moment, prestatie_id=prestatie_id)
    Settlement.objects.bulk_create(settlements, batch_size=1000)
    return len(settlements)


def _refund(organiser, year, clients, staff) -> str:
    """Julien paid his spring order twice; the credit was refunded to his account."""
    julien = clients[6]
    order = ChequeOrder.objects.filter(client=julien, paid_on__year=year).order_by("paid_on").first()
    if order is None:
        return "nothing"
    paid_again = datetime.date(year, order.paid_on.month, 19)
    _pay(organiser, [], paid_again, staff, twice=[order])
    batch = refund_batch_create(organiser=organiser, client_ids=[julien.pk], actor=staff, on=paid_again + 6 * DAY)
    return f"{batch.total} euro"


def _payout(organiser, year, beheerder) -> str:
    """The workers were paid for last year's hours (one payout for the whole year, on today's date)."""
    month = datetime.date(year, 12, 1)
    preview = payout_preview(organiser=organiser, month=month)
    if not preview.lines:
        return "no payout"
    batch = payout_batch_confirm(organiser=organiser, month=month, fingerprint=preview.fingerprint, actor=beheerder)
    first = Prestatie.objects.filter(payout_items__line__batch=batch).aggregate(first=Min("date"))["first"]
    return f"payout {batch.number} ({first:%m/%Y}–12/{year}): {batch.total} euro"
