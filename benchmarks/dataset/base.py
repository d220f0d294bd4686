"""Per organiser: the organiser itself, its municipalities, rule set versions, cheque price decisions, activity
list (seeded by the application's own service) with some local extensions and restrictions, and staff accounts
of every role."""

import bisect
import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils.text import slugify

from assignments.models import Activity, ActivityRestriction, ClientCategory, MainActivity
from assignments.services.activities import activity_list_seed
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months
from wijkwerken.core.models import ChequePrice, Municipality, Organiser, RuleSet
from wijkwerken.core.rules import WIJK_WERKEN_START, cheque_prices_on

from . import identities
from .spec import OrganiserSpec, Place
from .store import Store, existing

TZ = ZoneInfo("Europe/Brussels")
EMAIL_DOMAIN = "wijkwerken.test"
PRICE_STEPS = (Decimal("6.45"), Decimal("6.95"), Decimal("7.45"))


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware moment in Brussels on `day`."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@dataclass
class ActivityInfo:
    pk: int
    category: str
    main_code: str
    name: str
    ex_pwa_only: bool
    municipality_id: int | None
    valid_from: datetime.date


@dataclass
class World:
    """What the whole build shares: the reference day, the municipalities, the password, the natural keys the
    database already holds. Each process writes through its own `store`."""

    seed: int
    reference: datetime.date
    places: list[Place]
    store: Store
    password_hash: str
    order_communications: set = field(default_factory=set)
    mollie_ids: set = field(default_factory=set)
    activity_template: int | None = None  # the organiser this process seeded the activity list for

    @property
    def cutoff(self) -> datetime.datetime:
        """History ends at the start of the reference day: every generated moment is before it."""
        return at(self.reference, 0)


@dataclass(frozen=True)
class Task:
    """One organiser to build, with everything that must not depend on the order organisers are built in: its
    place in the build (which keeps its order communications apart), its first gebruikersnummer and its
    enterprise number."""

    index: int
    spec: OrganiserSpec
    places: tuple
    first_client_number: int
    kbo: str


@dataclass
class Org:
    """One organiser being generated."""

    world: World
    task: Task
    spec: OrganiserSpec
    rng: random.Random
    organiser: Organiser
    slug: str
    places: list[Place]
    start: datetime.date  # the first day of its history
    rule_sets: list[RuleSet]
    prices: dict  # (municipality id, year) -> price
    activities: dict  # category -> [ActivityInfo]
    restrictions: dict  # municipality id -> [(activity id, valid from)]
    staff: dict  # role -> [user id]
    _weights: list[float] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.organiser.pk

    @property
    def reference(self) -> datetime.date:
        return self.world.reference

    def email(self, local: str) -> str:
        return f"{local}@{self.slug}.{EMAIL_DOMAIN}"

    def rules_on(self, day: datetime.date) -> RuleSet:
        """The organiser's rule set version valid on `day` (all versions are in memory)."""
        starts = [r.valid_from for r in self.rule_sets]
        return self.rule_sets[max(bisect.bisect_right(starts, day) - 1, 0)]

    def price(self, municipality_id: int, day: datetime.date) -> Decimal:
        return self.prices[(municipality_id, day.year)]

    def place_by_population(self) -> Place:
        if not self._weights:
            total = 0
            for place in self.places:
                total += place.population
                self._weights.append(total)
        return self.places[bisect.bisect_right(self._weights, self.rng.random() * self._weights[-1])]

    def staff_member(self, role: str) -> int | None:
        members = self.staff.get(role) or []
        return self.rng.choice(members) if members else None


def history_start(reference: datetime.date, years: int) -> datetime.date:
    """The first day of `years` of history ending the day before `reference`; never before wijk-werken began."""
    return max(add_months(reference, -12 * years), WIJK_WERKEN_START)


def organiser_slug(name: str) -> str:
    slug = slugify(name)
    return slug.removeprefix("wijk-werken-") or slug


