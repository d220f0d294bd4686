"""Wijk-werkers with their trajectories (extensions, suspensions, evaluations, the end with an outflow reason and
the follow-ups 3 and 6 months later, interim work), and clients (gebruikers) of the five categories.

Everything is planned in memory first (`plan_workers`, `plan_clients`); `work` plans the assignments on top, and
only then are the rows written (`write_workers`, `write_clients`), so a client's status can follow from its
history.

Trajectories follow the application's rules as its services apply them (`workers.services.trajectories`): a
planned length of six months ends the day before the same day six months later, an extension never goes past
twelve months plus the suspended days, a suspension moves the end dates by its length, a trajectory whose end date
has passed ended with "einde termijn" on that date, and ex-PWA workers have no maximum (they are extended year by
year instead).
"""

import datetime
import math
import random
from dataclasses import dataclass, field

from assignments.models import Client as ClientModel
from assignments.models import ClientCategory, ClientContact, ClientStatus
from assignments.services.clients import structured_communication_for
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months
from wijkwerken.core.rules import WIJK_WERKEN_START
from workers.models import (
    Availability,
    Certificate,
    Evaluation,
    Extension,
    FollowUp,
    InterimWork,
    OutflowReason,
    Referral,
    Suspension,
    Trajectory,
    TrajectoryStatus,
    Worker,
    WorkerActivity,
)

from . import identities
from .base import Org, at
from .spec import Place

DAY = datetime.timedelta(days=1)
IBAN_GIVEN_WITHIN = datetime.timedelta(days=60)  # a worker registered without an IBAN gives it by then

# How much a worker works: (share, lanes, weekdays per lane). A lane is a part of the day (morning or afternoon)
# the worker's assignments follow one another in; two lanes never overlap, so neither do the prestaties.
INTENSITIES = (("none", 0.05, 0, (0,)), ("light", 0.47, 1, (1, 2)), ("regular", 0.45, 1, (2, 3)),
               ("heavy", 0.03, 2, (2, 3)))
GROWTH = 0.5  # wijk-werkers starting in the last year of the history, relative to the first: 1.5 times as many
EARLY_END_REASONS = ((OutflowReason.WORK, 35), (OutflowReason.TRAINING, 14), (OutflowReason.INTERNSHIP, 8),
                     (OutflowReason.WORK_CARE, 5), (OutflowReason.STOPPED, 15), (OutflowReason.ILLNESS, 10),
                     (OutflowReason.MOVED, 5), (OutflowReason.OTHER, 8))
EX_PWA_END_REASONS = ((OutflowReason.OTHER, 50), (OutflowReason.ILLNESS, 30), (OutflowReason.STOPPED, 20))
END_NOTES = {OutflowReason.WORK: "Vaste job gevonden", OutflowReason.TRAINING: "Start opleiding bij VDAB",
             OutflowReason.INTERNSHIP: "IBO bij een werkgever", OutflowReason.WORK_CARE: "Doorverwezen naar werk-zorg",
             OutflowReason.TERM_ENDED: "", OutflowReason.STOPPED: "Stopt op eigen vraag",
             OutflowReason.ILLNESS: "Langdurig ziek", OutflowReason.MOVED: "Verhuisd buiten de regio",
             OutflowReason.OTHER: "Pensioen"}
LANGUAGES = ((["nl"], 55), (["nl", "fr"], 8), (["nl", "en"], 7), (["ar", "nl"], 8), (["tr", "nl"], 5),
             (["ti"], 3), (["prs", "en"], 3), (["uk", "en"], 4), (["ro", "nl"], 3), (["pl", "nl"], 2),
             (["so"], 2))
MOBILITY = ((["foot", "bike"], 40), (["public_transport"], 20), (["bike", "public_transport"], 20), (["car"], 20))
INTERIM_EMPLOYERS = ("Randstad", "Start People", "Tempo-Team", "Adecco", "Accent Jobs")
CATEGORY_SHARES = ((ClientCategory.PARTICULIER, 0.843), (ClientCategory.VZW, 0.065), (ClientCategory.ONDERWIJS, 0.05),
                   (ClientCategory.LAND_TUINBOUW, 0.03), (ClientCategory.LOKAAL_BESTUUR, 0.012))
STOP_REASONS = ("Geen hulp meer nodig", "Verhuisd naar een woonzorgcentrum", "Overleden", "Verhuisd",
                "Hulp via dienstencheques")
