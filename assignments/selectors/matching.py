"""Matching: ranked candidates for a request, with the reasons shown as chips."""

import datetime
import math
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from wijkwerken.core.dates import today
from wijkwerken.core.geo import distance_km
from wijkwerken.core.models import Municipality
from wijkwerken.core.rules import rules_for
from workers.models import (
    OPEN_END,
    ActivityKind,
    Availability,
    Certificate,
    DayPart,
    Suspension,
    Trajectory,
    TrajectoryStatus,
    Worker,
    WorkerActivity,
)

from ..models.matching import WorkerExclusion
from ..models.placements import Assignment, AssignmentStatus
from ..models.prestaties import WorkerMonth
from ..models.requests import WEEKDAYS, HelpRequest, ScheduleKind
from .prestaties import HourCaps, format_minutes, hour_caps_many

GOOD, WARN, BAD = "good", "warn", "bad"


_translated: dict[tuple[str, str], str] = {}


_language: ContextVar[str | None] = ContextVar("matching_language", default=None)


def _(message: str) -> str:
    """gettext, remembered per language: the same few labels are translated for hundreds of candidates."""
    key = (_language.get() or get_language(), message)
    if key not in _translated:
        _translated[key] = gettext(message)
    return _translated[key]


# How many points each reason adds to the score; shown on the page under "Waarom deze volgorde?".
POINTS = {
    "availability_full": 30,
    "availability_partial": 15,
    "same_municipality": 20,
    "within_distance": 10,
    "skill": 20,
    "interest": 10,
    "hours_enough": 15,
    "hours_some": 5,
    "trajectory_covers": 10,
    "certificate": 5,
}


POINTS_EXPLAINED = [
    (gettext_lazy("available on all the requested days and times"), POINTS["availability_full"]),
    (gettext_lazy("available on some of them"), POINTS["availability_partial"]),
    (gettext_lazy("lives in the same municipality"), POINTS["same_municipality"]),
    (gettext_lazy("lives within the distance they can travel (fewer points the further away)"),
     POINTS["within_distance"]),
    (gettext_lazy("has the skill for this main activity"), POINTS["skill"]),
    (gettext_lazy("is interested in this main activity"), POINTS["interest"]),
    (gettext_lazy("has enough hours left under the caps"), POINTS["hours_enough"]),
    (gettext_lazy("has some hours left"), POINTS["hours_some"]),
    (gettext_lazy("the trajectory covers the whole period"), POINTS["trajectory_covers"]),
    (gettext_lazy("a useful certificate"), POINTS["certificate"]),
]


# Certificates that matter for a main activity (by its code). `required` ones give a warning when missing.
CERTIFICATES_FOR = {
    "ondersteuning-en-hulp-bij-begeleiding-van-personen": {"useful": (Certificate.CHILDCARE, Certificate.FIRST_AID),
                                                           "required_for_schools": Certificate.CHILDCARE},
    "klein-tuinonderhoud": {"useful": (Certificate.CHAINSAW,)},
    "land-en-tuinbouw": {"useful": (Certificate.CHAINSAW,)},
    "kleine-herstellings-en-onderhoudswerken": {"useful": (Certificate.VCA,)},
    "ondersteuning-van-personen-bij-huishoudelijke-taken": {"useful": (Certificate.FOOD_HYGIENE,)},
    "activiteiten-in-functie-van-preventie": {"useful": (Certificate.FIRST_AID,)},
}


SORTS = {
    "score": gettext_lazy("best match"),
    "distance": gettext_lazy("distance"),
    "hours": gettext_lazy("hours left"),
    "trajectory": gettext_lazy("trajectory runs longest"),
}


FILTERS = {
    "available": gettext_lazy("only available on the requested days"),
    "nearby": gettext_lazy("only within their travel distance"),
    "skilled": gettext_lazy("only with the skill or interest"),
    "no_hours": gettext_lazy("also workers without hours left"),
}


WEEKS_PER_MONTH = Decimal("4.33")


@dataclass(frozen=True)
class Chip:
    label: str
    kind: str
    explanation: str = ""
    icon: str = ""

    @property
    def icon_default(self) -> str:
        return {GOOD: "✓", WARN: "!", BAD: "✗"}[self.kind]


