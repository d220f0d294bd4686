"""Requests for help, assignments and prestaties.

Assignments are planned in "lanes": a worker has one lane (or two, mornings and afternoons, for the few who work a
lot) per trajectory, and the assignments of a lane follow one another within the trajectory. Two lanes never share
a part of the day, so a worker's prestaties never overlap. When a worker leaves, an organisation's (and some
private clients') recurring work is handed over to another worker who has a free lane soon after; a request
still waiting for someone on the reference day is "in behandeling".

Prestaties are drawn from the schedule (working days, outside suspensions and interim work) with one attendance
probability per organiser that makes the organiser's total come out at its target, and are kept only while the
worker stays under the caps of the rule set valid on the day (60 hours in the calendar month, 630 in the year).
Their status follows their own timeline as the application's jobs and screens would have moved them: registered
a day or two after the work, validated by staff or automatically after N working days, confirmed by the client or
automatically N days later; a few disputed, corrected or cancelled. What happens after the start of the
reference day has not happened yet.
"""

import bisect
import datetime
import functools
import heapq
from dataclasses import dataclass, field
from decimal import Decimal

from assignments.models import (
    Assignment,
    AssignmentStatus,
    ClientCategory,
    HelpRequest,
    Prestatie,
    PrestatieStatus,
    RequestStatus,
    WorkerExclusion,
)
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_working_days, is_working_day
from wijkwerken.core.rules import cheques_for_minutes

from .base import Org, at
from .people import DAY, ClientPlan, TrajectoryPlan, WorkerPlan, days_between, weighted

PARTS = {"morning": (8 * 60, 12 * 60 + 30), "afternoon": (13 * 60, 17 * 60 + 30)}
# Minutes per visit: (minutes, weight). One cheque per started hour, so 90 minutes cost two cheques.
VISITS = ((60, 82), (45, 8), (90, 3), (120, 6), (180, 1))
LONG_VISITS = ((120, 70), (180, 25), (240, 5))
# Which kind of client the next piece of work is for.
DEMAND = ((ClientCategory.PARTICULIER, 62), (ClientCategory.VZW, 10), (ClientCategory.ONDERWIJS, 10),
          (ClientCategory.LOKAAL_BESTUUR, 10), (ClientCategory.LAND_TUINBOUW, 8))
WEEKS = {ClientCategory.PARTICULIER: (4, 26)}
ORGANISATION_WEEKS = (8, 40)
DESCRIPTIONS = ("Hulp gevraagd voor {activity}.", "{activity}: wekelijkse hulp gewenst.",
                "Graag iemand voor {activity}, bij voorkeur vaste persoon.", "{activity} (vaste afspraak).")
END_REASONS = ("Opdracht afgerond", "Opdracht afgerond", "Gebruiker heeft geen hulp meer nodig",
               "Werk is klaar", "Andere planning van de gebruiker")
DISPUTE_REASONS = ("Is vroeger vertrokken dan genoteerd", "Die dag was er niemand", "Uren kloppen niet")
MINUTES_PER_HOUR = 60


@dataclass(slots=True)
class RequestPlan:
    client: ClientPlan
    activity: object
    schedule: str
    start: datetime.date
    end: datetime.date
    weekdays: list
    time_from: datetime.time
    time_until: datetime.time
    hours_per_week: Decimal | None
    created: datetime.datetime
    created_by: int | None
    description: str
    status: str = RequestStatus.ASSIGNED
    assignments: list = field(default_factory=list)
    pk: int = 0


@dataclass(slots=True)
class AssignmentPlan:
    request: RequestPlan
    worker: WorkerPlan
    part: str
    weekdays: list
    time_from: int  # minutes after midnight
    visit: int  # planned minutes per visit
    start: datetime.date
    end: datetime.date
    created_by: int | None
    status: str = AssignmentStatus.ACTIVE
    end_reason: str = ""
    handed_over_from: "AssignmentPlan | None" = None
    paused_from: datetime.date | None = None
    pk: int = 0