POSITIONS = ("Directeur", "Coördinator", "Secretariaat", "Verantwoordelijke logistiek", "Diensthoofd")


def weighted(rng, pairs):
    total = sum(weight for _value, weight in pairs)
    pick = rng.random() * total
    for value, weight in pairs:
        pick -= weight
        if pick < 0:
            return value
    return pairs[-1][0]


def days_between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day in [first, last] (first when the range is empty)."""
    span = (last - first).days
    return first + datetime.timedelta(days=rng.randint(0, span)) if span > 0 else first


# --- workers -------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class TrajectoryPlan:
    start: datetime.date
    planned_end: datetime.date
    end_date: datetime.date
    max_end: datetime.date | None
    evaluation_due: datetime.date
    ended_on: datetime.date | None = None
    outflow: str = ""
    last_evaluated: datetime.date | None = None
    evaluations: list = field(default_factory=list)
    suspensions: list = field(default_factory=list)  # (first day, last day, decided on)
    extensions: list = field(default_factory=list)  # (previous end, new end, decided on)
    pk: int = 0

    @property
    def active(self) -> bool:
        return self.ended_on is None

    @property
    def last_day(self) -> datetime.date:
        """The last day hours may be worked (an active trajectory runs past the reference day)."""
        return self.ended_on or self.end_date

    def suspended(self, day: datetime.date) -> bool:
        return any(first <= day <= last for first, last, _decided in self.suspensions)


@dataclass(slots=True)
class WorkerPlan:
    index: int
    place: Place
    first_name: str
    last_name: str
    female: bool
    national_number: str
    ex_pwa: bool
    intensity: str
    lanes: int
    weekdays: tuple
    referral: str
    skills: list
    trajectories: list
    bemiddelaar: int | None
    coach: int | None
    has_login: bool
    interim: list = field(default_factory=list)  # (first day, last day)
    iban: str = ""  # as written (display form), or "" without one
    pk: int = 0
    user_id: int | None = None

    def free_on(self, day: datetime.date) -> bool:
        return not any(t.suspended(day) for t in self.trajectories) and not any(
            first <= day <= last for first, last in self.interim)


def plan_workers(org: Org) -> list[WorkerPlan]:
    rng, numbers = org.rng, identities.NationalNumbers(org.rng)
    mains = sorted({a.main_code for activities in org.activities.values() for a in activities})
    workers = []
    for index in range(org.spec.workers):
        ex_pwa = rng.random() < 0.04
        female = rng.random() < 0.55
        first, last, _female = identities.person(rng, female=female)
        age_from, age_until = (52, 66) if ex_pwa else (19, 63)
        intensity = weighted(rng, [(i, share) for i, share, _lanes, _days in INTENSITIES])
        lanes, days = next((lanes, days) for i, _share, lanes, days in INTENSITIES if i == intensity)
        worker = WorkerPlan(
            index=index, place=org.place_by_population(), first_name=first, last_name=last, female=female,
            national_number=numbers.new(born_from=org.reference.year - age_until,
                                        born_until=org.reference.year - age_from, female=female),
            ex_pwa=ex_pwa, intensity=intensity, lanes=lanes, weekdays=days,
            referral=Referral.OCMW if rng.random() < 0.3 else Referral.VDAB,
            skills=rng.sample(mains, rng.randint(1, min(3, len(mains)))), trajectories=[],
            bemiddelaar=org.staff_member(Role.BEMIDDELAAR), coach=org.staff_member(Role.WERKCOACH),
            has_login=index == 0 or rng.random() < 0.6)
        worker.trajectories = _plan_trajectories(org, worker)
        worker.interim = _plan_interim(org, worker)
        workers.append(worker)
    return workers


def _plan_trajectories(org: Org, worker: WorkerPlan) -> list[TrajectoryPlan]:
    rng, reference = org.rng, org.reference
    if worker.ex_pwa:
        return [_ex_pwa_trajectory(org)]
    # Trajectories that began before the history still run into it, so its first months are as busy as the
    # rest; a few more workers start every year (wijk-werken grows): the density of the start rises linearly,
    # to 1 + GROWTH times its first value (the inverse of that distribution function, drawn uniformly).
    earliest = max(org.start - datetime.timedelta(days=330), WIJK_WERKEN_START)
    latest = reference - datetime.timedelta(days=10)
    share = (math.sqrt(1 + 2 * GROWTH * rng.random() * (1 + GROWTH / 2)) - 1) / GROWTH
    start = earliest + datetime.timedelta(days=int((latest - earliest).days * share))
    trajectories = [_trajectory(org, start)]
    first = trajectories[0]
    if (not first.active and first.outflow in (OutflowReason.STOPPED, OutflowReason.ILLNESS,
                                               OutflowReason.TERM_ENDED, OutflowReason.OTHER)
            and rng.random() < 0.15):
        again = first.ended_on + datetime.timedelta(days=rng.randint(60, 400))
        if again < reference - datetime.timedelta(days=30):
            trajectories.append(_trajectory(org, again))
    return trajectories


def _trajectory(org: Org, start: datetime.date) -> TrajectoryPlan:
    rng, reference = org.rng, org.reference
    rules = org.rules_on(start)
    planned_end = add_months(start, rules.trajectory_planned_months) - DAY
    plan = TrajectoryPlan(start=start, planned_end=planned_end, end_date=planned_end,
                          max_end=add_months(start, rules.trajectory_max_months) - DAY,
                          evaluation_due=add_months(start, rules.evaluation_interval_months) - DAY)
    early = None
    if rng.random() < 0.35:
        early = start + datetime.timedelta(days=rng.randint(30, max((planned_end - start).days + 60, 31)))
    if rng.random() < 0.10:
        first = start + datetime.timedelta(days=rng.randint(30, 150))
        last = first + datetime.timedelta(days=rng.randint(14, 70) - 1)
        decided = first - datetime.timedelta(days=rng.randint(0, 5))
        if first < reference and first <= plan.end_date and (early is None or first < early):
            plan.suspensions.append((first, last, decided))
            shift = last - first + DAY
            plan.end_date += shift
            plan.max_end += shift
            if plan.evaluation_due >= first:
                plan.evaluation_due += shift
    if rng.random() < 0.5:
        targets = [min(add_months(start, 9) - DAY + (plan.max_end - add_months(start, 12) + DAY), plan.max_end)]
        if rng.random() < 0.3:
            targets.append(plan.max_end)
        for target in targets:
            decided = plan.end_date - datetime.timedelta(days=rng.randint(7, 30))
            if target <= plan.end_date or decided >= reference or (early is not None and decided >= early):
                break
            plan.extensions.append((plan.end_date, target, decided))
            plan.end_date = target
    if early is not None and early <= plan.end_date and early < reference:
        plan.ended_on, plan.outflow = early, weighted(rng, EARLY_END_REASONS)
    elif plan.end_date < reference:
        plan.ended_on, plan.outflow = plan.end_date, OutflowReason.TERM_ENDED
    _evaluate(org, plan)
    return plan


def _ex_pwa_trajectory(org: Org) -> TrajectoryPlan:
    """Since the start of wijk-werken, without a maximum; staff extend it a year at a time. About a third
    stopped during the history (retirement, illness)."""
    rng, reference = org.rng, org.reference
    start = WIJK_WERKEN_START
    rules = org.rules_on(start)
    planned_end = add_months(start, rules.trajectory_planned_months) - DAY
    plan = TrajectoryPlan(start=start, planned_end=planned_end, end_date=planned_end, max_end=None,
                          evaluation_due=add_months(start, rules.evaluation_interval_months) - DAY)
    ends_on = days_between(rng, org.start, reference - DAY) if rng.random() < 0.35 else None
    horizon = ends_on or reference
    while plan.end_date <= horizon:
        decided = plan.end_date - datetime.timedelta(days=rng.randint(10, 40))
        new_end = add_months(plan.end_date, 12)
        plan.extensions.append((plan.end_date, new_end, decided))
        plan.end_date = new_end
    if ends_on is not None:
        plan.ended_on, plan.outflow = ends_on, weighted(rng, EX_PWA_END_REASONS)
    _evaluate(org, plan)
    return plan


def _evaluate(org: Org, plan: TrajectoryPlan) -> None:
    """Every six months the bemiddelaar evaluates, as long as the trajectory runs (before the reference day)."""
    rng = org.rng
    while plan.evaluation_due < min(plan.last_day, org.reference - DAY):
        evaluated = max(plan.evaluation_due - datetime.timedelta(days=rng.randint(0, 14)), plan.start)
        plan.evaluations.append(evaluated)
        plan.last_evaluated = evaluated
        plan.evaluation_due = add_months(evaluated, org.rules_on(evaluated).evaluation_interval_months)


def _plan_interim(org: Org, worker: WorkerPlan) -> list:
    rng = org.rng
    if rng.random() >= 0.03:
        return []
    trajectory = worker.trajectories[-1]
    periods = []
    for _n in range(rng.randint(1, 2)):
        first = days_between(rng, trajectory.start, min(trajectory.last_day, org.reference) - DAY * 7)
        last = first + datetime.timedelta(days=rng.randint(2, 6) - 1)
        if last < org.reference and all(last < a or first > b for a, b in periods):
            periods.append((first, last))
    return periods


def write_workers(org: Org, workers: list[WorkerPlan], skills_by_worker: dict) -> None:
    """Logins, workers, trajectories and everything that hangs from them."""
    rng, store = org.rng, org.world.store
    with_login = [w for w in workers if w.has_login]
    users = [{"password": org.world.password_hash, "role": Role.WIJKWERKER, "organiser_id": org.pk,
              "email": org.email("wijkwerker" if w.index == 0 else f"wijkwerker{w.index}"),
              "first_name": w.first_name, "last_name": w.last_name, "municipality_id": w.place.pk,
              "date_joined": at(w.trajectories[0].start), "is_active": True} for w in with_login]
    for worker, pk in zip(with_login, store.insert(User, users, with_ids=True), strict=True):
        worker.user_id = pk
    rows = []
    for w in workers:
        first_start = w.trajectories[0].start
        referred = first_start - datetime.timedelta(days=rng.randint(7, 60))
        referrer = identities.person(rng)
        account = identities.iban(rng)[0] if rng.random() < 0.9 else ""
        if not account and first_start < org.reference - IBAN_GIVEN_WITHIN:
            # Registered without an IBAN, given within weeks (else the worker is never paid): only a recent
            # starter still lacks one. Drawn apart, so the organiser's draws stay the same.
            account = identities.iban(random.Random(w.national_number))[0]
        w.iban = identities.iban_display(account) if account else ""
        rows.append({
            "organiser_id": org.pk, "municipality_id": w.place.pk, "first_name": w.first_name,
            "last_name": w.last_name, "national_number": w.national_number,
            "email": org.email("wijkwerker" if w.index == 0 else f"wijkwerker{w.index}") if w.has_login else "",
            "phone": identities.phone(rng), "street": identities.street(rng),
            "postcode": rng.choice(w.place.postcodes) if w.place.postcodes else "1000", "city": w.place.name,
            "referral": w.referral,
            "referrer_name": (f"VDAB-trajectbegeleider {referrer[0]} {referrer[1]}" if w.referral == Referral.VDAB
                              else f"OCMW {w.place.name} – {referrer[0]} {referrer[1]}"),
            "referral_date": referred, "consent_signed_on": referred + datetime.timedelta(days=rng.randint(0, 6)),
            "languages": weighted(rng, LANGUAGES), "mobility": weighted(rng, MOBILITY),
            "max_distance_km": rng.choice((3, 5, 5, 10, 10, 15, 25)),
            "certificates": rng.sample(Certificate.values, rng.choice((0, 0, 1, 1, 2))),
            "iban": w.iban, "ex_pwa": w.ex_pwa,
            "bemiddelaar_id": w.bemiddelaar, "coach_id": w.coach, "user_id": w.user_id,
            "created_at": at(referred, 10, rng.randint(0, 59)),
        })
    for worker, pk in zip(workers, store.insert(Worker, rows, with_ids=True), strict=True):
        worker.pk = pk

    trajectories = [(w, t) for w in workers for t in w.trajectories]
    rows = [{
        "organiser_id": org.pk, "worker_id": w.pk,
        "status": TrajectoryStatus.ACTIVE if t.active else TrajectoryStatus.ENDED, "start_date": t.start,
        "planned_end_date": t.planned_end, "end_date": t.end_date, "max_end_date": t.max_end,
        "evaluation_due_on": t.evaluation_due, "last_evaluated_on": t.last_evaluated, "ended_on": t.ended_on,
        "outflow_reason": t.outflow, "end_note": END_NOTES.get(t.outflow, "") if t.outflow else "",
        "created_at": at(t.start - datetime.timedelta(days=rng.randint(0, 5)), 11)}
        for w, t in trajectories]
    for (_w, trajectory), pk in zip(trajectories, store.insert(Trajectory, rows, with_ids=True), strict=True):
        trajectory.pk = pk

    suspensions, extensions, evaluations, follow_ups = [], [], [], []
    for w, t in trajectories:
        for first, last, decided in t.suspensions:
            suspensions.append({"trajectory_id": t.pk, "start_date": first, "end_date": last,
                                "reason": rng.choice(("Ziekte", "Zorg voor een familielid", "Opname")),
                                "created_by_id": w.bemiddelaar, "created_at": at(decided, 14)})
        for previous, new, decided in t.extensions:
            extensions.append({"trajectory_id": t.pk, "previous_end_date": previous, "new_end_date": new,
                               "reason": "Verlenging na evaluatie" if not w.ex_pwa else "Jaarlijkse verlenging ex-PWA",
                               "created_by_id": w.bemiddelaar, "created_at": at(decided, 15)})
        for evaluated in t.evaluations:
            evaluations.append({"trajectory_id": t.pk, "evaluated_on": evaluated,
                                "note": rng.choice(("Loopt goed, gemotiveerd.", "Werkt graag bij vaste gebruikers.",
                                                    "Wil doorgroeien naar een opleiding.",
                                                    "Taal blijft een drempel; taalcoaching loopt.")),
                                "created_by_id": w.bemiddelaar, "created_at": at(evaluated, 16)})
        if t.ended_on:
            for follow_up in FollowUp.for_ended_trajectory(t.pk, t.ended_on):
                done = follow_up.due_on + datetime.timedelta(days=rng.randint(0, 21))
                is_done = done < org.reference and rng.random() < 0.9
                follow_ups.append({
                    "trajectory_id": t.pk, "months_after": follow_up.months_after, "due_on": follow_up.due_on,
                    "done_on": done if is_done else None,
                    "situation": _follow_up_situation(rng, t.outflow) if is_done else "", "note": ""})
    store.insert(Suspension, suspensions)
    store.insert(Extension, extensions)
    store.insert(Evaluation, evaluations)
    store.insert(FollowUp, follow_ups)
    store.insert(InterimWork, [
        {"worker_id": w.pk, "start_date": first, "end_date": last, "employer": rng.choice(INTERIM_EMPLOYERS),
         "created_by_id": w.bemiddelaar, "created_at": at(last + DAY, 10)}
        for w in workers for first, last in w.interim])
    _write_availability_and_skills(org, workers, skills_by_worker)


def _follow_up_situation(rng, outflow: str) -> str:
    if outflow in (OutflowReason.WORK, OutflowReason.TRAINING, OutflowReason.INTERNSHIP) and rng.random() < 0.75:
        return OutflowReason.WORK if rng.random() < 0.7 else outflow
    return weighted(rng, [(r, w) for r, w in EARLY_END_REASONS] + [(OutflowReason.TERM_ENDED, 20)])


def _write_availability_and_skills(org: Org, workers: list[WorkerPlan], skills_by_worker: dict) -> None:
    """Availability covers the slots the worker's assignments use, and some more; skills and interests are the
    main activities the worker was planned for and the ones done."""
    rng, store = org.rng, org.world.store
    slots, skills = [], []
    for w in workers:
        used = skills_by_worker.get(w.index, {"slots": set(), "mains": set()})
        wanted = set(used["slots"])
        for _n in range(rng.randint(2, 6)):
            wanted.add((rng.randint(0, 5), rng.choice(("morning", "afternoon", "morning", "evening"))))
        slots += [{"worker_id": w.pk, "weekday": day, "part": part} for day, part in sorted(wanted)]
        done = set(used["mains"])
        skills += [{"worker_id": w.pk, "activity": code, "kind": "skill"} for code in sorted(set(w.skills) | done)]
        skills += [{"worker_id": w.pk, "activity": code, "kind": "interest"}
                   for code in sorted(set(w.skills) - done)[:1]]
    store.insert(Availability, slots)
    store.insert(WorkerActivity, skills)


# --- clients -------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class ClientPlan:
    index: int
    category: str
    place: Place
    registered: datetime.date
    name: str
    street: str = ""
    postcode: str = ""
    first_name: str = ""
    last_name: str = ""
    national_number: str = ""
    kbo_index: int = 0
    ex_pwa: bool = False
    iban: str = ""
    logins: int = 0
    status: str = ClientStatus.ACTIVE
    signed_on: datetime.date | None = None
    activated_on: datetime.date | None = None
    stopped_on: datetime.date | None = None
    stop_reason: str = ""
    online: bool = False
    plain_login: bool = False  # the organiser's first private client with a login: gebruiker@<organiser>
    registered_by: int | None = None
    # filled by `work`: the last day it had work, the days of its assignments (to choose its status)
    last_work: datetime.date | None = None
    number: int = 0
    pk: int = 0
    contact_user_ids: list = field(default_factory=list)

    @property
    def is_private(self) -> bool:
        return self.category == ClientCategory.PARTICULIER


def plan_clients(org: Org) -> list[ClientPlan]:
    """Clients of the five categories. Every municipality's own services (lokaal bestuur) come first, so even a
    small organiser has them; private persons are most of the rest."""
    rng, reference, numbers = org.rng, org.reference, identities.NationalNumbers(org.rng)
    total = org.spec.clients
    counts = {category: round(total * share) for category, share in CATEGORY_SHARES}
    counts[ClientCategory.LOKAAL_BESTUUR] = max(1, counts[ClientCategory.LOKAAL_BESTUUR])
    counts[ClientCategory.PARTICULIER] = max(1, total - sum(v for k, v in counts.items()
                                                            if k != ClientCategory.PARTICULIER))
    order = [ClientCategory.LOKAAL_BESTUUR] * counts[ClientCategory.LOKAAL_BESTUUR]
    for category, _share in CATEGORY_SHARES:
        if category != ClientCategory.LOKAAL_BESTUUR:
            order += [category] * counts[category]
    clients = []
    names_used = set()
    for index, category in enumerate(order[:total]):
        if category == ClientCategory.LOKAAL_BESTUUR and index < len(org.places):
            place = sorted(org.places, key=lambda p: -p.population)[index]
        else:
            place = org.place_by_population()
        if category == ClientCategory.PARTICULIER:
            registered = days_between(rng, max(org.start - datetime.timedelta(days=900), WIJK_WERKEN_START),
                                      reference - DAY)
        else:
            registered = days_between(rng, WIJK_WERKEN_START + datetime.timedelta(days=15),
                                      reference - datetime.timedelta(days=30))
        client = ClientPlan(index=index, category=category, place=place, registered=registered, name="",
                            street=identities.street(rng),
                            postcode=rng.choice(place.postcodes) if place.postcodes else "1000")
        if category == ClientCategory.PARTICULIER:
            first, last, female = identities.person(rng)
            client.first_name, client.last_name, client.name = first, last, f"{first} {last}"
            client.national_number = numbers.new(born_from=reference.year - 95, born_until=reference.year - 25,
                                                 female=female)
            client.ex_pwa = registered.year <= 2018 and rng.random() < 0.06
            client.plain_login = index == counts[ClientCategory.LOKAAL_BESTUUR]
            client.logins = 1 if client.plain_login or rng.random() < 0.5 else 0
        else:
            client.name = _organisation_name(rng, category, place, names_used, index)
            client.first_name, client.last_name, _female = identities.person(rng)
            client.logins = 0 if rng.random() < 0.1 else 2 if rng.random() < 0.1 else 1
        client.iban = identities.iban(rng)[0] if rng.random() < 0.75 else ""
        client.online = client.is_private and rng.random() < 0.4
        client.registered_by = None if client.online else org.staff_member(Role.BEMIDDELAAR)
        clients.append(client)
    return clients


def _organisation_name(rng, category: str, place: Place, used: set, index: int) -> str:
    if category == ClientCategory.LOKAAL_BESTUUR:
        base = (f"Gemeente {place.name}" if f"Gemeente {place.name}" not in used
                else f"{rng.choice(identities.OWN_SERVICES)} {place.name}")
    elif category == ClientCategory.ONDERWIJS:
        base = f"{rng.choice(identities.SCHOOLS)} {place.name}"
    elif category == ClientCategory.VZW:
        base = f"{rng.choice(identities.VZWS)} {place.name}"
    else:
        base = f"{rng.choice(identities.FARMS)} {place.name}"
    name = base if base not in used else f"{base} ({index})"
    used.add(name)
    return name


def settle_client_statuses(org: Org, clients: list[ClientPlan]) -> None:
    """A client's status on the reference day, from its history: new registrations may still wait for the
    agreement or the fee; clients without work for a long time often stopped (after their last work)."""
    rng, reference = org.rng, org.reference
    for client in clients:
        client.signed_on = client.registered + datetime.timedelta(days=rng.randint(0, 7))
        recent = (reference - client.registered).days < 20
        if recent and client.last_work is None and rng.random() < 0.6:
            if rng.random() < 0.5 or client.signed_on >= reference:
                client.status, client.signed_on = ClientStatus.APPLIED, None
            else:
                client.status = ClientStatus.AGREEMENT_SIGNED
            continue
        quiet_since = client.last_work or client.signed_on
        if (reference - quiet_since).days > 120 and rng.random() < (0.35 if client.last_work else 0.5):
            client.stopped_on = min(quiet_since + datetime.timedelta(days=rng.randint(14, 180)), reference - DAY)
            client.status = ClientStatus.STOPPED
            client.stop_reason = rng.choice(STOP_REASONS) if client.is_private else "Geen vraag meer"


def write_client_logins(org: Org, clients: list[ClientPlan]) -> None:
    """Hand out the gebruikersnummers (global, so the structured communications are unique) and write the
    clients' logins: a private client's own, an organisation's contact persons. The clients themselves are
    written later (`write_clients`), once their history has decided their status."""
    rng, world = org.rng, org.world
    users, logins = [], []
    for offset, client in enumerate(clients):
        client.number = org.task.first_client_number + offset
        for n in range(client.logins):
            if client.is_private and n == 0:
                first, last = client.first_name, client.last_name
            else:
                first, last, _female = identities.person(rng)
            users.append({"password": world.password_hash, "role": Role.GEBRUIKER, "organiser_id": org.pk,
                          "municipality_id": client.place.pk, "email": org.email(_client_login(client, n)),
                          "first_name": first, "last_name": last, "date_joined": at(client.registered, 10),
                          "is_active": True})
            logins.append(client)
    for client, user_id in zip(logins, world.store.insert(User, users, with_ids=True), strict=True):
        client.contact_user_ids.append(user_id)


def write_clients(org: Org, clients: list[ClientPlan]) -> None:
    """The clients and their contact persons (fees are written with the money, which knows when each was
    paid)."""
    rng, store = org.rng, org.world.store
    rows = []
    for client in clients:
        registered = at(client.registered, 10, rng.randint(0, 59))
        rows.append({
            "organiser_id": org.pk, "number": client.number,
            "structured_communication": structured_communication_for(client.number), "category": client.category,
            "name": client.name, "first_name": client.first_name if client.is_private else "",
            "last_name": client.last_name if client.is_private else "", "national_number": client.national_number,
            "kbo_number": "" if client.is_private else identities.kbo_number(3_000_000 + client.number),
            "street": client.street, "postcode": client.postcode, "city": client.place.name,
            "municipality_id": client.place.pk,
            "email": org.email(_client_login(client, 0)) if client.logins else "", "phone": identities.phone(rng),
            "iban": identities.iban_display(client.iban) if client.iban else "", "is_ex_pwa": client.ex_pwa,
            "status": client.status, "agreement_signed_on": client.signed_on, "activated_on": client.activated_on,
            "stopped_on": client.stopped_on, "stop_reason": client.stop_reason,
            "registered_online": client.online, "registered_by_id": client.registered_by,
            "created_at": registered, "updated_at": registered,
        })
    for client, pk in zip(clients, store.insert(ClientModel, rows, with_ids=True), strict=True):
        client.pk = pk
    store.insert(ClientContact, [
        {"client_id": client.pk, "user_id": user_id, "is_primary": n == 0,
         "position": "" if client.is_private else rng.choice(POSITIONS), "created_at": at(client.registered, 10)}
        for client in clients for n, user_id in enumerate(client.contact_user_ids)])


def _client_login(client: ClientPlan, n: int) -> str:
    if client.plain_login and n == 0:
        return "gebruiker"
    return f"gebruiker.{client.number}" + (f".{n + 1}" if n else "")


def fee_rows(org: Org, client: ClientPlan, paid: dict) -> list[dict]:
    """One fee per calendar year the client was registered and not stopped; `paid` maps a year to the day it
    was paid (with an order or at the desk)."""
    last_year = (client.stopped_on or org.reference).year
    return [{"client_id": client.pk, "year": year,
             "amount": org.rules_on(datetime.date(year, 1, 1)).registration_fee,
             "status": "paid" if year in paid else "due", "paid_on": paid.get(year),
             "created_at": at(max(datetime.date(year, 1, 1), client.registered), 6)}
            for year in range(client.registered.year, last_year + 1)]

