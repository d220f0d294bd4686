"""The worker's week costs the same with one assignment as with ten (issue 16: one query per assignment)."""

import datetime
from datetime import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.services import prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker

pytestmark = pytest.mark.django_db

D = datetime.date


def week_queries(client, worker):
    client.force_login(worker.user)
    client.get("/mijn/week/?week=2026-03-02")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/mijn/week/?week=2026-03-02")
    assert response.status_code == 200
    return len(captured)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_the_week_makes_the_same_queries_for_one_assignment_as_for_ten(client, organiser, leuven, bemiddelaar):
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        first = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2), end=D(2026, 4, 30),
                                weekdays=(0,))
    prestatie_register(assignment=first, date=D(2026, 3, 2), start_time=time(9), end_time=time(10),
                       actor=worker.user)
    one = week_queries(client, worker)
    for weekday in range(1, 5):
        for start_hour in (13, 16):
            with time_machine.travel(at(2026, 3, 2, 8), tick=False):
                assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2),
                                             end=D(2026, 4, 30), weekdays=(weekday,))
            prestatie_register(assignment=assignment, date=D(2026, 3, 2) + datetime.timedelta(days=weekday),
                               start_time=time(start_hour), end_time=time(start_hour + 1), actor=worker.user)
    assert week_queries(client, worker) == one
