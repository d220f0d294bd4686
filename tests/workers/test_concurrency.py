"""Two bemiddelaars start a trajectory for the same worker at the same moment: exactly one succeeds."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from tests.workers.factories import WorkerFactory
from workers import services
from workers.models import Trajectory

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_starts_give_one_trajectory(organiser, leuven, bemiddelaar):
    worker = WorkerFactory(organiser=organiser, municipality=leuven)
    barrier = threading.Barrier(2)
    outcomes, raised = [], []

    def start(day):
        try:
            barrier.wait(timeout=5)
            services.trajectory_start(worker=worker, start_date=day, actor=bemiddelaar)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.error_dict["start_date"][0].code)
        except IntegrityError:
            outcomes.append("integrity")
        except Exception as error:  # noqa: BLE001 - a thread that died fails the test below
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(datetime.date(2026, 1, day),)) for day in (5, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not any(thread.is_alive() for thread in threads) and raised == []
    # The worker row lock serialises the two; the partial unique index would catch anything that slipped by.
    assert sorted(outcomes) == ["ok", "overlapping_trajectory"]
    assert Trajectory.objects.filter(worker=worker).count() == 1