def create_organiser(world: World, task: Task) -> Org:
    spec, places = task.spec, list(task.places)
    rng = random.Random(f"{world.seed}:{spec.name}")
    slug = organiser_slug(spec.name)
    if existing("SELECT 1 FROM accounts_user WHERE email LIKE %s LIMIT 1", [f"%@{slug}.{EMAIL_DOMAIN}"]):
        raise ValueError(f"{spec.name!r} was generated in this database before (accounts @{slug}.{EMAIL_DOMAIN})")
    taken = Municipality.objects.filter(pk__in=[p.pk for p in places], organiser__isnull=False)
    if taken.exists():
        names = ", ".join(f"{m.name} ({m.organiser})" for m in taken.select_related("organiser"))
        raise ValueError(f"these municipalities already belong to an organiser: {names}")
    main = max(places, key=lambda p: (p.population, p.nis_code))
    account, bic = identities.iban(rng)
    organiser = Organiser(
        name=spec.name, street=identities.street(rng), postcode=main.postcodes[0] if main.postcodes else "1000",
        city=main.name, kbo_number=task.kbo, iban=identities.iban_display(account), bic=bic,
        email=f"info@{slug}.{EMAIL_DOMAIN}",
        phone=f"0{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        lowest_price_applies=spec.lowest_price_applies,
    )
    organiser.full_clean()
    organiser.save()
    Municipality.objects.filter(pk__in=[p.pk for p in places]).update(organiser=organiser)
    org = Org(world=world, task=task, spec=spec, rng=rng, organiser=organiser, slug=slug, places=places,
              start=history_start(world.reference, spec.years), rule_sets=[], prices={}, activities={},
              restrictions={}, staff={})
    _rule_sets(org)
    _prices(org)
    _activities(org)
    _staff(org)
    return org


def _rule_sets(org: Org) -> None:
    """The legal values from the start of wijk-werken; some organisers changed their practical rules (days
    before automatic validation and confirmation, payment term, cheque validity) on a later 1 January."""
    rng = org.rng
    versions = [RuleSet(organiser=org.organiser, valid_from=WIJK_WERKEN_START,
                        note="Wettelijke waarden (decreet 7 juli 2017, BVR 29 september 2017)")]
    first_year, last_year = org.start.year + 1, org.reference.year
    if first_year <= last_year and rng.random() < 0.3:
        versions.append(RuleSet(
            organiser=org.organiser, valid_from=datetime.date(rng.randint(first_year, last_year), 1, 1),
            note="Beslissing raad van bestuur: andere termijnen voor bevestiging en betaling",
            auto_validate_working_days=3, auto_confirm_days=10, order_payment_days=21,
            cheque_validity_months=24 if rng.random() < 0.3 else 12))
    for version in versions:
        version.full_clean()
    org.rule_sets = RuleSet.objects.bulk_create(versions)


def _prices(org: Org) -> None:
    """Some municipalities raise the cheque price on a 1 January (decided the autumn before); the price of an
    order follows the application's own rule (`cheque_prices_on`: the decision in force, the legal minimum
    without one, the lowest of the organiser's municipalities without consensus)."""
    rng = org.rng
    decisions = []
    first_year, last_year = org.start.year + 1, org.reference.year
    for place in org.places:
        if first_year > last_year or rng.random() > 0.45:
            continue
        year = rng.randint(first_year, last_year)
        steps = 2 if rng.random() < 0.15 and year < last_year else 1
        price_index = 0 if rng.random() < 0.6 else 1 if rng.random() < 0.75 else 2
        for step in range(steps):
            price = PRICE_STEPS[min(price_index + step, len(PRICE_STEPS) - 1)]
            valid_from = datetime.date(year + step, 1, 1)
            decisions.append(ChequePrice(municipality_id=place.pk, price=price, valid_from=valid_from,
                                         decided_on=datetime.date(valid_from.year - 1, rng.choice((9, 10, 11)),
                                                                  rng.randint(1, 28))))
    ChequePrice.objects.bulk_create(decisions)
    municipalities = list(Municipality.objects.filter(organiser=org.organiser).select_related("organiser"))
    for year in range(WIJK_WERKEN_START.year, org.reference.year + 1):
        on = datetime.date(year, 1, 1)
        for municipality_id, price in cheque_prices_on(municipalities=municipalities, on=on,
                                                       rule_set=org.rules_on(on)).items():
            org.prices[(municipality_id, year)] = price


LOCAL_ACTIVITIES = (
    (ClientCategory.LOKAAL_BESTUUR, "Logistieke taken", "Hulp bij de gemeentelijke speelpleinwerking"),
    (ClientCategory.PARTICULIER, "Ondersteuning en hulp bij begeleiding van personen",
     "Boodschappen doen met de gebruiker"),
    (ClientCategory.VZW, "Logistieke taken", "Hulp bij de wekelijkse markt van de vzw"),
)


