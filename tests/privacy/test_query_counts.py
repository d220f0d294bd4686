"""The privacy overview costs the same with one person due for anonymisation as with fifty (issue 16): the due
workers and clients are merged, ordered and cut into pages in the database, only the page's persons are read."""

import datetime

import pytest
from django.urls import reverse

from tests.privacy.test_retention import _ended_worker, _stopped_client
from tests.query_counts import queries

pytestmark = pytest.mark.django_db

D = datetime.date


def persons_due(organiser, municipality, count, *, start=0):
    for n in range(start, start + count):
        if n % 2:
            _stopped_client(municipality, D(2019, 1, 1) + datetime.timedelta(days=n))
        else:
            _ended_worker(organiser, D(2019, 1, 1) + datetime.timedelta(days=n))


def test_the_privacy_overview_does_not_grow_with_the_persons_due(client, beheerder, organiser, leuven):
    client.force_login(beheerder)
    url = reverse("privacy:privacy_overview")
    persons_due(organiser, leuven, 2)  # one worker and one client: each kind is read in its own query
    one, _ = queries(client, url)
    persons_due(organiser, leuven, 48, start=2)
    fifty, response = queries(client, url)
    assert fifty == one
    page = response.context["page"]
    assert page.paginator.count == 50 and len(page.object_list) == 25
    ended = [row["ended_on"] for row in page.object_list]
    assert ended == sorted(ended) and ended[0] == D(2019, 1, 1)
    assert [row["kind"] for row in page.object_list[:2]] == ["worker", "client"]
