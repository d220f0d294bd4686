"""The lock order of the money services (see `cheques/services/__init__.py`), on PostgreSQL with real connections.

While a service holds its locks, another transaction must still be able to commit a row that points to the
locked rows: PostgreSQL checks such a foreign key at commit with FOR KEY SHARE, and a FOR UPDATE lock (taken
directly, or on the organiser through `select_related`) made that commit wait while it held what the service
needed next, the "deadlock detected" of two orders paid with the same credit at once. And a transaction that
loses a deadlock anyway is run again instead of ending in an error page.
"""

import datetime
import threading
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction

from assignments.models import Client
from cheques.models import BankImport, ChequeOrder, ClientCredit, CreditKind, Payment, PaymentMethod
from cheques.selectors import credit_balance
from cheques.services import bank_import as bank_import_services
from cheques.services import cheques as cheque_services
from cheques.services import credits as credit_services
from cheques.services import orders as order_services
from cheques.services import refunds as refund_services
from cheques.services import settlement as settlement_services
from cheques.services._common import DEADLOCK_ATTEMPTS, retry_on_deadlock
from cheques.services.bank_import import bank_import_create
from cheques.services.credits import client_credit_apply
from cheques.services.orders import Receipt, cheque_order_create, payments_apply
from cheques.services.refunds import refund_batch_create
from cheques.services.settlement import prestaties_settle
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import coda_file, credit, order_for
from wijkwerken.core.dates import today

pytestmark = pytest.mark.django_db(transaction=True)


def _refused_key_share(rows) -> list[str]:
    """From another connection, what the commit of a transaction that inserted rows pointing to `rows` does:
    FOR KEY SHARE on each. NOWAIT, so a row held FOR UPDATE is named instead of waited for."""
    refused, raised = [], []

    def probe():
        try:
            with connection.cursor() as cursor:
                for table, pk in rows:
                    try:
                        with transaction.atomic():
                            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE NOWAIT", [pk])
                            assert cursor.fetchone() == (1,), (table, pk)
                    except OperationalError:
                        refused.append(table)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            raised.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive() and raised == []
    return refused


def _probe_inside(monkeypatch, module, name, rows):
    """Wrap `module.name` (called by a service after it took all its locks): it runs the probe there, inside
    the service's transaction. Returns a dict that gets the refused tables."""
    seen = {}
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        assert connection.in_atomic_block
        seen["refused"] = _refused_key_share(rows())
        return result

    monkeypatch.setattr(module, name, wrapper)
    return seen


def _rows(organiser, client, *orders):
    return [("core_organiser", organiser.pk), ("core_municipality", client.municipality_id),
            ("assignments_client", client.pk), *(("cheques_chequeorder", order.pk) for order in orders)]


def test_paying_with_credit_leaves_the_organiser_and_the_client_to_other_commits(monkeypatch, organiser, leuven,
                                                                                 upload):
    client = ClientFactory(municipality=leuven)
    upload(coda_file(organiser, [credit("20.00", client.structured_communication, structured=True)]))
    order = order_for(client, quantity=3)
    seen = _probe_inside(monkeypatch, credit_services, "payments_apply", lambda: _rows(organiser, client, order))
    client_credit_apply(order=order, actor=None)
    assert seen["refused"] == []


def test_ordering_cheques_leaves_the_organiser_and_the_municipality_to_other_commits(monkeypatch, organiser,
                                                                                     leuven):
    client = ClientFactory(municipality=leuven, status="actief", agreement_signed_on="2026-01-05")
    seen = _probe_inside(monkeypatch, order_services, "audit_log", lambda: _rows(organiser, client))
    cheque_order_create(client=client, quantity=2, actor=None)
    assert seen["refused"] == []


def test_a_bank_import_leaves_the_organiser_its_orders_and_clients_to_other_commits(monkeypatch, organiser, leuven,
                                                                                    upload):
    client = ClientFactory(municipality=leuven)
    order = order_for(client, quantity=2)
    seen = _probe_inside(monkeypatch, bank_import_services, "apply_matches", lambda: [
        *_rows(organiser, client, order), ("cheques_bankimport", BankImport.objects.get().pk)])
    upload(coda_file(organiser, [credit(order.total, order.structured_communication, structured=True)]))
    assert seen["refused"] == []
    order.refresh_from_db()
    assert order.status == "betaald"


def test_issuing_cheques_leaves_the_paid_orders_to_other_commits(monkeypatch, organiser, leuven):
    client = ClientFactory(municipality=leuven)
    order = order_for(client, quantity=2)
    seen = _probe_inside(monkeypatch, cheque_services, "enqueue_settlement_for_clients",
                         lambda: _rows(organiser, client, order))
    payments_apply(organiser=organiser, actor=None, receipts=[Receipt(
        amount=order.total, received_on=today(), method=PaymentMethod.CREDIT, order_ids=[order.pk])])
    assert seen["refused"] == []


