"""Shared set-up for assignment and hours tests: a worker in a trajectory, a client with a login, a request."""

import datetime
from zoneinfo import ZoneInfo

from assignments.models import ScheduleKind
from assignments.services import assignment_create
from tests.accounts.factories import UserFactory
from tests.assignments.factories import HelpRequestFactory, activity, client_with_login, seed_activity_list
from tests.workers.factories import WorkerFactory
from wijkwerken.accounts.models import Role
from workers import services as worker_services

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def make_worker(organiser, municipality, staff, *, trajectory_start, login=True, **kwargs):
    worker = WorkerFactory(organiser=organiser, municipality=municipality, bemiddelaar=staff, **kwargs)
    if login:
        worker.user = UserFactory(role=Role.WIJKWERKER, organiser=organiser, email=f"w{worker.pk}@example.test")
        worker.save(update_fields=["user"])
    worker_services.trajectory_start(worker=worker, start_date=trajectory_start, actor=staff)
    return worker


def make_assignment(organiser, municipality, staff, worker, *, start, end, weekdays=(0, 1, 2, 3, 4), client=None):
    seed_activity_list(organiser)
    if client is None:
        client, _user = client_with_login(municipality)
    help_request = HelpRequestFactory(
        client=client, activity=activity(organiser, "Gras maaien"), schedule=ScheduleKind.RECURRING,
        start_date=start, end_date=end, weekdays=list(weekdays), time_from=datetime.time(9),
        time_until=datetime.time(12), hours_per_week=5,
    )
    return assignment_create(help_request=help_request, worker=worker, actor=staff)