@dataclass(slots=True)
class PrestatiePlan:
    assignment: AssignmentPlan
    date: datetime.date
    start: int
    minutes: int
    cheques: int
    status: str
    registered_at: datetime.datetime
    validated_at: datetime.datetime | None = None
    validated_by: int | None = None
    confirmed_at: datetime.datetime | None = None
    confirmed_by: int | None = None
    reminder_at: datetime.datetime | None = None
    corrected: bool = False
    kilometres: Decimal = Decimal("0")  # the round trip; none generated, so no travel allowance is paid
    disputed_at: datetime.datetime | None = None
    dispute_reason: str = ""
    resolution_note: str = ""
    pk: int = 0


def clock(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


class ClientPool:
    """The organiser's clients by category (and municipality), sorted by registration day, to pick one that was
    registered before the work starts: often a new client (people register because they need help), often one
    of the worker's own municipality."""

    def __init__(self, clients: list[ClientPlan]):
        self.by_category: dict = {}
        self.by_place: dict = {}
        for client in sorted(clients, key=lambda c: (c.registered, c.index)):
            self.by_category.setdefault(client.category, []).append(client)
            self.by_place.setdefault((client.category, client.place.pk), []).append(client)
        self.days = {key: [c.registered for c in members] for key, members in
                     [*self.by_category.items(), *self.by_place.items()]}

    def pick(self, rng, category: str, place_pk: int, day: datetime.date) -> ClientPlan | None:
        latest = day - datetime.timedelta(days=3)
        keys = ([(category, place_pk)] if rng.random() < 0.5 else []) + [category]
        for key in keys:
            members = self.by_place.get(key) if isinstance(key, tuple) else self.by_category.get(key)
            if not members:
                continue
            days = self.days[key]
            eligible = bisect.bisect_right(days, latest)
            if not eligible:
                continue
            recent = bisect.bisect_left(days, day - datetime.timedelta(days=120))
            if recent < eligible and rng.random() < 0.4:
                return members[rng.randrange(recent, eligible)]
            return members[rng.randrange(eligible)]
        return None


@dataclass
class WorkPlan:
    requests: list
    assignments: list
    prestaties: list
    exclusions: list
    skills_by_worker: dict
    scheduled: int = 0  # visits the schedules allowed, before attendance and the caps


def plan_work(org: Org, workers: list[WorkerPlan], clients: list[ClientPlan]) -> WorkPlan:
    rng, reference = org.rng, org.reference
    pool = ClientPool(clients)
    requests, assignments, exclusions = [], [], []
    excluded: set = set()
    handovers: list = []  # (free from, assignment that ended because its worker left)
    lanes = []
    for worker in workers:
        for t_index, trajectory in enumerate(worker.trajectories):
            parts = ["morning", "afternoon"][:worker.lanes] if worker.lanes == 2 else (
                [rng.choice(("morning", "morning", "afternoon"))] if worker.lanes else [])
            for lane, part in enumerate(parts):
                cursor = trajectory.start + datetime.timedelta(days=rng.randint(3, 30) + 14 * lane)
                lanes.append((cursor, worker.index, t_index, part))
    heapq.heapify(lanes)
    by_index = {w.index: w for w in workers}
    while lanes:
        cursor, worker_index, t_index, part = heapq.heappop(lanes)
        worker = by_index[worker_index]
        trajectory = worker.trajectories[t_index]
        if cursor >= reference or cursor > trajectory.last_day:
            continue
        while trajectory.suspended(cursor):
            cursor += DAY
        if cursor >= reference or cursor > trajectory.last_day:
            continue
        assignment = _take_over(org, handovers, worker, trajectory, part, cursor)
        if assignment is None:
            assignment = _new_assignment(org, pool, worker, trajectory, part, cursor, excluded)
            if assignment is None:
                heapq.heappush(lanes, (cursor + datetime.timedelta(days=14), worker_index, t_index, part))
                continue
            requests.append(assignment.request)
        assignment.request.assignments.append(assignment)
        assignments.append(assignment)
        _finish(org, assignment, trajectory, handovers, exclusions, excluded)
        if assignment.end < min(trajectory.last_day, reference - DAY):
            gap = datetime.timedelta(days=rng.randint(2, 21))
            heapq.heappush(lanes, (assignment.end + gap, worker_index, t_index, part))
    for _free_from, waiting in handovers:
        if waiting.request.end >= reference and waiting.request.status != RequestStatus.CANCELLED:
            waiting.request.status = RequestStatus.IN_PROGRESS
    _request_statuses(requests)
    prestaties, scheduled = _plan_prestaties(org, workers, assignments)
    skills: dict = {}
    for assignment in assignments:
        used = skills.setdefault(assignment.worker.index, {"slots": set(), "mains": set()})
        used["slots"].update((day, assignment.part) for day in assignment.weekdays)
        used["mains"].add(assignment.request.activity.main_code)
    for assignment in assignments:
        client = assignment.request.client
        last = min(assignment.end, reference - DAY)
        client.last_work = max(client.last_work or last, last)
    return WorkPlan(requests=requests, assignments=assignments, prestaties=prestaties, exclusions=exclusions,
                    skills_by_worker=skills, scheduled=scheduled)


def _activity_for(org: Org, worker: WorkerPlan, client: ClientPlan, day: datetime.date, once: bool):
    restricted = {pk for pk, valid_from in org.restrictions.get(client.place.pk, ()) if valid_from <= day}
    winter = day.month in (12, 1, 2)
    allowed = [a for a in org.activities.get(client.category, ())
               if a.valid_from <= day and a.municipality_id in (None, client.place.pk) and a.pk not in restricted
               and (not a.ex_pwa_only or (worker.ex_pwa and client.ex_pwa))
               and ("sneeuw" not in a.name or (once and winter))]
    if not allowed:
        return None
    liked = [a for a in allowed if a.main_code in worker.skills]
    return org.rng.choice(liked if liked and org.rng.random() < 0.7 else allowed)


def _new_assignment(org: Org, pool: ClientPool, worker: WorkerPlan, trajectory: TrajectoryPlan, part: str,
                    start: datetime.date, excluded: set) -> AssignmentPlan | None:
    rng = org.rng
    client = None
    for _attempt in range(3):
        client = pool.pick(rng, weighted(rng, DEMAND), worker.place.pk, start)
        if client is not None and (worker.index, client.index) not in excluded:
            break
        client = None
    if client is None:
        return None
    once = rng.random() < 0.12
    activity = _activity_for(org, worker, client, start, once)
    if activity is None:
        return None
    visits = LONG_VISITS if worker.intensity == "heavy" else VISITS
    visit = weighted(rng, visits)
    first, last = PARTS[part]
    visit = min(visit, last - first - 30)
    time_from = first + 30 * rng.randint(0, max((last - first - visit - 30) // 30, 0))
    if once:
        end, weekdays = start, [start.weekday()]
    else:
        low, high = WEEKS.get(client.category, ORGANISATION_WEEKS)
        end = start + datetime.timedelta(days=7 * rng.randint(low, high) - 1)
        count = rng.choice(worker.weekdays)
        days = [0, 1, 2, 3, 4] + ([5] if client.is_private and rng.random() < 0.05 else [])
        weekdays = sorted(rng.sample(days, min(count, len(days))))
    end = min(end, trajectory.last_day)
    hours = Decimal(len(weekdays) * visit) / MINUTES_PER_HOUR
    request = RequestPlan(
        client=client, activity=activity, schedule="once" if once else "recurring", start=start,
        end=end if once else max(end, start + datetime.timedelta(days=7 * rng.randint(8, 30))),
        weekdays=[] if once else weekdays, time_from=clock(time_from), time_until=clock(time_from + visit),
        hours_per_week=None if once else max(hours.quantize(Decimal("0.1")), Decimal("0.5")),
        created=at(start - datetime.timedelta(days=rng.randint(3, 30)), rng.randint(9, 16), rng.randint(0, 59)),
        created_by=None if client.online and rng.random() < 0.5 else org.staff_member(Role.BEMIDDELAAR),
        description=rng.choice(DESCRIPTIONS).format(activity=activity.name[:120].lower()))
    if once:
        request.end = request.start
    return AssignmentPlan(request=request, worker=worker, part=part, weekdays=weekdays, time_from=time_from,
                          visit=visit, start=start, end=end, created_by=org.staff_member(Role.BEMIDDELAAR))


def _take_over(org: Org, handovers: list, worker: WorkerPlan, trajectory: TrajectoryPlan, part: str,
               start: datetime.date) -> AssignmentPlan | None:
    """Another worker's recurring work waiting for someone, free since at most 30 days, in this lane's part of
    the day."""
    for index, (free_from, previous) in enumerate(handovers):
        if not free_from <= start <= free_from + datetime.timedelta(days=30) or previous.part != part:
            continue
        if previous.worker.index == worker.index or (previous.request.activity.ex_pwa_only and not worker.ex_pwa):
            continue
        handovers.pop(index)
        end = min(previous.request.end, trajectory.last_day)
        if end < start:
            return None
        previous.end_reason = f"Overgedragen aan {worker.first_name} {worker.last_name} vanaf {start:%d/%m/%Y}"
        return AssignmentPlan(request=previous.request, worker=worker, part=part, weekdays=previous.weekdays,
                              time_from=previous.time_from, visit=previous.visit, start=start, end=end,
                              created_by=org.staff_member(Role.BEMIDDELAAR), handed_over_from=previous)
    return None


def _finish(org: Org, assignment: AssignmentPlan, trajectory: TrajectoryPlan, handovers: list, exclusions: list,
            excluded: set) -> None:
    """The assignment's state on the reference day, and what its end leaves behind."""
    rng, reference = org.rng, org.reference
    if assignment.end >= reference:
        if rng.random() < 0.03:
            assignment.status = AssignmentStatus.PAUSED
            assignment.paused_from = reference - datetime.timedelta(days=rng.randint(7, 40))
        return
    assignment.status = AssignmentStatus.ENDED
    worker_left = assignment.end == trajectory.last_day and not trajectory.active
    request = assignment.request
    if worker_left:
        assignment.end_reason = "Traject van de wijk-werker beëindigd"
        keeps_going = request.schedule == "recurring" and request.end > assignment.end and (
            not request.client.is_private or rng.random() < 0.3)
        if keeps_going:
            handovers.append((assignment.end + DAY, assignment))
        return
    assignment.end_reason = rng.choice(END_REASONS)
    if rng.random() < 0.004:
        pair = (assignment.worker.index, request.client.index)
        excluded.add(pair)
        exclusions.append((assignment, "Conflict met de gebruiker"))


def requests_without_work(org: Org, plan: WorkPlan, clients: list[ClientPlan]) -> None:
    """Once the clients' statuses are known: requests nobody worked on (new ones of the last weeks still
    waiting, some cancelled by the client), and the open requests of clients who stopped are cancelled (as
    `client_stop` does)."""
    rng, reference = org.rng, org.reference
    for request in plan.requests:
        if request.status == RequestStatus.IN_PROGRESS and request.client.stopped_on:
            request.status = RequestStatus.CANCELLED
    made = []
    for client in clients:
        roll = rng.random()
        last_day = (client.stopped_on or reference) - DAY
        if roll < 0.02 and not client.stopped_on and (reference - client.registered).days > 7:
            status = RequestStatus.NEW if rng.random() < 0.6 else RequestStatus.IN_PROGRESS
            asked = days_between(rng, max(client.registered, reference - datetime.timedelta(days=30)),
                                 reference - DAY)
        elif roll < 0.05 and last_day > client.registered:
            status = RequestStatus.CANCELLED
            asked = days_between(rng, client.registered, last_day)
        else:
            continue
        activity = next(iter(org.activities.get(client.category, ())), None)
        if activity is None:
            continue
        activity = rng.choice([a for a in org.activities[client.category] if not a.ex_pwa_only
                               and "sneeuw" not in a.name] or [activity])
        start = asked + datetime.timedelta(days=rng.randint(7, 30))
        visit = weighted(rng, VISITS)
        weekdays = sorted(rng.sample(range(5), rng.randint(1, 2)))
        made.append(RequestPlan(
            client=client, activity=activity, schedule="recurring", start=start,
            end=start + datetime.timedelta(days=7 * rng.randint(8, 26)), weekdays=weekdays,
            time_from=datetime.time(9), time_until=clock(9 * 60 + visit),
            hours_per_week=(Decimal(len(weekdays) * visit) / MINUTES_PER_HOUR).quantize(Decimal("0.1")),
            created=at(asked, rng.randint(9, 16), rng.randint(0, 59)),
            created_by=None if client.online else org.staff_member(Role.BEMIDDELAAR),
            description=rng.choice(DESCRIPTIONS).format(activity=activity.name[:120].lower()), status=status))
    plan.requests += made


def _request_statuses(requests: list[RequestPlan]) -> None:
    for request in requests:
        if not request.assignments or request.status == RequestStatus.IN_PROGRESS:
            continue
        if any(a.status != AssignmentStatus.ENDED for a in request.assignments):
            request.status = RequestStatus.ASSIGNED
        else:
            request.status = RequestStatus.CLOSED


# --- prestaties ----------------------------------------------------------------------------------------------

@functools.cache
def _working(day: datetime.date) -> bool:
    return is_working_day(day)


@functools.cache
def _working_days_after(day: datetime.date, count: int) -> datetime.date:
    return add_working_days(day, count)


def _candidate_days(org: Org, assignment: AssignmentPlan):
    worker = assignment.worker
    last = min(assignment.end, org.reference - DAY)
    if assignment.paused_from is not None:
        last = min(last, assignment.paused_from - DAY)
    day = max(assignment.start, org.start)
    while day <= last:
        if day.weekday() in assignment.weekdays and (day.weekday() == 5 or _working(day)) and worker.free_on(day):
            yield day
        day += DAY


def _plan_prestaties(org: Org, workers: list[WorkerPlan], assignments: list[AssignmentPlan]):
    rng = org.rng
    per_worker: dict = {}
    total = 0
    for assignment in assignments:
        days = list(_candidate_days(org, assignment))
        per_worker.setdefault(assignment.worker.index, []).extend((day, assignment.time_from, assignment)
                                                                  for day in days)
        total += len(days)
    target = org.spec.prestaties_per_worker * org.spec.workers
    attendance = min(0.97, target / total) if total else 0
    prestaties = []
    for worker in workers:
        candidates = sorted(per_worker.get(worker.index, ()), key=lambda c: (c[0], c[1]))
        month_used: dict = {}
        year_used: dict = {}
        for day, _time_from, assignment in candidates:
            if rng.random() >= attendance:
                continue
            start, minutes = _times(rng, assignment)
            rules = org.rules_on(day)
            month, year = (day.year, day.month), day.year
            if (month_used.get(month, 0) + minutes > rules.max_hours_per_month * MINUTES_PER_HOUR
                    or year_used.get(year, 0) + minutes > rules.max_hours_per_year * MINUTES_PER_HOUR):
                continue
            prestatie = _timeline(org, assignment, day, start, minutes, rules)
            if prestatie is None:
                continue
            month_used[month] = month_used.get(month, 0) + minutes
            year_used[year] = year_used.get(year, 0) + minutes
            prestaties.append(prestatie)
    return prestaties, total


def _times(rng, assignment: AssignmentPlan) -> tuple[int, int]:
    """Start and minutes of one visit: mostly as planned, sometimes a quarter or half hour more or less; always
    inside the lane's part of the day."""
    first, last = PARTS[assignment.part]
    start = assignment.time_from + (15 if rng.random() < 0.15 else 0)
    roll = rng.random()
    delta = 0 if roll < 0.80 else 15 if roll < 0.83 else 30 if roll < 0.84 else -15 if roll < 0.96 else -30
    minutes = max(assignment.visit + delta, 30)
    minutes = min(minutes, last - start)
    return max(start, first), minutes


def _timeline(org: Org, assignment: AssignmentPlan, day: datetime.date, start: int, minutes: int, rules):
    """The prestatie as it stands at the start of the reference day, or None when it was not even registered
    yet."""
    rng, cutoff = org.rng, org.world.cutoff
    client = assignment.request.client
    registered_at = at(day + datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2))), rng.randint(17, 21),
                       rng.randint(0, 59))
    if registered_at >= cutoff:
        return None
    prestatie = PrestatiePlan(
        assignment=assignment, date=day, start=start, minutes=minutes,
        cheques=cheques_for_minutes(minutes, rules.minutes_per_cheque), status=PrestatieStatus.REGISTERED,
        registered_at=registered_at)
    if rng.random() < 0.015:  # cancelled by staff before validation: entered twice, or did not take place
        if registered_at + datetime.timedelta(days=1) < cutoff:
            prestatie.status = PrestatieStatus.CANCELLED
        return prestatie
    registered_day = registered_at.date()
    if rng.random() < 0.6:
        validated_at = at(min(registered_day + datetime.timedelta(days=rng.randint(1, 3)),
                              _working_days_after(registered_day, rules.auto_validate_working_days)),
                          rng.randint(9, 16), rng.randint(0, 59))
        prestatie.validated_by = org.staff_member(Role.BEMIDDELAAR)
    else:
        validated_at = at(_working_days_after(registered_day, rules.auto_validate_working_days), 6)
    if validated_at >= cutoff:
        return prestatie
    prestatie.status, prestatie.validated_at = PrestatieStatus.VALIDATED, validated_at
    contact = client.contact_user_ids[0] if client.contact_user_ids else None
    roll = rng.random()
    if roll < 0.02:  # corrected by staff: the client must confirm it explicitly
        prestatie.corrected = True
        confirmed_at = validated_at + datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(1, 8))
        if confirmed_at < cutoff:
            prestatie.status, prestatie.confirmed_at = PrestatieStatus.CONFIRMED, confirmed_at
            prestatie.confirmed_by = contact or org.staff_member(Role.BEMIDDELAAR)
        return prestatie
    if roll < 0.03:  # disputed by the client, then resolved by staff
        disputed_at = validated_at + datetime.timedelta(days=rng.randint(1, max(rules.auto_confirm_days - 1, 1)),
                                                        hours=rng.randint(1, 8))
        if disputed_at >= cutoff:
            return prestatie
        prestatie.status, prestatie.disputed_at = PrestatieStatus.DISPUTED, disputed_at
        prestatie.dispute_reason = rng.choice(DISPUTE_REASONS)
        resolved_at = disputed_at + datetime.timedelta(days=rng.randint(2, 20))
        if resolved_at < cutoff:
            if rng.random() < 0.65:
                prestatie.status, prestatie.confirmed_at = PrestatieStatus.CONFIRMED, resolved_at
                prestatie.confirmed_by = org.staff_member(Role.BEMIDDELAAR)
                prestatie.resolution_note = "Na overleg met de gebruiker bevestigd"
            else:
                prestatie.status = PrestatieStatus.CANCELLED
                prestatie.resolution_note = "Prestatie ging niet door"
        return prestatie
    auto_on = validated_at.date() + datetime.timedelta(days=rules.auto_confirm_days)
    reminder = at(auto_on - datetime.timedelta(days=rules.confirm_reminder_days), 6)
    if contact and rng.random() < 0.5:
        confirmed_at = validated_at + datetime.timedelta(days=rng.randint(0, rules.auto_confirm_days - 1),
                                                         hours=rng.randint(1, 10))
        prestatie.confirmed_by = contact
    else:
        confirmed_at = at(auto_on, 6)
        prestatie.reminder_at = reminder if reminder < cutoff else None
    if confirmed_at < cutoff:
        prestatie.status, prestatie.confirmed_at = PrestatieStatus.CONFIRMED, confirmed_at
    elif prestatie.confirmed_by is None and reminder < cutoff:
        prestatie.reminder_at = reminder
    if prestatie.status != PrestatieStatus.CONFIRMED:
        prestatie.confirmed_by = None
    return prestatie


