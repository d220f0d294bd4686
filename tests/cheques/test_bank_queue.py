"""The bank queue's suggestions: one query for a page of lines, scoped to the organiser, no match on common words."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cheques.models import BankLine, LineStatus
from cheques.selectors import suggestions_for, suggestions_for_lines
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import coda_file, credit, order_for
from wijkwerken.core.models import Municipality

pytestmark = pytest.mark.django_db

QUEUE = "/cheques/bank/te-behandelen/"


def unmatched(organiser, upload, *lines):
    """Upload `lines` (amount, payer name) as transfers without a usable communication; return the queue lines."""
    content = coda_file(organiser, [credit(amount, "voor de wijkwerkers", name=name, reference=f"Q{n}")
                                    for n, (amount, name) in enumerate(lines)])
    upload(content)
    return list(BankLine.objects.filter(status=LineStatus.UNMATCHED).order_by("pk"))


def queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_fifty_lines_cost_as_many_queries_as_one(client, bemiddelaar, organiser, leuven, upload):
    clients = [ClientFactory(municipality=leuven, status="actief", agreement_signed_on="2026-01-05",
                             last_name=f"Vandenbroeck{n}") for n in range(50)]
    orders = [order_for(c, quantity=2 + n % 3) for n, c in enumerate(clients)]
    client.force_login(bemiddelaar)
    unmatched(organiser, upload, (Decimal("1.00"), clients[0].name))
    one = queue_queries(client)
    lines = unmatched(organiser, upload, *[(Decimal("1.00") + n, clients[n].name) for n in range(1, 50)])
    assert len(lines) == 50
    assert queue_queries(client) <= one  # 8 here; one suggestion query per line before
    page = client.get(QUEUE).content.decode()
    assert page.count('name="order" value="') >= 50  # every line has its client's order suggested
    suggested = suggestions_for_lines(lines)
    assert all(suggested[line.pk][0].order in orders for line in lines)


def test_a_common_word_or_short_token_suggests_nothing(organiser, leuven, upload):
    for n in range(3):
        order_for(ClientFactory(municipality=leuven, category="organisatie", name=f"VZW De Kring {n}"), quantity=3)
    [line] = unmatched(organiser, upload, (Decimal("1.23"), "VZW De Ster"))
    assert suggestions_for(line) == []


def test_a_name_and_the_amount_rank_first(organiser, leuven, upload):
    wanted = ClientFactory(municipality=leuven, first_name="Mieke", last_name="Verhaegen")
    order = order_for(wanted, quantity=4)
    other = order_for(ClientFactory(municipality=leuven, first_name="Mieke", last_name="Janssens"), quantity=4)
    [line] = unmatched(organiser, upload, (order.total, "M. VERHAEGEN"))
    suggestions = suggestions_for(line)
    assert [s.order for s in suggestions] == [order, other]
    assert suggestions[0].score > suggestions[1].score


def test_another_organisers_orders_are_never_suggested(organiser, other_organiser, leuven, upload):
    gent = Municipality.objects.get(nis_code="44021")
    foreign = order_for(ClientFactory(municipality=gent, first_name="Lotte", last_name="Claeys"), quantity=3)
    [line] = unmatched(organiser, upload, (foreign.total, "Lotte Claeys"))
    assert suggestions_for(line) == []


def test_the_client_name_has_a_trigram_index():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'client_name_trgm_idx'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


def test_the_queue_is_paged_oldest_first_with_each_pages_suggestions(client, bemiddelaar, organiser, leuven, upload):
    """Past a page of lines the queue has pages (and a chosen length): every line is reachable, each with its own
    suggestions, and the heading counts them all."""
    clients = [ClientFactory(municipality=leuven, status="actief", agreement_signed_on="2026-01-05",
                             last_name=f"Verstraeten{n}") for n in range(3)]
    for c in clients:
        order_for(c, quantity=2)
    lines = unmatched(organiser, upload, *[(Decimal("1.00") + n, clients[n % 3].name) for n in range(53)])
    client.force_login(bemiddelaar)
    first = client.get(QUEUE).content.decode()
    assert first.count('<article class="card mb-3"') == 50 and "Pagina 1 van 2" in first
    assert '<span class="badge text-bg-warning">53</span>' in first
    second = client.get(f"{QUEUE}?page=2").content.decode()
    assert second.count('<article class="card mb-3"') == 3 and f'id="line-{lines[-1].pk}"' in second
    assert second.count('name="order" value="') >= 3  # the last lines' own suggestions
    chosen = client.get(f"{QUEUE}?rijen=25&page=3").content.decode()
    assert chosen.count('<article class="card mb-3"') == 3 and "Pagina 3 van 3" in chosen
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{QUEUE}?page=2")
    assert len(queries) == queue_queries(client)  # a later page costs what the first does