def test_a_refund_leaves_the_organiser_and_its_clients_to_other_commits(monkeypatch, organiser, leuven, bemiddelaar,
                                                                        upload):
    client = ClientFactory(municipality=leuven, iban="BE71 0961 2345 6769")
    upload(coda_file(organiser, [credit("9.00", client.structured_communication, structured=True)]))
    seen = _probe_inside(monkeypatch, refund_services, "_notify_refunded", lambda: _rows(organiser, client))
    refund_batch_create(organiser=organiser, client_ids=[client.pk], actor=bemiddelaar)
    assert seen["refused"] == [] and credit_balance(client) == 0


def test_settling_hours_leaves_the_client_to_other_commits(monkeypatch, organiser, leuven, bemiddelaar):
    from tests.assignments.fixtures import make_assignment, make_worker
    from tests.cheques.test_settlement import confirmed, give_cheques

    start = today() - timedelta(days=30)
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=start)
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today())
    give_cheques(assignment.client, 1)
    prestatie = confirmed(assignment, today() - timedelta(days=1))
    seen = _probe_inside(monkeypatch, settlement_services, "_redeem",
                         lambda: _rows(organiser, assignment.client))
    assert prestaties_settle(prestatie_ids=[prestatie.pk]).paid == 1
    assert seen["refused"] == []


def test_two_orders_paid_with_the_same_credit_while_cheques_are_issued_never_deadlock(organiser, leuven, upload):
    """The reported case, with a third party: the client's credit pays two orders in two threads while a third
    thread imports a statement that pays another order of the same client; every paid order's cheques are then
    issued (rows that point to the organiser and the client). Several rounds; no thread may raise."""
    client = ClientFactory(municipality=leuven)
    upload(coda_file(organiser, [credit("40.00", client.structured_communication, structured=True)]))
    raised = []
    for _round in range(3):
        orders = [order_for(client, quantity=1) for _n in range(3)]
        barrier = threading.Barrier(3)

        def run(action, barrier=barrier):
            try:
                barrier.wait(timeout=10)
                action()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                raised.append(error)
            finally:
                connection.close()

        actions = [
            lambda order=orders[0]: client_credit_apply(order=ChequeOrder.objects.get(pk=order.pk), actor=None),
            lambda order=orders[1]: client_credit_apply(order=ChequeOrder.objects.get(pk=order.pk), actor=None),
            lambda order=orders[2]: bank_import_create(
                organiser=organiser, actor=None, uploaded_file=SimpleUploadedFile("uittreksel.cod", coda_file(
                    organiser, [credit(order.total, order.structured_communication, structured=True,
                                       reference=f"ORDER{order.pk}")]))),
        ]
        threads = [threading.Thread(target=run, args=(action,)) for action in actions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
    assert raised == []
    used = -sum(ClientCredit.objects.filter(client=client, kind=CreditKind.USED).values_list("amount", flat=True))
    paid_with_credit = sum(Payment.objects.filter(order__client=client, method=PaymentMethod.CREDIT)
                           .values_list("amount", flat=True))
    assert used == paid_with_credit > 0
    assert credit_balance(Client.objects.get(pk=client.pk)) == Decimal("40.00") - used >= 0
    assert ChequeOrder.objects.filter(client=client, status="betaald").count() >= 5
    assert not ChequeOrder.objects.filter(client=client, status="betaald", cheques_issued_at__isnull=True).exists()


def test_a_transaction_that_loses_a_deadlock_runs_again(organiser, leuven):
    """Two transactions lock two clients in opposite orders (what the lock order prevents in the services):
    PostgreSQL aborts one; `retry_on_deadlock` runs it again after the other committed, and both succeed."""
    first, second = ClientFactory(municipality=leuven), ClientFactory(municipality=leuven)
    barrier = threading.Barrier(2)
    calls, raised = Counter(), []

    @retry_on_deadlock
    def cross(one, other, name):
        calls[name] += 1
        with transaction.atomic():
            Client.objects.select_for_update().get(pk=one)
            if calls[name] == 1:
                barrier.wait(timeout=10)  # both hold their first lock before taking the second
            Client.objects.select_for_update().get(pk=other)

    def run(*args):
        try:
            cross(*args)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(first.pk, second.pk, "a")),
               threading.Thread(target=run, args=(second.pk, first.pk, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert raised == []
    assert sorted(calls.values()) == [1, 2]


class _Deadlock(Exception):
    sqlstate = "40P01"


class _Cancelled(Exception):
    sqlstate = "57014"


def _failing(cause, calls):
    @retry_on_deadlock
    def work():
        calls.append(datetime.datetime.now())
        raise OperationalError("from the database") from cause()
    return work


def test_only_a_lost_deadlock_is_retried_and_only_a_few_times():
    calls = []
    with pytest.raises(OperationalError):
        _failing(_Deadlock, calls)()
    assert len(calls) == DEADLOCK_ATTEMPTS
    calls.clear()
    with pytest.raises(OperationalError):
        _failing(_Cancelled, calls)()
    assert len(calls) == 1


def test_inside_a_callers_transaction_a_deadlock_goes_up_unretried():
    calls = []
    with pytest.raises(OperationalError), transaction.atomic():
        _failing(_Deadlock, calls)()
    assert len(calls) == 1
