"""The database's ranking of candidates equals the Python reference ranking, on generated pools."""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from assignments.models import Assignment, Prestatie, ScheduleKind, WorkerExclusion
from assignments.selectors.matching import FILTERS, SORTS, candidates_for, candidates_ranked_in_python
from tests.assignments.factories import ActivityFactory, ClientFactory, HelpRequestFactory, MainActivityFactory
from tests.assignments.test_matching import CARE, GARDEN, WEEKDAYS_ALL, make_worker, worked_before
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db

PARTS = ("morning", "afternoon", "evening")
CERTIFICATES = ["childcare", "first_aid", "chainsaw", "vca", "food_hygiene"]
FILTER_SETS = [(), ("no_hours",), ("available",), ("nearby", "skilled"), tuple(FILTERS)]


def use_hours(worker, other_request, minutes, month):
    """`minutes` worked for another client, in `month` and, past what one month holds, the months before it in
    the same year (they count against the caps, not for continuity)."""
    year_start = month.replace(month=1, day=1)
    assignment = Assignment.objects.create(
        organiser=other_request.organiser, request=other_request, worker=worker, client=other_request.client,
        activity=other_request.activity, municipality=other_request.municipality, schedule="once",
        start_date=year_start, end_date=year_start.replace(month=12, day=31), status="beeindigd", end_reason="Af")
    days = [month.replace(month=m, day=d) for m in range(month.month, 0, -1) for d in range(1, 29)]
    rows = []
    for day in days:
        if minutes <= 0:
            break
        chunk = min(minutes, 600)
        minutes -= chunk
        rows.append(Prestatie(organiser=other_request.organiser, assignment=assignment, worker=worker,
                              client=other_request.client, date=day, start_time=datetime.time(0),
                              end_time=datetime.time(chunk // 60, chunk % 60), minutes=chunk,
                              cheques=-(-chunk // 60), status="bevestigd"))
    Prestatie.objects.bulk_create(rows)


def requests(rng, organiser, places):
    """A request of each shape: once with times, recurring over months (past the year's end), without times, care
    for a school (certificates), ex-PWA only."""
    start = today() + datetime.timedelta(days=rng.randrange(3, 40))
    garden = ActivityFactory(organiser=organiser, main_activity=MainActivityFactory(name=GARDEN), name="Gras")
    care = ActivityFactory(organiser=organiser, main_activity=MainActivityFactory(name=CARE), name="Toezicht")
    pwa = ActivityFactory(organiser=organiser, main_activity=garden.main_activity, name="PWA", ex_pwa_only=True)
    client = ClientFactory(municipality=places[0])
    school = ClientFactory(municipality=places[1], category="onderwijs")
    return [
        HelpRequestFactory(client=client, activity=garden, municipality=places[0], start_date=start, end_date=start,
                           time_from=datetime.time(9), time_until=datetime.time(11)),
        HelpRequestFactory(client=client, activity=garden, municipality=places[0], schedule=ScheduleKind.RECURRING,
                           weekdays=[0, 3], start_date=start, end_date=start + datetime.timedelta(days=200),
                           time_from=datetime.time(11, 30), time_until=datetime.time(14),
                           hours_per_week=Decimal(rng.choice(["3", "6", "12"]))),
        HelpRequestFactory(client=client, activity=garden, municipality=places[2], schedule=ScheduleKind.RECURRING,
                           weekdays=[1, 5], start_date=start, end_date=start + datetime.timedelta(days=60),
                           time_from=None, time_until=None, hours_per_week=Decimal("4")),
        HelpRequestFactory(client=school, activity=care, municipality=places[1], schedule=ScheduleKind.RECURRING,
                           weekdays=[2], start_date=start, end_date=start + datetime.timedelta(days=30),
                           time_from=datetime.time(15), time_until=datetime.time(19), hours_per_week=Decimal("4")),
        HelpRequestFactory(client=client, activity=pwa, municipality=places[0], start_date=start, end_date=start,
                           time_from=datetime.time(18), time_until=datetime.time(20)),
    ]


def pool(rng, organiser, places, jobs, other_request, size):
    for _n in range(size):
        worker = make_worker(
            organiser, rng.choice(places), slots=rng.sample(WEEKDAYS_ALL, rng.randrange(0, 10)),
            skills=rng.sample(["klein-tuinonderhoud", "ondersteuning-en-hulp-bij-begeleiding-van-personen"],
                              rng.randrange(0, 2)),
            interests=rng.sample(["klein-tuinonderhoud", "logistieke-taken"], rng.randrange(0, 2)),
            certificates=rng.sample(CERTIFICATES, rng.randrange(0, 3)), ex_pwa=rng.random() < 0.3,
            max_distance_km=rng.choice([1, 3, 5, 8, 10, 25]), trajectory=rng.random() < 0.9,
            months_ago=rng.choice([1, 6, 11]))
        if rng.random() < 0.25:
            worked_before(worker, rng.choice(jobs), minutes=rng.choice([60, 240]))
        if rng.random() < 0.5:  # the month's cap nearly or wholly used, or the year's
            use_hours(worker, other_request, rng.choice([600, 2400, 3600, 3660, 6000, 30000, 37800]),
                      max(jobs[0].start_date, today()))
        if rng.random() < 0.1:
            WorkerExclusion.objects.create(worker=worker, client=jobs[0].client, reason="Test")
    if rng.random() < 0.5:  # someone already on a request: listed apart, never a candidate
        Assignment.objects.create(
            organiser=organiser, request=jobs[1], worker=worker, client=jobs[1].client, activity=jobs[1].activity,
            municipality=jobs[1].municipality, schedule="weekly", weekdays=[0], start_date=jobs[1].start_date,
            end_date=jobs[1].end_date)


def explained(candidates):
    return [(c.worker.pk, c.score, c.continuity, [(chip.label, chip.kind, chip.explanation) for chip in c.chips])
            for c in candidates]


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_the_database_ranks_as_the_reference(seed, organiser, leuven, herent, bertem, bemiddelaar):
    rng = random.Random(seed)
    places = [leuven, herent, bertem]
    jobs = requests(rng, organiser, places)
    other = HelpRequestFactory(client=ClientFactory(municipality=herent), activity=jobs[0].activity,
                               start_date=today(), end_date=today())
    pool(rng, organiser, places, jobs, other, size=24)
    compared = 0
    with translation.override("nl"):
        for job in jobs:
            for sort in SORTS:
                for filters in FILTER_SETS:
                    expected = candidates_ranked_in_python(help_request=job, user=bemiddelaar, sort=sort,
                                                           filters=filters)
                    ranked = candidates_for(help_request=job, user=bemiddelaar, sort=sort, filters=filters,
                                            limit=1000)
                    assert explained(ranked) == explained(expected), (job, sort, filters)
                    assert ranked.total == len(expected)
                    top = candidates_for(help_request=job, user=bemiddelaar, sort=sort, filters=filters, limit=5)
                    assert [c.worker.pk for c in top] == [c.worker.pk for c in expected[:5]]
                    compared += bool(expected)
    assert compared >= len(jobs) * len(SORTS)  # the pools are not empty


@time_machine.travel(datetime.datetime(2026, 10, 15, 12, tzinfo=datetime.UTC), tick=False)
def test_hours_count_over_the_whole_period_not_only_the_first_month(organiser, leuven, bemiddelaar):
    """A request to the end of the year needs more hours than the worker has left this year, though the month has
    room enough: a warning and fewer points, not "enough hours"."""
    garden = ActivityFactory(organiser=organiser, main_activity=MainActivityFactory(name=GARDEN), name="Gras")
    client = ClientFactory(municipality=leuven)
    long_job = HelpRequestFactory(client=client, activity=garden, schedule=ScheduleKind.RECURRING, weekdays=[0, 3],
                                  start_date=datetime.date(2026, 11, 2), end_date=datetime.date(2026, 12, 31),
                                  time_from=datetime.time(9), time_until=datetime.time(11),
                                  hours_per_week=Decimal("6"))
    other = HelpRequestFactory(client=ClientFactory(municipality=leuven), activity=garden,
                               start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 5))
    fresh = make_worker(organiser, leuven)
    tired = make_worker(organiser, leuven)
    use_hours(tired, other, (630 - 40) * 60, datetime.date(2026, 10, 1))  # 40 h left this year, 60 h in November
    with translation.override("en"):
        found = {c.worker: c for c in candidates_for(help_request=long_job, user=bemiddelaar)}
    assert found[fresh].score - found[tired].score == 15 - 5
    hours = [chip for chip in found[tired].chips if chip.icon == "⏱"][0]
    assert hours.kind == "warn" and hours.label == "40 u 00 left this year, 51 u 25 needed"


def test_of_two_covering_trajectories_the_one_that_started_last_counts(organiser, leuven, bemiddelaar):
    """A worker whose trajectory ended after the request's start and who started a new one before it: both cover
    the start. The new one counts (as for the eligibility check), though the old one ends later: sorted on the
    trajectory, a worker whose only trajectory ends between the two comes first, in the database as in the
    reference."""
    from workers.models import Trajectory, TrajectoryStatus
    from workers.services import trajectory_start

    garden = ActivityFactory(organiser=organiser, main_activity=MainActivityFactory(name=GARDEN), name="Gras")
    start = today() - datetime.timedelta(days=3)
    job = HelpRequestFactory(client=ClientFactory(municipality=leuven), activity=garden,
                             schedule=ScheduleKind.RECURRING, weekdays=[0, 3], start_date=start,
                             end_date=start + datetime.timedelta(days=60), time_from=datetime.time(9),
                             time_until=datetime.time(11), hours_per_week=Decimal("4"))
    twice = make_worker(organiser, leuven, months_ago=1)  # active, started 30 days ago
    current = Trajectory.objects.get(worker=twice)
    old = Trajectory.objects.create(
        organiser=organiser, worker=twice, status=TrajectoryStatus.ENDED,
        start_date=start - datetime.timedelta(days=365), planned_end_date=start + datetime.timedelta(days=600),
        end_date=start + datetime.timedelta(days=600), evaluation_due_on=start,
        ended_on=start + datetime.timedelta(days=500), outflow_reason="opleiding")
    once = make_worker(organiser, leuven, trajectory=False)
    trajectory_start(worker=once, start_date=today() - datetime.timedelta(days=5), actor=None)
    between = Trajectory.objects.get(worker=once)
    assert current.end_date < between.end_date < old.ended_on and current.start_date > old.start_date
    with translation.override("nl"):
        expected = candidates_ranked_in_python(help_request=job, user=bemiddelaar, sort="trajectory")
        ranked = candidates_for(help_request=job, user=bemiddelaar, sort="trajectory")
    assert explained(ranked) == explained(expected)
    assert [c.worker for c in ranked] == [once, twice]
    assert ranked[1].trajectory_last_day == current.end_date
