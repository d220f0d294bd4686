"""Client credit pays an open order ("Betalen met tegoed"): as much as the credit allows, under a lock."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assignments.models import Client
from cheques.models import Cheque, ChequeOrder, ClientCredit, CreditKind, OrderStatus, Payment, PaymentMethod
from cheques.selectors import credit_balance
from cheques.services.credits import client_credit_apply
from cheques.services.orders import cheque_order_cancel
from tests.assignments.factories import ClientFactory
from tests.cheques.factories import order_for
from wijkwerken.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_smaller_credit_pays_part_of_the_order(client_obj, bemiddelaar, give_credit):
    give_credit(client_obj, "10.00")
    order = order_for(client_obj, quantity=3)  # 3 × € 5,95
    used = client_credit_apply(order=order, actor=bemiddelaar)
    order.refresh_from_db()
    assert used.kind == CreditKind.USED and used.amount == Decimal("-10.00") and used.order == order
    assert order.status == OrderStatus.PARTIALLY_PAID and order.amount_paid == Decimal("10.00")
    assert order.outstanding == Decimal("7.85")
    payment = Payment.objects.get(order=order)
    assert payment.method == PaymentMethod.CREDIT and payment.amount == Decimal("10.00")
    assert payment.bank_line is None and payment.created_by == bemiddelaar
    assert credit_balance(client_obj) == 0
    assert not Cheque.objects.exists()
    entry = AuditEntry.objects.get(action="client_credit.use")
    assert entry.actor == bemiddelaar and entry.object_id == str(order.pk)
    assert entry.changes["amount"] == "10.00" and entry.changes["credit_after"] == "0.00"
    with pytest.raises(ValidationError) as error:  # the credit is used up
        client_credit_apply(order=order, actor=bemiddelaar)
    assert error.value.code == "no_credit"


def test_a_larger_credit_pays_the_order_and_its_cheques_are_issued_after_the_commit(
        client_obj, bemiddelaar, give_credit, django_capture_on_commit_callbacks):
    give_credit(client_obj, "50.00")
    order = order_for(client_obj, quantity=3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_credit_apply(order=order, actor=bemiddelaar)
        assert not Cheque.objects.exists()  # issued by a task after the commit
    assert callbacks
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.amount_paid == order.total == Decimal("17.85")
    assert Cheque.objects.filter(client=client_obj, order=order).count() == 3
    assert credit_balance(client_obj) == Decimal("32.15")
    assert list(client_obj.credits.order_by("pk").values_list("kind", "amount")) == [
        (CreditKind.UNKNOWN_ORDER, Decimal("50.00")), (CreditKind.USED, Decimal("-17.85"))]
    with pytest.raises(ValidationError) as error:  # paid now
        client_credit_apply(order=order, actor=bemiddelaar)
    assert error.value.code == "order_not_open"


def _nothing_changed(client, order):
    order.refresh_from_db()
    assert order.amount_paid == 0 and order.status == OrderStatus.OPEN
    assert not Payment.objects.filter(order=order).exists()
    assert not ClientCredit.objects.filter(kind=CreditKind.USED).exists()
    assert not AuditEntry.objects.filter(action="client_credit.use").exists()


def test_without_credit_nothing_is_paid(client_obj, bemiddelaar):
    order = order_for(client_obj, quantity=1)
    with pytest.raises(ValidationError) as error:
        client_credit_apply(order=order, actor=bemiddelaar)
    assert error.value.code == "no_credit"
    _nothing_changed(client_obj, order)


def test_a_cancelled_order_is_refused(client_obj, bemiddelaar, give_credit):
    give_credit(client_obj, "20.00")
    order = order_for(client_obj, quantity=1)
    cheque_order_cancel(order=order, actor=bemiddelaar)
    with pytest.raises(ValidationError) as error:
        client_credit_apply(order=order, actor=bemiddelaar)
    assert error.value.code == "order_not_open"
    assert credit_balance(client_obj) == Decimal("20.00")


def test_another_clients_order_is_refused(client_obj, leuven, bemiddelaar, give_credit):
    give_credit(client_obj, "20.00")
    other = ClientFactory(municipality=leuven)
    order = order_for(other, quantity=1)
    with pytest.raises(ValidationError) as error:
        client_credit_apply(order=order, actor=bemiddelaar, client=client_obj)
    assert error.value.code == "other_client"
    _nothing_changed(other, order)
    # Without the client's page the other client's own (empty) credit counts: still nothing to use.
    with pytest.raises(ValidationError) as error:
        client_credit_apply(order=order, actor=bemiddelaar)
    assert error.value.code == "no_credit"
    assert credit_balance(client_obj) == Decimal("20.00")


def test_staff_of_another_organiser_are_refused(client_obj, give_credit, other_organiser):
    from tests.accounts.factories import UserFactory
    from wijkwerken.accounts.models import Role

    give_credit(client_obj, "20.00")
    order = order_for(client_obj, quantity=1)
    stranger = UserFactory(role=Role.BEMIDDELAAR, organiser=other_organiser)
    with pytest.raises(ValidationError) as error:
        client_credit_apply(order=order, actor=stranger)
    assert error.value.code == "other_organiser"
    _nothing_changed(client_obj, order)


def test_the_database_refuses_a_used_credit_without_an_order(client_obj):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ClientCredit.objects.create(organiser=client_obj.organiser, client=client_obj, amount=Decimal("-5.00"),
                                    kind=CreditKind.USED)
    with pytest.raises(IntegrityError), transaction.atomic():  # money coming in is positive
        ClientCredit.objects.create(organiser=client_obj.organiser, client=client_obj, amount=Decimal("-5.00"),
                                    kind=CreditKind.OVERPAYMENT)


@pytest.mark.django_db(transaction=True)
def test_two_orders_paid_with_the_same_credit_at_once_never_use_more_than_the_credit(organiser, leuven, upload):
    """Two staff members press "Betalen met tegoed" on two orders of one client at the same moment: each
    recomputes the credit under the client lock, so together they never use more than there is."""
    assert connection.vendor == "postgresql"
    from tests.cheques.factories import coda_file, credit

    client = ClientFactory(municipality=leuven)
    upload(coda_file(organiser, [credit("20.00", client.structured_communication, structured=True)]))
    orders = [order_for(client, quantity=3), order_for(client, quantity=3)]  # € 17,85 each
    barrier = threading.Barrier(2)
    errors, raised = [], []

    def use(order_id):
        try:
            barrier.wait(timeout=10)
            client_credit_apply(order=ChequeOrder.objects.get(pk=order_id), actor=None)
        except ValidationError as error:
            errors.append(error.code)
        except Exception as error:  # noqa: BLE001 - a thread that died (a deadlock) fails the test below
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=use, args=(order.pk,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads) and raised == []
    assert errors == []  # the second one took what was left
    assert credit_balance(Client.objects.get(pk=client.pk)) == 0
    paid = sorted(ChequeOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list("amount_paid", flat=True))
    assert paid == [Decimal("2.15"), Decimal("17.85")]
    assert sum(ClientCredit.objects.filter(kind=CreditKind.USED).values_list("amount", flat=True)) == Decimal("-20")


def _kept_balance(client) -> Decimal | None:
    from cheques.models import CreditBalance

    return CreditBalance.objects.filter(client=client).values_list("balance", flat=True).first()


def test_the_database_keeps_each_clients_credit_balance(client_obj, give_credit, bemiddelaar, leuven):
    """`CreditBalance` is the sum of the client's credit rows, whatever changes them, and never below zero: the
    money overview lists the clients holding credit from it."""
    from django.db import IntegrityError, transaction

    other = ClientFactory(municipality=leuven)
    assert _kept_balance(client_obj) is None  # no credit rows, no balance row
    give_credit(client_obj, "20.00")
    give_credit(other, "5.00")
    order = order_for(client_obj, quantity=1)
    client_credit_apply(order=order, actor=bemiddelaar)  # takes what the order costs from the credit
    assert _kept_balance(client_obj) == credit_balance(client_obj) == Decimal("20.00") - order.total
    assert _kept_balance(other) == Decimal("5.00")
    incoming = client_obj.credits.get(kind=CreditKind.UNKNOWN_ORDER)
    ClientCredit.objects.filter(pk=incoming.pk).update(amount=Decimal("25.00"))
    assert _kept_balance(client_obj) == credit_balance(client_obj) == Decimal("25.00") - order.total
    with pytest.raises(IntegrityError), transaction.atomic():  # it would leave the order's use uncovered
        ClientCredit.objects.filter(pk=incoming.pk).update(client=other)
    others = other.credits.get()
    ClientCredit.objects.filter(pk=others.pk).update(client=client_obj)  # moved: both balances follow
    assert _kept_balance(other) == Decimal("0.00")
    assert _kept_balance(client_obj) == credit_balance(client_obj) == Decimal("30.00") - order.total
    ClientCredit.objects.filter(pk=others.pk).delete()
    assert _kept_balance(client_obj) == credit_balance(client_obj) == Decimal("25.00") - order.total


def test_the_sqlite_triggers_keep_the_credit_balance_too():
    import importlib
    import sqlite3

    migration = importlib.import_module("cheques.migrations.0018_credit_balance_kept")
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE cheques_clientcredit (id INTEGER PRIMARY KEY, organiser_id INTEGER, client_id INTEGER,
                                           amount DECIMAL);
        CREATE TABLE cheques_creditbalance (client_id INTEGER PRIMARY KEY, organiser_id INTEGER,
                                            balance DECIMAL NOT NULL CHECK (balance >= 0));
        INSERT INTO cheques_clientcredit (organiser_id, client_id, amount) VALUES (1, 1, 10.10), (1, 1, 2.20);
    """)
    db.execute(migration.FILL["sqlite"])
    for statement in migration.SQLITE:
        db.execute(statement)
    db.executescript("""
        INSERT INTO cheques_clientcredit (organiser_id, client_id, amount) VALUES (1, 1, -12.30), (1, 2, 4.10);
        UPDATE cheques_clientcredit SET amount = 5.10 WHERE client_id = 2;
        INSERT INTO cheques_clientcredit (organiser_id, client_id, amount) VALUES (1, 3, 1.00);
        DELETE FROM cheques_clientcredit WHERE client_id = 3;
    """)
    # Floating point sums come back to exactly zero: the client without credit is not listed as holding some.
    assert list(db.execute("SELECT client_id, balance FROM cheques_creditbalance ORDER BY client_id")) == [
        (1, 0), (2, 5.1), (3, 0)]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO cheques_clientcredit (organiser_id, client_id, amount) VALUES (1, 2, -6.00)")
