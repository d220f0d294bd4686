"""The worker's week costs the same with one assignment as with ten (issue 16: one query per assignment)."""

import datetime
from datetime import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.services import prestatie_register
from tests.assignments.fixtures import at, make_assignment, make_worker
from wijkwerken.accounts.models import Role

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


def start_page_queries(client, user) -> dict:
    """Queries of the start page and the panel of this app that `user`'s start page loads."""
    client.force_login(user)
    counts = {}
    panel = "/start/activiteiten/" if user.role == Role.GEMEENTE else "/start/aanvragen/"
    for url in ("/", panel):
        client.get(url, HTTP_HX_REQUEST="true")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_start_pages_and_panels_make_the_same_queries_empty_and_with_work(client, organiser, leuven, herent,
                                                                         bemiddelaar, beheerder, gemeente_user):
    """Counts read only the rows that wait: new and running requests in two municipalities, clients to activate
    and hours to validate add no query to any start page."""
    from assignments.models import RequestStatus
    from tests.assignments.factories import ClientFactory, HelpRequestFactory, activity, seed_activity_list

    users = (bemiddelaar, beheerder, gemeente_user)
    empty = {user.role: start_page_queries(client, user) for user in users}
    seed_activity_list(organiser)
    for municipality in (leuven, herent):
        for status in (RequestStatus.NEW, RequestStatus.IN_PROGRESS):
            HelpRequestFactory(client=ClientFactory(organiser=organiser, municipality=municipality),
                               activity=activity(organiser, "Gras maaien"), status=status)
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=D(2026, 3, 2))
        assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=D(2026, 3, 2),
                                     end=D(2026, 4, 30), weekdays=(0,))
    prestatie_register(assignment=assignment, date=D(2026, 3, 2), start_time=time(9), end_time=time(10),
                       actor=worker.user)
    busy = {user.role: start_page_queries(client, user) for user in users}
    assert busy == empty
