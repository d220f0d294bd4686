"""The organiser's money overview adds up: on a generated data set and on the demo, every figure equals the
rows its link lists, the cheques flow from the start of a period to its end, and what was paid to the workers
is what their SEPA files transferred."""

import datetime
import re
from decimal import Decimal

import pytest
from lxml import etree

from cheques import demo
from cheques.models import Cheque, ChequeStatus, ClientCredit, PayoutBatch
from cheques.overview import FIGURES, Period, figure_of, money_overview
from cheques.services.expiry import cheques_expire
from cheques.services.payouts import payout_batch_confirm, payout_correction_create, payout_preview
from cheques.services.refunds import refund_batch_create
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import (
    LAST_MONTH,
    MONTH_BEFORE,
    THIS_MONTH,
    coda_file,
    credit,
    day_of,
    order_for,
    paid_prestatie,
)
from tests.demo import seed_demo
from wijkwerken.accounts.models import User
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.models import Organiser
from wijkwerken.core.money import format_euro

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def sepa_total(batches) -> Decimal:
    total = Decimal("0.00")
    for batch in batches:
        with batch.file.open("rb") as handle:
            root = etree.fromstring(handle.read())
        total += sum(Decimal(a) for a in root.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=NS))
    return total


def assert_adds_up(client, organiser, period: Period):
    overview = money_overview(organiser=organiser, period=period)
    assert overview.cheque_flow_adds_up and overview.payouts_add_up, period
    f = overview.figures
    # The cheque figures read the days the database keeps, the payout figures the batches' kept counts; added up
    # from the cheques and the payout items themselves they are the same.
    for slug, spec in FIGURES.items():
        if spec.daily or spec.kept:
            assert figure_of(spec, organiser, period, from_days=False) == f[slug], (slug, period)
    assert overview.remains == f["gebruikt"].amount + f["vervallen"].amount - f["uitbetaald"].amount
    executed = PayoutBatch.objects.filter(organiser=organiser, execution_date__gte=period.start,
                                          execution_date__lte=period.end)
    assert f["uitbetaald"].amount == sepa_total(executed)
    # Every figure links to its rows, and the rows page counts and sums to the figure.
    page = client.get(f"/cheques/geldoverzicht/?{period.query}").content.decode()
    for slug, figure in f.items():
        assert f"?cijfer={slug}&amp;{period.query.replace('&', '&amp;')}" in page, slug
        rows = client.get(f"/cheques/geldoverzicht/rijen/?cijfer={slug}&{period.query}").content.decode()
        total = re.search(r'data-testid="rows-total">([^<]+)<', rows).group(1)
        assert total == f"{figure.count} {'rij' if figure.count == 1 else 'rijen'}, {format_euro(figure.amount)}", (
            slug, total)
    return overview


