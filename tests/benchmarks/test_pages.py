"""The page benchmark (benchmarks/pages.py) on tiny twins: it finds each role's pages in both twins, measures
them, and marks a page whose query count grows with the data."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from benchmarks import pages
from benchmarks.dataset.spec import twins_preset
from benchmarks.flanders import build
from cheques.models import BankImport, PayoutLine
from wijkwerken.accounts.models import Role
from wijkwerken.core.models import Organiser

REFERENCE = datetime.date(2026, 3, 16)


@pytest.fixture
def tiny_twins(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "DEPTH", 1)  # the start page and the menu: enough to prove the machinery
    with override_settings(MEDIA_ROOT=tmp_path), transaction.atomic():
        result = build(scale=0.004, seed=5, reference=REFERENCE, organisers=twins_preset())
        yield [Organiser.objects.get(pk=pk) for pk in result.organiser_ids]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_benchmark_measures_the_same_pages_in_both_twins(tiny_twins):
    small, large = pages.twins()
    assert [small.pk, large.pk] == [org.pk for org in tiny_twins]
    rows, people, _ = pages.run_pages([Role.BEMIDDELAAR, Role.GEBRUIKER], small, large, repeat=1, passes=1,
                                      log=lambda message: None)
    kinds = {(row.role, row.kind.split("?")[0]) for row in rows}
    assert (Role.BEMIDDELAAR, "workers:worker_list") in kinds
    assert (Role.GEBRUIKER, "cheques:my_wallet") in kinds
    assert all(row.small.queries > 0 and len(row.ratios) == 1 for row in rows)
    assert set(people["sessions"]) == {(Role.BEMIDDELAAR, "1x"), (Role.BEMIDDELAAR, "10x"),
                                       (Role.GEBRUIKER, "1x"), (Role.GEBRUIKER, "10x")}


@pytest.mark.django_db
def test_the_longest_statement_is_a_work_page_and_stands_for_its_kind(tiny_twins):
    """Measured before the crawl, so they stand for their kind: the statement with the most lines, as the client
    with the longest history stands for the wallet (the newest statement holds a few lines in the 1× twin)."""
    for organiser in tiny_twins:
        user = pages.person(organiser, Role.BEMIDDELAAR)
        longest = BankImport.objects.filter(organiser=organiser).order_by("-lines_total", "-pk").first()
        assert longest.lines_total >= max(BankImport.objects.filter(organiser=organiser)
                                          .values_list("lines_total", flat=True))
        urls = [url for url, _htmx in pages.work_pages(user)]
        assert reverse("cheques:bank_import_detail", args=[longest.pk]) in urls
        client = pages.HttpClient()
        client.force_login(user)
        found, _ = pages.find_pages(client, user)
        assert found["cheques:bank_import_detail"].url == reverse("cheques:bank_import_detail", args=[longest.pk])


@pytest.mark.django_db
def test_the_payout_pages_open_on_the_generated_history(tiny_twins, client):
    """The beheerder's payout pages (the list, a batch, a line, the open month's preview) and the worker's own
    payouts open on the generated history in both twins."""
    for organiser in tiny_twins:
        line = (PayoutLine.objects.filter(organiser=organiser, worker__user__isnull=False).select_related("batch")
                .order_by("-batch__number", "pk").first())
        batch = line.batch
        client.force_login(pages.person(organiser, Role.BEHEERDER))
        for url in (reverse("cheques:payout_batch_list"), reverse("cheques:payout_batch_detail", args=[batch.pk]),
                    reverse("cheques:payout_line_detail", args=[line.pk]),
                    f"{reverse('cheques:payout_preview')}?maand=2026-02"):
            response = client.get(url)
            assert response.status_code == 200, url
        assert client.get(reverse("cheques:payout_batch_file", args=[batch.pk])).status_code == 200
        client.force_login(line.worker.user)
        response = client.get(reverse("cheques:my_payouts"))
        assert response.status_code == 200 and reverse("cheques:my_payout_pdf", args=[line.pk]) in response.text


def test_a_page_is_marked_when_its_queries_grow_or_it_is_slow_in_every_pass():
    def row(queries, small_ms, large_ms):
        return pages.Row("bemiddelaar", "x", pages.Figures(queries=5, medians=small_ms),
                         pages.Figures(queries=queries, medians=large_ms))

    assert row(6, [10, 10], [10, 10]).marked
    assert row(5, [10, 10], [14, 14]).slow
    assert not row(5, [10, 10], [14, 12]).marked  # slow in one pass only: chance


def test_a_list_shorter_at_1x_is_compared_with_the_10x_list_at_the_same_length():
    """A handful of rows in the 1× twin against a full page in the 10× twin is the same page, longer: the 10× page
    is measured with each list as long as at 1× (`?rijen=`), and that is what the ratio compares."""
    page = pages.Page("assignments:prestatie_queue?lijst=betwist", "/prestaties/?lijst=betwist&rijen=50", False)
    small = pages.Figures(queries=9, medians=[10, 10], lists={"rijen": 3, "wachtend-rijen": 0, "regels-rijen": 25})
    large = pages.Figures(queries=9, medians=[14, 14], lists={"rijen": 50, "wachtend-rijen": 7, "regels-rijen": 25})
    same = pages.same_length(page, small, large)
    assert same.url == "/prestaties/?lijst=betwist&rijen=3" and same.kind == page.kind and not same.htmx
    assert pages.same_length(page, large, large) is None  # as long in both twins: nothing to shorten

    row = pages.Row("beheerder", page.kind, small, large, equal=pages.Figures(queries=9, medians=[11, 11]),
                    equal_page=same)
    assert not row.marked and row.ratios == [1.1, 1.1] and row.full_ratios == [1.4, 1.4]
    without = pages.Row("beheerder", page.kind, small, large)  # no same-length figures: the full page is compared
    assert without.ratios == [1.4, 1.4] and without.slow


def test_a_list_empty_at_1x_explains_one_query_and_no_more():
    """An empty page reads no rows: the 10× page with rows makes one query more, and only one."""
    def row(queries, small_rows):
        return pages.Row("beheerder", "x", pages.Figures(queries=8, medians=[10], lists={"rijen": small_rows}),
                         pages.Figures(queries=queries, medians=[10], lists={"rijen": 2}))

    assert not row(9, 0).queries_grow
    assert row(10, 0).queries_grow
    assert row(9, 1).queries_grow


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "query", "rows"), [
    ("workers:worker_list", "rijen=2", 2),
    ("assignments:assignment_list", "status=alle&q=e&rijen=1", 1),  # a search (page_of_search)
])
def test_the_benchmark_sees_how_many_rows_each_list_shows(tiny_twins, url_name, query, rows):
    small, _large = pages.twins()
    pages.watch_lists()
    client = pages.HttpClient()
    client.force_login(pages.person(small, Role.BEMIDDELAAR))
    figures = pages.first_look(client, pages.Page("x", f"{reverse(url_name)}?{query}", False))
    assert figures.lists == {"rijen": rows}


def test_the_same_page_in_both_twins_is_one_kind():
    one = reverse("workers:worker_detail", args=[12]) + "?page=3&week=2026-03-02&tab=uren&rijen=50"
    other = reverse("workers:worker_detail", args=[99]) + "?week=2025-01-05&tab=uren&wachtend-rijen=100"
    assert pages.page_kind(one, False) == pages.page_kind(other, False) == "workers:worker_detail?tab=uren&week=%23"
    assert pages.page_kind(one, True).endswith("[htmx]")
    assert pages.page_kind("/bestaat-niet/", False) is None


def test_a_filter_form_is_filled_in_and_submitted_as_a_person_narrowing_a_list_would():
    html = """<a href="/a/">a</a>
    <form method="get" action="/lijst/" hx-get="/lijst/" hx-target="#rows">
      <input type="hidden" name="lijst" value="valideren"><input name="q"><input type="search" name="naam">
      <input type="number" name="uren" min="0" max="60"><input type="number" name="jaar" min="2020" value="2026">
      <select name="gemeente"><option value="">---------</option><option value="12">Brugge</option>
        <option value="13">Damme</option></select>
      <input type="checkbox" name="laat" value="on"><input type="radio" name="soort" value="a">
      <input type="radio" name="soort" value="b"><input type="date" name="van"><button type="submit">Zoeken</button>
    </form>
    <form method="post" action="/bewaren/"><input name="naam"></form>"""
    query = "lijst=valideren&q=van&naam=van&uren=10&jaar=2026&gemeente=12&laat=on&soort=a"
    assert pages._links(html, "/lijst/") == [
        ("/a/", False), ("/lijst/", True), (f"/lijst/?{query}", False), (f"/lijst/?{query}", True)]