@dataclass
class Candidate:
    worker: Worker
    chips: list[Chip] = field(default_factory=list)
    score: int = 0
    continuity: bool = False
    distance: float | None = None
    within_distance: bool = True
    available: bool = False
    skilled: bool = False
    hours_left_minutes: int = 0
    trajectory_last_day: datetime.date | None = None
    covers_period: bool = True
    slots: set = field(default_factory=set, repr=False)
    kinds: set = field(default_factory=set, repr=False)


def day_part(time: datetime.time) -> str:
    if time.hour < 12:
        return DayPart.MORNING
    if time.hour < 18:
        return DayPart.AFTERNOON
    return DayPart.EVENING


def requested_slots(help_request: HelpRequest) -> set[tuple[int, str]]:
    """(weekday, part of the day) pairs the request needs. Without times, any part of the day will do."""
    if help_request.schedule == ScheduleKind.ONCE or not help_request.weekdays:
        days = {help_request.start_date.weekday()}
    else:
        days = set(help_request.weekdays)
    if help_request.time_from is None:
        parts = None
    else:
        until = help_request.time_until or help_request.time_from
        # The last minute that is worked decides the last part (until 12:00 stays in the morning).
        last = (datetime.datetime.combine(help_request.start_date, until) - datetime.timedelta(minutes=1)).time()
        order = [DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING]
        first_index = order.index(day_part(help_request.time_from))
        last_index = max(order.index(day_part(last)), first_index)
        parts = order[first_index:last_index + 1]
    if parts is None:
        return {(day, "*") for day in days}
    return {(day, part) for day in days for part in parts}