def test_the_overview_adds_up_on_a_generated_data_set(client, organiser, leuven, beheerder, bemiddelaar,
                                                      make_paid_worker, upload, give_credit,
                                                      django_capture_on_commit_callbacks):
    # Clients pay orders through a bank statement; their cheques are issued and pay the workers' hours.
    clients = [ClientFactory(municipality=leuven, iban="BE71 0961 2345 6769") for _ in range(3)]
    orders = [order_for(c, quantity=q) for c, q in zip(clients, (8, 5, 12), strict=True)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(coda_file(organiser, [credit(o.total, o.structured_communication, structured=True,
                                            reference=f"P{o.pk}") for o in orders]))
    assert Cheque.objects.filter(organiser=organiser).count() == 25
    workers = [make_paid_worker(f"W{n}") for n in range(3)]
    for n, assignment in enumerate(workers):
        assignment.client = clients[n]  # each worker works for one of the clients with cheques
        assignment.save(update_fields=["client"])
        # paid from the wallet the order filled (no cheques of the test's own)
        paid_prestatie(assignment, day_of(MONTH_BEFORE, 5 + n), minutes=90, kilometres="16", settle=False)
        paid_prestatie(assignment, day_of(LAST_MONTH, 5 + n), minutes=60, settle=False)
    # Some of a client's cheques expire; another gets credit and is refunded.
    spare = list(Cheque.objects.filter(client=clients[2], status=ChequeStatus.AVAILABLE)[:3])
    Cheque.objects.filter(pk__in=[c.pk for c in spare]).update(issued_on=today() - datetime.timedelta(days=100),
                                                                expires_on=today() - datetime.timedelta(days=2))
    cheques_expire(on=today())
    give_credit(clients[1], "12.50")
    refund_batch_create(organiser=organiser, client_ids=[clients[1].pk], actor=bemiddelaar)
    give_credit(clients[0], "3.00")
    # Two payout runs, a correction in the second.
    first = payout_preview(organiser=organiser, month=MONTH_BEFORE)
    payout_batch_confirm(organiser=organiser, month=MONTH_BEFORE, fingerprint=first.fingerprint, actor=beheerder,
                         execution_date=today())
    payout_correction_create(organiser=organiser, worker=workers[0].worker, amount=Decimal("-2.00"),
                             reason="Te veel betaald", actor=beheerder)
    second = payout_preview(organiser=organiser, month=LAST_MONTH)
    payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=second.fingerprint, actor=beheerder,
                         execution_date=today())

    client.force_login(beheerder)
    year = assert_adds_up(client, organiser, Period(today().replace(month=1, day=1), today()))
    assert_adds_up(client, organiser, Period(LAST_MONTH, add_months(LAST_MONTH, 1) - datetime.timedelta(days=1)))
    assert_adds_up(client, organiser, Period(THIS_MONTH, today()))
    assert_adds_up(client, organiser, Period(today() - datetime.timedelta(days=1), today()))
    f = year.figures
    # Independently of the overview's queries: what the data set holds now.
    assert (f["verkocht"].count, f["verkocht"].amount) == (25, sum(o.cheques_amount for o in orders))
    assert f["gebruikt"].count == Cheque.objects.filter(status=ChequeStatus.REDEEMED).count() == 9
    assert f["vervallen"].count == 3
    assert f["in-portefeuille-einde"].count == Cheque.objects.filter(status=ChequeStatus.AVAILABLE).count() == 13
    assert f["uitbetaald"].count == 2 and f["correcties"].amount == Decimal("-2.00")
    assert f["onderweg"].count == 2  # no statement showed their debit yet
    assert f["uitbetaald"].amount == Decimal("3") * Decimal("8.20") + Decimal("3") * Decimal("2.40") \
        + Decimal("3") * Decimal("4.10") - Decimal("2.00")
    assert f["tegoed-terugbetaald"].amount == Decimal("12.50")
    assert f["open-tegoed"].amount == sum(ClientCredit.objects.values_list("amount", flat=True)) == Decimal("3.00")


@pytest.mark.xdist_group("demo")
def test_the_overview_adds_up_on_the_demo(client, monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "DEMO_FILES", tmp_path)
    monkeypatch.setattr(demo, "CODA_FILE", tmp_path / "demo.cod")
    monkeypatch.setattr(demo, "CAMT_FILE", tmp_path / "demo.xml")
    seed_demo()
    organiser = Organiser.objects.get(kbo_number="0765.432.146")
    client.force_login(User.objects.get(email="beheerder@demo.wijkwerken.be"))
    year = assert_adds_up(client, organiser, Period(today().replace(month=1, day=1), today()))
    assert_adds_up(client, organiser, Period(LAST_MONTH, today()))
    assert year["verkocht"].count > 100 and year["uitbetaald"].count == 1 and year["vergoedingen"].count > 50
    assert year["in-portefeuille-einde"].count == Cheque.objects.filter(
        organiser=organiser, status=ChequeStatus.AVAILABLE).count()
    assert set(year.figures) == set(FIGURES)