# --- writing -------------------------------------------------------------------------------------------------

def write_work(org: Org, plan: WorkPlan) -> None:
    store, rng = org.world.store, org.rng
    rows = [{
        "organiser_id": org.pk, "client_id": r.client.pk, "activity_id": r.activity.pk,
        "description": r.description, "street": r.client.street, "postcode": r.client.postcode,
        "city": r.client.place.name,
        "municipality_id": r.client.place.pk, "schedule": r.schedule, "start_date": r.start, "end_date": r.end,
        "weekdays": r.weekdays, "time_from": r.time_from, "time_until": r.time_until,
        "hours_per_week": r.hours_per_week, "status": r.status, "created_by_id": r.created_by,
        "created_at": r.created, "updated_at": r.created} for r in plan.requests]
    for request, pk in zip(plan.requests, store.insert(HelpRequest, rows, with_ids=True), strict=True):
        request.pk = pk

    rows = [{
        "organiser_id": org.pk, "request_id": a.request.pk, "worker_id": a.worker.pk,
        "client_id": a.request.client.pk, "activity_id": a.request.activity.pk,
        "municipality_id": a.request.client.place.pk, "schedule": "once" if a.request.schedule == "once" else "weekly",
        "weekdays": a.weekdays, "time_from": clock(a.time_from), "time_until": clock(a.time_from + a.visit),
        "hours_per_week": a.request.hours_per_week, "start_date": a.start, "end_date": a.end, "status": a.status,
        "end_reason": a.end_reason, "created_by_id": a.created_by,
        "created_at": at(a.start - datetime.timedelta(days=rng.randint(1, 10)), 11)} for a in plan.assignments]
    for assignment, pk in zip(plan.assignments, store.insert(Assignment, rows, with_ids=True), strict=True):
        assignment.pk = pk
    handed = [(a.pk, a.handed_over_from.pk) for a in plan.assignments if a.handed_over_from is not None]
    if handed:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"""UPDATE {Assignment._meta.db_table} AS a SET handed_over_from_id = t.previous
                               FROM unnest(%s::bigint[], %s::bigint[]) AS t(id, previous) WHERE a.id = t.id""",
                           [[pk for pk, _p in handed], [p for _pk, p in handed]])
    store.insert(WorkerExclusion, [
        {"worker_id": a.worker.pk, "client_id": a.request.client.pk, "reason": reason,
         "created_by_id": a.created_by, "created_at": at(a.end + DAY, 10)} for a, reason in plan.exclusions])

    rows = []
    for p in plan.prestaties:
        a = p.assignment
        rows.append({
            "organiser_id": org.pk, "assignment_id": a.pk, "worker_id": a.worker.pk, "client_id": a.request.client.pk,
            "date": p.date, "start_time": clock(p.start), "end_time": clock(p.start + p.minutes),
            "minutes": p.minutes, "cheques": p.cheques, "kilometres": p.kilometres, "status": p.status,
            "registered_by_id": a.worker.user_id if a.worker.user_id and rng.random() < 0.7
            else org.staff_member(Role.BEMIDDELAAR),
            "registered_at": p.registered_at, "validated_by_id": p.validated_by, "validated_at": p.validated_at,
            "corrected": p.corrected, "correction_note": "Uren aangepast na telefoon met de wijk-werker"
            if p.corrected else "", "confirmed_by_id": p.confirmed_by, "confirmed_at": p.confirmed_at,
            "confirm_reminder_sent_at": p.reminder_at, "disputed_at": p.disputed_at,
            "dispute_reason": p.dispute_reason, "resolution_note": p.resolution_note})
    for prestatie, pk in zip(plan.prestaties, store.insert(Prestatie, rows, with_ids=True), strict=True):
        prestatie.pk = pk

