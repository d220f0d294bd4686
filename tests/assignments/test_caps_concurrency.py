"""Two people register hours for the same worker at the same moment: together they would break the month cap.
On PostgreSQL, with real threads and connections, exactly one of them succeeds."""

import datetime
import threading
from datetime import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from assignments.models import Prestatie
from assignments.services import prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.core.rules import cheques_for_minutes

D = datetime.date


@pytest.mark.django_db(transaction=True)
def test_two_parallel_registrations_over_the_cap_exactly_one_succeeds(organiser, leuven, bemiddelaar):
    assert connection.vendor == "postgresql"
    with time_machine.travel(at(2026, 3, 1), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 1))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 1), end=D(2026, 3, 31))
    # 58 hours already in March.
    Prestatie.objects.bulk_create([
        Prestatie(organiser=organiser, assignment=assignment, worker=worker, client=assignment.client,
                  date=D(2026, 3, day), start_time=time(8), end_time=time(10), minutes=120,
                  cheques=cheques_for_minutes(120)) for day in range(1, 30)
    ])
    barrier = threading.Barrier(2)
    results, raised = [], []

    def register(day, actor):
        try:
            barrier.wait(timeout=10)
            prestatie_register(assignment=assignment, date=day, start_time=time(13), end_time=time(15), actor=actor)
            results.append("ok")
        except ValidationError as error:
            results.append(error.code)
        except Exception as error:  # noqa: BLE001 - a thread that died fails the test below
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(D(2026, 3, 30), worker.user)),
               threading.Thread(target=register, args=(D(2026, 3, 31), bemiddelaar))]
    # Time travel is process-wide: set it once around both threads.
    with time_machine.travel(at(2026, 3, 31, 18), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads) and raised == []
    assert sorted(results) == ["month_cap", "ok"]
    assert Prestatie.objects.filter(worker=worker, date__month=3).count() == 30