def planned_minutes_per_month(help_request: HelpRequest) -> int:
    """What the request asks of one worker in its first month: used against the hours left."""
    if help_request.schedule == ScheduleKind.RECURRING and help_request.hours_per_week:
        return int(help_request.hours_per_week * WEEKS_PER_MONTH * 60)
    if help_request.time_from and help_request.time_until:
        start = datetime.datetime.combine(help_request.start_date, help_request.time_from)
        end = datetime.datetime.combine(help_request.start_date, help_request.time_until)
        return int((end - start).total_seconds() // 60)
    return 0


def planned_minutes_in_year(help_request: HelpRequest, first_day: datetime.date) -> int:
    """What the request asks of one worker from `first_day` to its end or the end of that year, whichever comes
    first: the year cap must leave room for the whole period, not only for its first month."""
    last_day = min(help_request.end_date, datetime.date(first_day.year, 12, 31))
    if last_day < first_day:
        return 0
    if help_request.schedule == ScheduleKind.RECURRING and help_request.hours_per_week:
        return int(help_request.hours_per_week * 60 * ((last_day - first_day).days + 1) / 7)
    return planned_minutes_per_month(help_request)


def _eligible_workers(help_request: HelpRequest):
    """The hard filter, in SQL: only workers who may do the request at all."""
    start = help_request.start_date
    covering = Trajectory.objects.filter(worker=OuterRef("pk")).covering(start).order_by("-start_date")
    queryset = (
        Worker.objects.filter(organiser_id=help_request.organiser_id)
        .annotate(
            trajectory_last_day=Subquery(covering.with_last_day().values("last")[:1]),
            suspended_during=Exists(Suspension.objects.filter(
                trajectory__worker=OuterRef("pk"), trajectory__status=TrajectoryStatus.ACTIVE,
                start_date__lte=help_request.end_date, end_date__gte=start,
            )),
        )
        .filter(trajectory_last_day__isnull=False)
        .exclude(Exists(WorkerExclusion.objects.filter(worker=OuterRef("pk"), client_id=help_request.client_id)))
        .select_related("municipality")
        .only("organiser_id", "first_name", "last_name", "max_distance_km", "certificates", "ex_pwa",
              "municipality__name", "municipality__latitude", "municipality__longitude")
    )
    if help_request.activity.ex_pwa_only:
        queryset = queryset.filter(ex_pwa=True)
    return queryset


def _continuity(help_request: HelpRequest, worker_ids=None) -> dict[int, dict]:
    """{worker id: {"assignments": n, "minutes": worked minutes}} for everyone who worked for this client (of
    `worker_ids` only, when given)."""
    assignments = Assignment.objects.filter(client_id=help_request.client_id, organiser_id=help_request.organiser_id)
    if worker_ids is not None:
        assignments = assignments.filter(worker_id__in=worker_ids)
    rows = (
        assignments
        .values("worker_id")
        .annotate(assignments=Count("pk", distinct=True),
                  assigned_here=Count("pk", filter=Q(request_id=help_request.pk) & ~Q(status=AssignmentStatus.ENDED),
                                      distinct=True),
                  minutes=Coalesce(Sum("prestaties__minutes"), 0))
    )
    return {row["worker_id"]: row for row in rows}


def _trajectory_chip(candidate: Candidate, help_request: HelpRequest, on: datetime.date) -> Chip:
    last = candidate.trajectory_last_day
    if last == OPEN_END:  # an active ex-PWA trajectory has no end
        candidate.covers_period = True
        candidate.score += POINTS["trajectory_covers"]
        return Chip(_("Trajectory without an end"), GOOD,
                    _("An ex-PWA trajectory has no end date: it covers the whole request."), "🗓")
    days_left = (last - on).days
    months = days_left // 30
    runs = (_("runs another %(n)s months") % {"n": months}) if months >= 2 else (
        ngettext("runs another %(n)s day", "runs another %(n)s days", max(days_left, 0)) % {"n": max(days_left, 0)})
    until = last.strftime("%d/%m/%Y")
    if last >= help_request.end_date:
        candidate.covers_period = True
        candidate.score += POINTS["trajectory_covers"]
        return Chip(_("Trajectory until %(date)s") % {"date": until}, GOOD,
                    _("Covers the whole request; %(runs)s.") % {"runs": runs}, "🗓")
    candidate.covers_period = False
    return Chip(_("Trajectory ends %(date)s") % {"date": until}, WARN,
                _("Ends before the request does: an assignment can last until %(date)s at most.") % {"date": until},
                "🗓")


def _hours_chip(candidate: Candidate, caps, planned: int, planned_year: int = 0) -> Chip:
    left = caps.left_minutes if caps else 0
    candidate.hours_left_minutes = left
    detail = _("%(month)s left this month (of %(month_cap)s h), %(year)s left this year (of %(year_cap)s h).") % {
        "month": format_minutes(caps.month_left_minutes), "month_cap": caps.month_cap_hours,
        "year": format_minutes(caps.year_left_minutes), "year_cap": caps.year_cap_hours,
    }
    if left <= 0:
        return Chip(_("No hours left"), BAD, detail, "⏱")
    if planned and left < planned:
        candidate.score += POINTS["hours_some"]
        return Chip(_("%(left)s left, %(planned)s needed") % {"left": format_minutes(left),
                                                              "planned": format_minutes(planned)}, WARN, detail, "⏱")
    if planned_year and caps.year_left_minutes < planned_year:
        candidate.score += POINTS["hours_some"]
        return Chip(_("%(left)s left this year, %(planned)s needed") % {
            "left": format_minutes(caps.year_left_minutes), "planned": format_minutes(planned_year)}, WARN, detail, "⏱")
    candidate.score += POINTS["hours_enough"]
    return Chip(_("%(left)s left") % {"left": format_minutes(left)}, GOOD, detail, "⏱")


def _availability_chip(candidate: Candidate, needed: set[tuple[int, str]], weekday_names) -> Chip:
    slots = candidate.slots
    days = {day for day, _part in slots}
    met = {(day, part) for day, part in needed if (part == "*" and day in days) or (day, part) in slots}
    missing_days = sorted({day for day, _part in needed - met})
    if met == needed:
        candidate.available = True
        candidate.score += POINTS["availability_full"]
        return Chip(_("Available"), GOOD, _("Available on every requested day and time."), "📅")
    if met:
        candidate.score += POINTS["availability_partial"]
        return Chip(_("Partly available"), WARN, _("Not available on: %(days)s.")
                    % {"days": ", ".join(str(weekday_names[d]) for d in missing_days)}, "📅")
    if not slots:
        return Chip(_("No availability given"), WARN, _("The worker's availability is not filled in."), "📅")
    return Chip(_("Not available"), BAD, _("Not available on the requested days and times."), "📅")


def _distance_chip(candidate: Candidate, help_request: HelpRequest) -> Chip:
    worker = candidate.worker
    if worker.municipality_id == help_request.municipality_id:
        candidate.distance = 0.0
        candidate.score += POINTS["same_municipality"]
        return Chip(_("Same municipality"), GOOD, _("Lives in %(place)s.") % {"place": help_request.municipality.name},
                    "📍")
    home, job = worker.municipality.centre, help_request.municipality.centre
    if home is None or job is None:
        return Chip(_("Distance unknown"), WARN, "", "📍")
    km = distance_km(home, job)
    candidate.distance = km
    limit = worker.max_distance_km
    label = _("%(km)s km") % {"km": f"{km:.0f}" if km >= 10 else f"{km:.1f}".replace(".", ",")}
    explanation = _("From %(home)s to %(job)s; travels at most %(max)s km.") % {
        "home": worker.municipality.name, "job": help_request.municipality.name, "max": limit}
    if km <= limit:
        candidate.score += max(1, round(POINTS["within_distance"] * (1 - km / max(limit, 1))))
        return Chip(label, GOOD, explanation, "📍")
    candidate.within_distance = False
    return Chip(label, WARN, explanation, "📍")


def _skill_chips(candidate: Candidate, help_request: HelpRequest) -> list[Chip]:
    code = help_request.activity.main_activity.code
    kinds = candidate.kinds
    chips = []
    if ActivityKind.SKILL in kinds:
        candidate.skilled = True
        candidate.score += POINTS["skill"]
        chips.append(Chip(_("Skill"), GOOD, _("Has experience with “%(main)s”.")
                          % {"main": help_request.activity.main_activity.name}, "🛠"))
    elif ActivityKind.INTEREST in kinds:
        candidate.skilled = True
        candidate.score += POINTS["interest"]
        chips.append(Chip(_("Interest"), GOOD, _("Would like to do “%(main)s”.")
                          % {"main": help_request.activity.main_activity.name}, "🛠"))
    else:
        chips.append(Chip(_("No experience given"), WARN, _("No skill or interest for “%(main)s”.")
                          % {"main": help_request.activity.main_activity.name}, "🛠"))
    relevant = CERTIFICATES_FOR.get(code, {})
    labels = dict(Certificate.choices)
    held = [c for c in relevant.get("useful", ()) if c in (candidate.worker.certificates or [])]
    if held:
        candidate.score += POINTS["certificate"] * len(held)
        chips.append(Chip(", ".join(str(labels[c]) for c in held), GOOD, _("A certificate that helps here."), "🎓"))
    required = relevant.get("required_for_schools")
    if required and help_request.client.category == "onderwijs" and required not in held:
        chips.append(Chip(_("No %(certificate)s") % {"certificate": labels[required]}, WARN,
                          _("Schools usually ask for it."), "🎓"))
    return chips


def _sort_key(sort: str):
    """The Python order of the reference ranking; `_ORDER_BY_SQL` is the same order in SQL."""
    if sort == "distance":
        return lambda c: (c.distance if c.distance is not None else math.inf, -c.score, c.worker.pk)
    if sort == "hours":
        return lambda c: (-c.hours_left_minutes, -c.score, c.worker.pk)
    if sort == "trajectory":
        return lambda c: (-(c.trajectory_last_day.toordinal()), -c.score, c.worker.pk)
    return lambda c: (not c.continuity, -c.score, c.distance if c.distance is not None else math.inf, c.worker.pk)


# How many candidates the page shows at first ("more" asks for the next 25).
TOP = 25


class CandidateList(list):
    """The candidates shown, best first, and `total`: how many there are in all."""

    total: int = 0


def candidates_for(*, help_request: HelpRequest, user, sort: str = "score", filters=(), on: datetime.date | None = None,
                   limit: int = TOP) -> CandidateList:
    """The workers who could do `request`, ranked: continuity first, then by score (or by `sort`); the first
    `limit` with their reasons, and `total`.

    The database scores and orders the whole pool (`_ranked_workers`); only the workers shown are explained in
    Python, by the same functions as the reference ranking, so the chips say exactly what the score counted.
    `user` must be staff of the request's organiser (the caller fetched the request through a scoped selector);
    `filters` is a set of keys of FILTERS. Workers excluded for the client, without a trajectory on the first
    day, or not ex-PWA for ex-PWA-only work are never returned.
    """
    result = CandidateList()
    if help_request.organiser_id != getattr(user, "organiser_id", None):
        return result
    filters = set(filters)
    on = on or today()
    month_of = max(help_request.start_date, on)
    rules = rules_for(organiser=help_request.organiser, on=month_of)
    planned = planned_minutes_per_month(help_request)
    planned_year = planned_minutes_in_year(help_request, month_of)
    needed = requested_slots(help_request)
    rows = _ranked_workers(help_request, month_of=month_of, rules=rules, planned=planned, planned_year=planned_year,
                           needed=needed, filters=filters, sort=sort if sort in SORTS else "score", limit=limit)
    if not rows:
        return result
    result.total = rows[0][4]
    ids = [row[0] for row in rows]
    found = _eligible_workers(help_request).in_bulk(ids)
    workers = [found[pk] for pk in ids]
    used = {row[0]: (row[1], row[2]) for row in rows}
    slots_of, kinds_of = {}, {}
    for worker_id, weekday, part in Availability.objects.filter(worker_id__in=ids).values_list(
            "worker_id", "weekday", "part"):
        slots_of.setdefault(worker_id, set()).add((weekday, part))
    for worker_id, _month, _year, _score, _total, skill, interest in rows:
        kinds_of[worker_id] = {kind for kind, held in ((ActivityKind.SKILL, skill), (ActivityKind.INTEREST, interest))
                               if held}
    caps = {worker.pk: HourCaps(on=month_of, month_minutes=used[worker.pk][0], year_minutes=used[worker.pk][1],
                                month_cap_hours=rules.max_hours_per_month, year_cap_hours=rules.max_hours_per_year)
            for worker in workers}
    token = _language.set(get_language())
    try:
        result.extend(_rank(workers, help_request=help_request, on=on, caps=caps,
                            history=_continuity(help_request, worker_ids=ids), needed=needed, planned=planned,
                            planned_year=planned_year, weekday_names=dict(WEEKDAYS), slots_of=slots_of,
                            kinds_of=kinds_of, filters=filters))
    finally:
        _language.reset(token)
    return result


def _distances(help_request: HelpRequest) -> dict[int, float]:
    """{municipality id: km to the request's municipality} for the municipalities the organiser's workers live in,
    computed once in Python (the same float the explanation shows) and handed to the database."""
    job = help_request.municipality.centre
    if job is None:
        return {}
    homes = Municipality.objects.filter(
        pk__in=Worker.objects.filter(organiser_id=help_request.organiser_id).values("municipality_id"))
    return {home.pk: distance_km(home.centre, job) for home in homes if home.centre is not None}


def _facts(help_request: HelpRequest, *, needed):
    """One row per possible worker with the raw facts the score is made of (except the hours: `_hours_sql`), each
    subquery written once.

    Driven by the organiser's trajectories that cover the request's start, grouped per worker (the score needs one
    anyway: `last_day IS NOT NULL` in `_ranked_workers`), so the database works out availability and the rest for
    the few hundred who can take the request and never visits the rest of the pool; and the group already holds the
    trajectory's last day, unless a worker has two covering trajectories (then the one that started last counts, as
    in `_eligible_workers`)."""
    worker = OuterRef("worker_id")
    available_here = Availability.objects.filter(worker=worker)
    if all(part == "*" for _day, part in needed):
        met = available_here.filter(weekday__in=sorted({day for day, _part in needed})).values("worker").annotate(
            n=Count("weekday", distinct=True))
    else:
        slot_match = Q()
        for day, part in sorted(needed):
            slot_match |= Q(weekday=day, part=part)
        met = available_here.filter(slot_match).values("worker").annotate(n=Count("weekday"))
    code = help_request.activity.main_activity.code
    kinds = WorkerActivity.objects.filter(worker=worker, activity=code)
    certificates = {
        f"certificate_{n}": Case(When(worker__certificates__icontains=f'"{certificate}"', then=Value(1)),
                                 default=Value(0))
        for n, certificate in enumerate(CERTIFICATES_FOR.get(code, {}).get("useful", ()))}
    covering = Trajectory.objects.all().covering(help_request.start_date)
    started_last = covering.filter(worker=worker).order_by("-start_date").with_last_day().values("last")[:1]
    trajectories = (
        covering.filter(organiser_id=help_request.organiser_id)
        .exclude(Exists(WorkerExclusion.objects.filter(worker=worker, client_id=help_request.client_id)))
        .exclude(Exists(Assignment.objects.filter(worker=worker, request_id=help_request.pk).exclude(
            status=AssignmentStatus.ENDED)))
    )
    if help_request.activity.ex_pwa_only:
        trajectories = trajectories.filter(worker__ex_pwa=True)
    return trajectories.with_last_day().values("worker_id").annotate(
        covering=Count("pk"), latest_last=Max("last"),
    ).annotate(
        municipality_id=F("worker__municipality_id"), max_distance_km=F("worker__max_distance_km"),
        last_day=Case(When(covering=1, then=F("latest_last")), default=Subquery(started_last),
                      output_field=DateField()),
        slots_met=Coalesce(Subquery(met.values("n")[:1], output_field=IntegerField()), 0),
        skill=Exists(kinds.filter(kind=ActivityKind.SKILL)),
        interest=Exists(kinds.filter(kind=ActivityKind.INTEREST)),
        continuity=Exists(Assignment.objects.filter(worker=worker, client_id=help_request.client_id,
                                                    organiser_id=help_request.organiser_id)),
        **certificates,
    ).values("worker_id", "municipality_id", "max_distance_km", "last_day", "slots_met", "skill", "interest",
             "continuity", *certificates).order_by(), len(certificates)


def _hours_sql(month_of: datetime.date) -> tuple[str, list, str, list]:
    """The minutes a worker of `f` used this month and this year, from the monthly totals the database keeps per
    worker (at most twelve rows each): (select, its params, join, its params). PostgreSQL reads a worker's year
    once (a lateral join), SQLite (no lateral joins) in two subqueries."""
    table = WorkerMonth._meta.db_table
    month, year_start = month_of.replace(day=1), month_of.replace(month=1, day=1)
    year_end = datetime.date(month_of.year + 1, 1, 1)
    dates = [connection.ops.adapt_datefield_value(day) for day in (month, year_start, year_end)]
    if connection.vendor == "postgresql":
        # (PostgreSQL's sum of a bigint is a numeric: cast back to a whole number of minutes.)
        return ("COALESCE(hours.month_used, 0) AS month_used, COALESCE(hours.year_used, 0) AS year_used", [],
                f"""LEFT JOIN LATERAL (
                  SELECT CAST(SUM(m.minutes) FILTER (WHERE m.month = %s) AS INTEGER) AS month_used,
                         CAST(SUM(m.minutes) AS INTEGER) AS year_used
                  FROM {table} m WHERE m.worker_id = f.worker_id AND m.month >= %s AND m.month < %s) hours ON TRUE""",
                dates)
    return (f"""COALESCE((SELECT m.minutes FROM {table} m WHERE m.worker_id = f.worker_id AND m.month = %s), 0)
                  AS month_used,
                COALESCE((SELECT CAST(SUM(m.minutes) AS INTEGER) FROM {table} m
                          WHERE m.worker_id = f.worker_id AND m.month >= %s AND m.month < %s), 0) AS year_used""",
            dates, "", [])


_ORDER_BY_SQL = {
    "score": "continuity DESC, score DESC, distance ASC NULLS LAST, pk",
    "distance": "distance ASC NULLS LAST, score DESC, pk",
    "hours": "hours_left DESC, score DESC, pk",
    "trajectory": "last_day DESC, score DESC, pk",
}


def _ranked_workers(help_request: HelpRequest, *, month_of, rules, planned, planned_year, needed, filters, sort,
                    limit) -> list[tuple]:
    """(worker id, minutes used this month, this year, score, total, skill, interest) of the first `limit` workers,
    best first.

    The facts come from `_facts` and `_hours_sql`; the score is computed over them in portable SQL (PostgreSQL and
    the SQLite of `make run`), level by level so that every fact is computed once. Every reason adds the points
    `_rank` adds for it; `_sort_key` is the same order in Python.
    """
    facts, certificate_count = _facts(help_request, needed=needed)
    facts_sql, params = facts.query.sql_with_params()
    hours_select, select_params, hours_join, join_params = _hours_sql(month_of)
    params = [*select_params, *params, *join_params]
    kms = _distances(help_request)
    km = "CAST(NULL AS DOUBLE PRECISION)"
    if kms:
        km = "CASE f.municipality_id " + " ".join("WHEN %s THEN %s" for _pk in kms) + f" ELSE {km} END"
    place_params = [value for pair in kms.items() for value in pair]
    month_cap, year_cap = rules.max_hours_per_month * 60, rules.max_hours_per_year * 60
    short = " OR ".join([*(["hours_left < %s"] if planned else []), *(["year_left < %s"] if planned_year else [])])
    short_params = [*([planned] if planned else []), *([planned_year] if planned_year else [])]
    certificates = "".join(f" + certificate_{n} * %s" for n in range(certificate_count))
    conditions = ["last_day IS NOT NULL"]
    if "no_hours" not in filters:
        conditions.append("hours_left > 0")
    if "available" in filters:
        conditions.append(f"slots_met >= {len(needed)}")
    if "nearby" in filters:
        conditions.append("within = 1")
    if "skilled" in filters:
        conditions.append("(skill OR interest)")
    end = connection.ops.adapt_datefield_value(help_request.end_date)
    # PostgreSQL would otherwise pull the facts up into the levels above and compute each subquery again for
    # every reference to it; OFFSET 0 keeps them computed once.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sql = f"""
        SELECT pk, month_used, year_used, score, COUNT(*) OVER (), skill, interest FROM (
          SELECT h.*,
            CASE WHEN last_day >= %s THEN %s ELSE 0 END
            + CASE WHEN hours_left <= 0 THEN 0 {f"WHEN {short} THEN %s" if short else ""} ELSE %s END
            + CASE WHEN slots_met >= %s THEN %s WHEN slots_met > 0 THEN %s ELSE 0 END
            + CASE WHEN same_place = 1 THEN %s
                   WHEN km <= max_distance_km THEN CASE WHEN near < 1 THEN 1 ELSE CAST(near AS INTEGER) END
                   ELSE 0 END
            + CASE WHEN skill THEN %s WHEN interest THEN %s ELSE 0 END
            {certificates} AS score
          FROM (
            SELECT g.*,
              CASE WHEN month_left < year_left THEN month_left ELSE year_left END AS hours_left,
              CASE WHEN same_place = 1 THEN 0.0 ELSE km END AS distance,
              CASE WHEN same_place = 1 OR km IS NULL OR km <= max_distance_km THEN 1 ELSE 0 END AS within,
              ROUND(%s * (1.0 - km / CAST(CASE WHEN max_distance_km > 1 THEN max_distance_km ELSE 1 END
                                          AS DOUBLE PRECISION))) AS near
            FROM (
              SELECT f.*,
                CASE WHEN %s - month_used > 0 THEN %s - month_used ELSE 0 END AS month_left,
                CASE WHEN %s - year_used > 0 THEN %s - year_used ELSE 0 END AS year_left,
                CASE WHEN f.municipality_id = %s THEN 1 ELSE 0 END AS same_place,
                {km} AS km
              FROM (
                SELECT f.*, f.worker_id AS pk, {hours_select} FROM ({facts_sql}{fence}) f {hours_join}
              ) f
            ) g
          ) h
        ) ranked
        WHERE {" AND ".join(conditions)}
        ORDER BY {_ORDER_BY_SQL[sort]}
        LIMIT %s"""
    # Python's round() and PostgreSQL's round(double precision) both round half to even.
    all_params = [
        end, POINTS["trajectory_covers"], *short_params, *([POINTS["hours_some"]] if short else []),
        POINTS["hours_enough"], len(needed), POINTS["availability_full"], POINTS["availability_partial"],
        POINTS["same_municipality"], POINTS["skill"], POINTS["interest"],
        *([POINTS["certificate"]] * certificate_count),
        float(POINTS["within_distance"]),
        month_cap, month_cap, year_cap, year_cap, help_request.municipality_id, *place_params,
        *params, limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return cursor.fetchall()


def candidates_ranked_in_python(*, help_request: HelpRequest, user, sort: str = "score", filters=(),
                                on: datetime.date | None = None) -> list[Candidate]:
    """The reference ranking: every eligible worker scored in Python, whole pool in memory. `candidates_for`
    ranks in SQL and must give the same list (tests/assignments/test_matching_sql.py); nothing else uses this."""
    if help_request.organiser_id != getattr(user, "organiser_id", None):
        return []
    filters = set(filters)
    on = on or today()
    workers = list(_eligible_workers(help_request))
    if not workers:
        return []
    # Flat rows, not prefetch_related: building a queryset per worker costs more than the query itself.
    slots_of, kinds_of = {}, {}
    ids = [worker.pk for worker in workers]
    for worker_id, weekday, part in Availability.objects.filter(worker_id__in=ids).values_list(
            "worker_id", "weekday", "part"):
        slots_of.setdefault(worker_id, set()).add((weekday, part))
    for worker_id, kind in WorkerActivity.objects.filter(
            worker_id__in=ids, activity=help_request.activity.main_activity.code).values_list(
            "worker_id", "kind"):
        kinds_of.setdefault(worker_id, set()).add(kind)
    month_of = max(help_request.start_date, on)
    caps = hour_caps_many(workers=workers, on=month_of, organiser=help_request.organiser)
    history = _continuity(help_request)
    needed = requested_slots(help_request)
    planned = planned_minutes_per_month(help_request)
    planned_year = planned_minutes_in_year(help_request, month_of)
    weekday_names = dict(WEEKDAYS)
    token = _language.set(get_language())
    try:
        candidates = _rank(workers, help_request=help_request, on=on, caps=caps, history=history, needed=needed,
                           planned=planned, planned_year=planned_year, weekday_names=weekday_names,
                           slots_of=slots_of, kinds_of=kinds_of, filters=filters)
    finally:
        _language.reset(token)
    candidates.sort(key=_sort_key(sort if sort in SORTS else "score"))
    return candidates


def _rank(workers, *, help_request, on, caps, history, needed, planned, planned_year, weekday_names, slots_of, kinds_of,
          filters):
    candidates = []
    for worker in workers:
        candidate = Candidate(worker=worker, trajectory_last_day=worker.trajectory_last_day,
                              slots=slots_of.get(worker.pk, set()), kinds=kinds_of.get(worker.pk, set()))
        worked = history.get(worker.pk)
        if worked and worked["assigned_here"]:
            continue  # already on this request: listed apart on the page
        if worked:
            candidate.continuity = True
            hours = format_minutes(worked["minutes"])
            candidate.chips.append(Chip(_("Worked here before"), GOOD, ngettext(
                "%(n)s assignment for this client, %(hours)s worked.",
                "%(n)s assignments for this client, %(hours)s worked.", worked["assignments"],
            ) % {"n": worked["assignments"], "hours": hours}, "★"))
        candidate.chips.append(_trajectory_chip(candidate, help_request, on))
        if worker.suspended_during:
            candidate.chips.append(Chip(_("Suspended"), WARN, _("The trajectory is suspended during the period."),
                                        "🗓"))
        candidate.chips.append(_hours_chip(candidate, caps.get(worker.pk), planned, planned_year))
        candidate.chips.append(_availability_chip(candidate, needed, weekday_names))
        candidate.chips.append(_distance_chip(candidate, help_request))
        candidate.chips.extend(_skill_chips(candidate, help_request))
        if worker.ex_pwa and help_request.activity.ex_pwa_only:
            candidate.chips.append(Chip(_("ex-PWA"), GOOD, _("May do activities of the transitional measure."), "✓"))
        if candidate.hours_left_minutes <= 0 and "no_hours" not in filters:
            continue
        if "available" in filters and not candidate.available:
            continue
        if "nearby" in filters and not candidate.within_distance:
            continue
        if "skilled" in filters and not candidate.skilled:
            continue
        candidates.append(candidate)
    return candidates
