"""The one helper of the query-count tests (issue 16): a page's queries once sessions and caches are warm."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client, url, **headers):
    """The number of queries of a second GET of `url` (the first warms sessions and caches), and the response;
    the page must answer 200."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured), response
