"""The coaching pages cost the same with one worker as with fifty (issue 16): the assignment list is cut into
pages in an index-backed order, and its status filter is a semi-join, not a status computed for every worker."""

import pytest
from django.urls import reverse

from tests.query_counts import queries
from tests.workers.test_query_counts import workers_in_every_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "?status=active", "?status=active&page=2"])
def test_the_assignment_list_does_not_grow_with_the_workers(client, bemiddelaar, organiser, leuven, query):
    client.force_login(bemiddelaar)
    url = reverse("coaching:assign") + query
    workers_in_every_status(organiser, leuven, 1)
    one, _ = queries(client, url)
    workers_in_every_status(organiser, leuven, 49)
    fifty, _ = queries(client, url)
    assert fifty == one


def test_the_status_filter_of_the_assignment_list_keeps_its_meaning(client, bemiddelaar, organiser, leuven):
    workers_in_every_status(organiser, leuven, 8)
    client.force_login(bemiddelaar)
    for status in ("new", "active", "suspended", "ended"):
        page = client.get(reverse("coaching:assign") + f"?status={status}").context["page"]
        assert len(page.object_list) == 2
        assert {worker.worker_status for worker in page.object_list} == {status}
