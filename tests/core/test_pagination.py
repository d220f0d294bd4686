"""Lists cut into pages: the reader chooses how many rows a page shows (`?rijen=`), and the choice stays while
they page through the list."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.workers.factories import WorkerFactory
from wijkwerken.core.pagination import MAX_ROWS, PAGE_SIZE, page_of, page_of_search


def page_for(query: str, rows=range(120), **options):
    return page_of(RequestFactory().get(f"/lijst/?{query}"), list(rows), **options)


def test_a_list_shows_as_many_rows_as_the_reader_chose():
    assert len(page_for("").object_list) == PAGE_SIZE
    page = page_for("rijen=50&page=2")
    assert list(page.object_list) == list(range(50, 100))
    assert page.rows_chosen == 50 and page.rows_param == "rijen"
    assert len(page_for("rijen=7").object_list) == 7  # any length up to the longest, not only the offered ones
    assert len(page_for(f"rijen={MAX_ROWS}").object_list) == MAX_ROWS


@pytest.mark.parametrize("asked", ["0", "101", "-5", "abc", "5.5", ""])
def test_a_length_nobody_may_ask_for_gives_the_list_its_own_length(asked):
    page = page_for(f"rijen={asked}", per_page=40)
    assert len(page.object_list) == 40 and page.rows_chosen is None


def test_each_list_of_a_page_has_its_own_length():
    page = page_for("wachtend-rijen=10&rijen=50", param="wachtend")
    assert len(page.object_list) == 10 and page.rows_param == "wachtend-rijen"
    assert len(page_for("wachtend-rijen=10", rows=range(120), count=120).object_list) == PAGE_SIZE


def test_the_links_offer_the_lengths_and_keep_the_chosen_one():
    html = render_to_string("includes/pagination.html", {"page": page_for("rijen=50"), "params": "q=van"})
    assert 'href="?q=van&amp;rijen=50&amp;page=2"' in html  # the next page keeps the length and the filter
    assert re.search(r'aria-current="true"><span class="page-link">50<', html)  # the current length, no link
    assert 'href="?q=van&amp;rijen=25"' in html and 'href="?q=van&amp;rijen=100"' in html
    assert 'aria-label="Rows per page"' in html or 'aria-label="Rijen per pagina"' in html

    short = render_to_string("includes/pagination.html", {"page": page_for("", rows=range(20))})
    assert short.strip() == ""  # a list that fits the shortest page needs neither


@pytest.mark.django_db
def test_the_worker_list_pages_through_fifty_at_a_time(client, bemiddelaar, organiser, leuven):
    for _ in range(60):
        WorkerFactory(organiser=organiser, municipality=leuven)
    client.force_login(bemiddelaar)
    url = reverse("workers:worker_list")
    assert len(client.get(url).context["page"].object_list) == PAGE_SIZE

    response = client.get(url, {"rijen": 50})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 50
    html = response.content.decode()
    assert "Rijen per pagina" in html
    assert re.search(r'href="[^"]*rijen=50&amp;page=2"', html)
    second = client.get(url, {"rijen": 50, "page": 2})
    assert len(second.context["page"].object_list) == 10

    assert len(client.get(url, {"rijen": 1000}).context["page"].object_list) == PAGE_SIZE


@pytest.mark.django_db
def test_a_search_reads_its_page_and_the_number_found_in_one_query(organiser, leuven, django_assert_num_queries):
    from workers.models import Worker

    for n in range(60):
        WorkerFactory(organiser=organiser, municipality=leuven, last_name=f"Van Damme {n:02d}")
    rows = Worker.objects.filter(organiser=organiser).order_by("last_name")

    def search(query):
        return page_of_search(RequestFactory().get(f"/lijst/?{query}"), rows)

    with django_assert_num_queries(1):
        page = search("page=2")
        assert [w.last_name for w in page] == [f"Van Damme {n:02d}" for n in range(25, 50)]
    assert page.paginator.count == 60 and page.paginator.num_pages == 3 and page.number == 2
    assert [w.last_name for w in search("rijen=50&page=2")] == [f"Van Damme {n:02d}" for n in range(50, 60)]
    last = search("page=9")  # past the end: the last page, as page_of
    assert last.number == 3 and len(last) == 10 and last.paginator.count == 60
    assert search("page=abc").number == 1
    with django_assert_num_queries(1):
        nothing = page_of_search(RequestFactory().get("/lijst/"), rows.filter(last_name="Niemand"))
    assert list(nothing) == [] and nothing.paginator.count == 0 and nothing.number == 1
