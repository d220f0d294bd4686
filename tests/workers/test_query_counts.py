"""The workers pages cost the same with one worker as with fifty (issue 16): counts per status in one query,
the number of trajectories ending soon from the same query as the first of them, no query per row."""

import datetime

import pytest
from django.urls import reverse

from tests.query_counts import queries
from tests.workers.factories import WorkerFactory
from wijkwerken.core.dates import today
from workers import selectors
from workers.models import (
    ActivityKind,
    Availability,
    FollowUp,
    Suspension,
    Trajectory,
    TrajectoryStatus,
    Worker,
    WorkerActivity,
    WorkerStatus,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def workers_in_every_status(organiser, municipality, count):
    """`count` workers in turn: ending soon, suspended, ended with a follow-up due, new (no trajectory)."""
    on = today()
    workers = [WorkerFactory(organiser=organiser, municipality=municipality) for _ in range(count)]
    for n, worker in enumerate(workers):
        kind = n % 4
        if kind == 3:
            continue
        start = on - datetime.timedelta(days=200)
        ended = kind == 2
        trajectory = Trajectory.objects.create(
            organiser=organiser, worker=worker, start_date=start, planned_end_date=on + 5 * DAY,
            end_date=on + 5 * DAY, max_end_date=on + 400 * DAY, evaluation_due_on=on + 3 * DAY,
            status=TrajectoryStatus.ENDED if ended else TrajectoryStatus.ACTIVE,
            ended_on=on - 100 * DAY if ended else None, outflow_reason="werk" if ended else "",
        )
        if kind == 1:
            Suspension.objects.create(trajectory=trajectory, start_date=on - DAY, end_date=on + DAY, reason="Ziekte")
        if ended:
            FollowUp.objects.bulk_create(FollowUp.for_ended_trajectory(trajectory.pk, trajectory.ended_on))
    return workers


@pytest.mark.parametrize("role", ["beheerder", "bemiddelaar", "werkcoach"])
@pytest.mark.parametrize("htmx", [False, True])
def test_the_staff_start_panel_does_not_grow_with_the_workers(client, request, organiser, leuven, role, htmx):
    """Fails on a second query for the number of trajectories ending soon once the panel's eight are full."""
    client.force_login(request.getfixturevalue(role))
    url = reverse("workers:start_panel")
    headers = {"HX-Request": "true"} if htmx else {}
    workers_in_every_status(organiser, leuven, 1)
    one, response = queries(client, url, **headers)
    assert response.context["ending_count"] == 1
    workers_in_every_status(organiser, leuven, 49)
    fifty, response = queries(client, url, **headers)
    assert fifty == one
    assert response.context["ending_count"] == 26  # 14 active trajectories and 12 suspended ones
    assert len(response.context["ending"]) == 8


def test_the_start_panel_counts_every_status_exactly(client, bemiddelaar, organiser, leuven):
    workers_in_every_status(organiser, leuven, 50)
    client.force_login(bemiddelaar)
    counts = {value: count for value, _label, count in client.get(reverse("workers:start_panel")).context[
        "status_counts"]}
    expected = dict.fromkeys(WorkerStatus.values, 0)
    for status in selectors.with_status(Worker.objects.filter(organiser=organiser)).values_list(
            "worker_status", flat=True):
        expected[status] += 1
    assert counts == expected == {"new": 12, "active": 13, "suspended": 13, "ended": 12}


def test_status_counts_stay_within_the_organiser(bemiddelaar, organiser, leuven, other_organiser):
    workers_in_every_status(organiser, leuven, 4)
    stranger_place = other_organiser.municipalities.order_by("name").first()
    workers_in_every_status(other_organiser, stranger_place, 8)
    assert selectors.worker_status_counts(bemiddelaar) == {"new": 1, "active": 1, "suspended": 1, "ended": 1}


@pytest.mark.parametrize("htmx", [False, True])
def test_the_municipal_start_panel_does_not_grow_with_the_workers(client, gemeente_user, organiser, leuven, htmx):
    client.force_login(gemeente_user)
    url = reverse("workers:start_panel")
    headers = {"HX-Request": "true"} if htmx else {}
    workers_in_every_status(organiser, leuven, 1)
    one, _ = queries(client, url, **headers)
    workers_in_every_status(organiser, leuven, 49)
    fifty, response = queries(client, url, **headers)
    assert fifty == one
    assert dict(response.context["stats"]["status_counts"]) == {
        "nog geen traject": 12, "in traject": 14, "geschorst": 12, "traject beëindigd": 12}


def test_the_trajectories_ending_page_does_not_grow_with_the_workers(client, bemiddelaar, organiser, leuven):
    client.force_login(bemiddelaar)
    url = reverse("workers:trajectories_ending")
    workers_in_every_status(organiser, leuven, 1)
    one, _ = queries(client, url)
    workers_in_every_status(organiser, leuven, 49)
    fifty, response = queries(client, url)
    assert fifty == one
    assert response.context["evaluations_count"] == 26 and len(response.context["evaluations"]) == 10


@pytest.mark.parametrize("query", [
    "", "?hours_left=10", "?evaluation_within=14", "?available=0-morning", "?skill=klein-tuinonderhoud",
    "?name=van", "?status=active&evaluation_within=14&available=0-morning&hours_left=5",
])
def test_the_worker_list_and_its_filters_do_not_grow_with_the_workers(client, bemiddelaar, organiser, leuven, query):
    """The filters ask per worker whether a row exists (or read the monthly totals close to a cap), no DISTINCT
    over the list and no query per row: the same queries with one worker as with fifty."""
    def with_slot_and_skill(workers):
        for worker in workers:
            Worker.objects.filter(pk=worker.pk).update(last_name=f"Van Acker {worker.pk}")  # found by ?name=van
            Availability.objects.create(worker=worker, weekday=0, part="morning")
            WorkerActivity.objects.create(worker=worker, activity="klein-tuinonderhoud", kind=ActivityKind.SKILL)

    client.force_login(bemiddelaar)
    url = reverse("workers:worker_list") + query
    with_slot_and_skill(workers_in_every_status(organiser, leuven, 1))
    one, response = queries(client, url)
    with_slot_and_skill(workers_in_every_status(organiser, leuven, 49))
    fifty, response = queries(client, url)
    assert fifty == one
    if not query or query in ("?available=0-morning", "?skill=klein-tuinonderhoud", "?name=van"):
        assert response.context["page"].paginator.count == 50  # every worker once: no row twice