def _activities(org: Org) -> None:
    """The Vlaamse activiteitenlijst, seeded by the application's own service for the first organiser a process
    builds and copied from it in one INSERT … SELECT for the others; a few municipalities add a local activity
    or take one off their territory from a date in the history."""
    rng, world = org.rng, org.world
    if world.activity_template is None:
        activity_list_seed(organiser=org.organiser)
        world.activity_template = org.pk
    else:
        _copy_activity_list(world.activity_template, org.pk)
    mains = dict(MainActivity.objects.values_list("name", "code"))
    local, restrictions = [], []
    flemish = list(Activity.objects.filter(organiser=org.organiser, municipality__isnull=True)
                   .select_related("main_activity").order_by("category", "main_activity__name", "name"))
    span = max((org.reference - org.start).days - 30, 1)
    for place in org.places:
        if rng.random() < 0.08:
            category, main, name = rng.choice(LOCAL_ACTIVITIES)
            local.append(Activity(organiser=org.organiser, municipality_id=place.pk, category=category,
                                  main_activity=MainActivity.objects.get(name=main), name=name,
                                  status="praktijkvoorbeeld", source="Beslissing van het college",
                                  valid_from=org.start + datetime.timedelta(days=rng.randrange(span))))
        if rng.random() < 0.08:
            restricted = rng.choice([a for a in flemish if a.category == ClientCategory.PARTICULIER])
            restrictions.append(ActivityRestriction(
                municipality_id=place.pk, activity=restricted, reason="Gemeenteraadsbeslissing",
                valid_from=org.start + datetime.timedelta(days=rng.randrange(span))))
    Activity.objects.bulk_create(local)
    ActivityRestriction.objects.bulk_create(restrictions)
    for activity in [*flemish, *local]:
        org.activities.setdefault(activity.category, []).append(ActivityInfo(
            pk=activity.pk, category=activity.category, main_code=mains[activity.main_activity.name],
            name=activity.name, ex_pwa_only=activity.ex_pwa_only, municipality_id=activity.municipality_id,
            valid_from=activity.valid_from))
    for restriction in restrictions:
        org.restrictions.setdefault(restriction.municipality_id, []).append(
            (restriction.activity_id, restriction.valid_from))


def _copy_activity_list(template_id: int, organiser_id: int) -> None:
    """The template organiser's Flemish list (rows without a municipality), every column but the id, the
    organiser and the moment of writing."""
    fields = [f.column for f in Activity._meta.concrete_fields
              if not f.primary_key and f.column not in ("organiser_id", "created_at")]
    columns = ", ".join(fields)
    with connection.cursor() as cursor:
        cursor.execute(f"""INSERT INTO {Activity._meta.db_table} ({columns}, organiser_id, created_at)
                           SELECT {columns}, %s, now() FROM {Activity._meta.db_table}
                           WHERE organiser_id = %s AND municipality_id IS NULL ORDER BY id""",
                       [organiser_id, template_id])


def _staff(org: Org) -> None:
    """Staff accounts of every role: beheerders, bemiddelaars (one per ~150 workers), werkcoaches (one per ~120)
    and one gemeente account per municipality. The first of each role has the plain address
    `<role>@<organiser>.wijkwerken.test`."""
    rng, workers = org.rng, org.spec.workers
    counts = {Role.BEHEERDER: 1 + workers // 3000, Role.BEMIDDELAAR: max(2, math.ceil(workers / 150)),
              Role.WERKCOACH: max(1, math.ceil(workers / 120))}
    joined = at(org.start - datetime.timedelta(days=30))
    rows, roles = [], []
    for role, count in counts.items():
        for n in range(1, count + 1):
            first, last, _female = identities.person(rng)
            rows.append(_user(org, org.email(role if n == 1 else f"{role}{n}"), first, last, role, None, joined))
            roles.append(role)
    for place in org.places:
        first, last, _female = identities.person(rng)
        rows.append(_user(org, org.email(f"gemeente.{slugify(place.name)}"), first, last, Role.GEMEENTE, place.pk,
                          joined))
        roles.append(Role.GEMEENTE)
    for role, pk in zip(roles, org.world.store.insert(User, rows, with_ids=True), strict=True):
        org.staff.setdefault(role, []).append(pk)


def _user(org: Org, email: str, first: str, last: str, role: str, municipality_id, joined) -> dict:
    return {"password": org.world.password_hash, "email": email, "first_name": first, "last_name": last,
            "role": role, "organiser_id": org.pk, "municipality_id": municipality_id, "date_joined": joined,
            "is_active": True, "is_staff": False, "is_superuser": False}
