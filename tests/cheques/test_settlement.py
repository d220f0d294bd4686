"""Settlement of confirmed prestaties with cheques from the client's wallet (flow 6)."""

import datetime
import threading
from datetime import time, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assignments.models import Prestatie, PrestatieStatus
from assignments.services import prestatie_confirm, prestatie_validate
from cheques import selectors
from cheques.models import Cheque, ChequeKind, ChequeStatus, OrderStatus, Settlement, SettlementStatus
from cheques.services.settlement import clients_settle, prestaties_settle, waiting_key
from tests.assignments.factories import ClientFactory
from tests.assignments.fixtures import make_assignment, make_worker
from tests.cheques.factories import coda_file, credit, order_for
from wijkwerken.core.dates import today
from wijkwerken.core.models import AuditEntry, Notification
from wijkwerken.core.rules import cheques_for_minutes

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def assignment(organiser, leuven, bemiddelaar):
    start = today() - timedelta(days=30)
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=start, first_name="Ahmed")
    return make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today() + timedelta(days=60))


def confirmed(assignment, day, minutes=60, start=time(9), status=PrestatieStatus.CONFIRMED):
    end = (datetime.datetime.combine(day, start) + timedelta(minutes=minutes)).time()
    return Prestatie.objects.create(
        organiser=assignment.organiser, assignment=assignment, worker=assignment.worker, client=assignment.client,
        date=day, start_time=start, end_time=end, minutes=minutes, cheques=cheques_for_minutes(minutes),
        status=status, confirmed_at=timezone.now() if status == PrestatieStatus.CONFIRMED else None)


_serial = iter(range(100000, 999999))


def give_cheques(client, count, expires_in_days=300):
    """Paper cheques straight into the wallet, with a chosen expiry (the issuing services are tested elsewhere)."""
    issued = today() - timedelta(days=400)
    return [Cheque.objects.create(organiser=client.organiser, client=client, serial=f"P-{next(_serial)}",
                                  kind=ChequeKind.PAPER, value="9.00", issued_on=issued,
                                  expires_on=today() + timedelta(days=expires_in_days)) for _n in range(count)]


def used_by(prestatie):
    return set(Cheque.objects.filter(prestatie=prestatie).values_list("pk", flat=True))


def test_takes_exactly_the_started_hours_soonest_expiry_first(assignment):
    client = assignment.client
    late = give_cheques(client, 3, expires_in_days=300)
    soon = give_cheques(client, 2, expires_in_days=10)
    middle = give_cheques(client, 2, expires_in_days=100)
    prestatie = confirmed(assignment, today() - timedelta(days=2), minutes=150)  # 2 h 30 = 3 cheques

    result = prestaties_settle(prestatie_ids=[prestatie.pk])

    assert (result.paid, result.waiting, result.cheques_used) == (1, 0, 3)
    assert used_by(prestatie) == {c.pk for c in soon} | {middle[0].pk}
    redeemed = Cheque.objects.filter(prestatie=prestatie)
    assert all(c.status == ChequeStatus.REDEEMED and c.redeemed_at for c in redeemed)
    assert Cheque.objects.filter(client=client, status=ChequeStatus.AVAILABLE).count() == 4
    assert not used_by(prestatie) & {c.pk for c in late}
    settlement = Settlement.objects.get(prestatie=prestatie)
    assert (settlement.status, settlement.cheques, settlement.client) == (SettlementStatus.PAID, 3, client)
    assert settlement.paid_at is not None
    entry = AuditEntry.objects.get(action="prestatie.settled", object_id=str(prestatie.pk))
    assert sorted(entry.changes["serials"].split(", ")) == sorted(c.serial for c in redeemed)


def test_expired_cheques_are_not_used(assignment):
    client = assignment.client
    expired = give_cheques(client, 2, expires_in_days=-1)
    valid = give_cheques(client, 1, expires_in_days=50)
    prestatie = confirmed(assignment, today() - timedelta(days=40), minutes=60)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    assert used_by(prestatie) == {valid[0].pk}
    assert Cheque.objects.filter(pk__in=[c.pk for c in expired], status=ChequeStatus.AVAILABLE).count() == 2


def test_not_enough_cheques_takes_nothing_waits_and_asks_to_order(assignment):
    client = assignment.client
    give_cheques(client, 1)
    prestatie = confirmed(assignment, today() - timedelta(days=1), minutes=120)

    result = prestaties_settle(prestatie_ids=[prestatie.pk])
    prestaties_settle(prestatie_ids=[prestatie.pk])

    assert (result.paid, result.waiting, result.cheques_used) == (0, 1, 0)
    assert Cheque.objects.filter(client=client, status=ChequeStatus.AVAILABLE).count() == 1
    settlement = Settlement.objects.get(prestatie=prestatie)
    assert settlement.status == SettlementStatus.WAITING and settlement.paid_at is None
    user = client.contacts.get().user
    notification = Notification.objects.get(recipient=user, key=waiting_key(prestatie.pk))
    assert notification.url == "/cheques/mijn/"
    assert AuditEntry.objects.filter(action="prestatie.settlement_waiting").count() == 1
    waiting = selectors.waiting_hours_of(client)
    assert (waiting.cheques, waiting.available, waiting.missing) == (2, 1, 1)


def test_oldest_hours_first_and_a_waiting_one_keeps_the_younger_waiting(assignment):
    client = assignment.client
    give_cheques(client, 2)
    oldest = confirmed(assignment, today() - timedelta(days=5), minutes=180)  # 3 cheques: does not fit
    younger = confirmed(assignment, today() - timedelta(days=1), minutes=60)
    prestaties_settle(prestatie_ids=[younger.pk])
    assert set(Settlement.objects.values_list("prestatie_id", "status")) == {
        (oldest.pk, SettlementStatus.WAITING), (younger.pk, SettlementStatus.WAITING)}
    give_cheques(client, 2)
    clients_settle(client_ids=[client.pk])
    assert Settlement.objects.get(prestatie=oldest).status == SettlementStatus.PAID
    assert Settlement.objects.get(prestatie=younger).status == SettlementStatus.PAID
    assert Cheque.objects.filter(client=client, status=ChequeStatus.AVAILABLE).count() == 0


def test_settling_twice_changes_nothing(assignment):
    give_cheques(assignment.client, 5)
    prestatie = confirmed(assignment, today() - timedelta(days=1), minutes=90)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    before = (list(Cheque.objects.order_by("pk").values_list("pk", "status", "prestatie_id", "redeemed_at")),
              AuditEntry.objects.count(), Settlement.objects.count())
    result = prestaties_settle(prestatie_ids=[prestatie.pk, prestatie.pk])
    after = (list(Cheque.objects.order_by("pk").values_list("pk", "status", "prestatie_id", "redeemed_at")),
             AuditEntry.objects.count(), Settlement.objects.count())
    assert (result.paid, result.waiting, result.cheques_used) == (0, 0, 0)
    assert before == after


def test_only_confirmed_hours_are_settled(assignment):
    give_cheques(assignment.client, 5)
    validated = confirmed(assignment, today() - timedelta(days=1), status=PrestatieStatus.VALIDATED)
    assert prestaties_settle(prestatie_ids=[validated.pk]).paid == 0
    assert not Settlement.objects.exists()


def test_confirming_hours_settles_them_after_commit(assignment, bemiddelaar, django_capture_on_commit_callbacks):
    give_cheques(assignment.client, 2)
    prestatie = confirmed(assignment, today() - timedelta(days=1), status=PrestatieStatus.REGISTERED)
    prestatie_validate(prestatie=prestatie, actor=bemiddelaar)
    client_user = assignment.client.contacts.get().user
    with django_capture_on_commit_callbacks(execute=True):
        prestatie_confirm(prestatie=Prestatie.objects.get(pk=prestatie.pk), actor=client_user)
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.PAID
    assert len(used_by(prestatie)) == 1


def test_waiting_hours_settle_when_an_order_is_paid_by_bank_statement(assignment, organiser, upload,
                                                                       django_capture_on_commit_callbacks):
    client = assignment.client
    prestatie = confirmed(assignment, today() - timedelta(days=3), minutes=120)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.WAITING
    order = order_for(client, quantity=5)

    upload(coda_file(organiser, [credit(order.total, order.structured_communication, structured=True)]))

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.PAID
    assert Cheque.objects.filter(order=order, prestatie=prestatie).count() == 2
    assert Cheque.objects.filter(order=order, status=ChequeStatus.AVAILABLE).count() == 3
    history = selectors.wallet_history(client)
    used = [row for row in history if row["entry"] == "used"]
    assert [(row["number"], row["worker_name"]) for row in used] == [(2, "Ahmed")]


def test_sweep_settles_what_a_lost_task_left(assignment):
    from cheques.tasks import settle_confirmed_sweep

    give_cheques(assignment.client, 1)
    prestatie = confirmed(assignment, today() - timedelta(days=1))
    assert settle_confirmed_sweep.delay().get()["paid"] == 1
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.PAID
    assert settle_confirmed_sweep.delay().get()["paid"] == 0


def test_the_database_refuses_a_second_redemption(assignment):
    assert connection.vendor == "postgresql"
    cheque = give_cheques(assignment.client, 1)[0]
    first = confirmed(assignment, today() - timedelta(days=2))
    second = confirmed(assignment, today() - timedelta(days=1), start=time(14))
    prestaties_settle(prestatie_ids=[first.pk])
    assert used_by(first) == {cheque.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        Cheque.objects.filter(pk=cheque.pk).update(prestatie=second, redeemed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Cheque.objects.filter(pk=cheque.pk).update(status=ChequeStatus.AVAILABLE, prestatie=None, redeemed_at=None)
    other = give_cheques(assignment.client, 1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():  # used without a prestatie
        Cheque.objects.filter(pk=other.pk).update(status=ChequeStatus.REDEEMED, redeemed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():  # a prestatie is settled once
        Settlement.objects.create(organiser=first.organiser, client=first.client, prestatie=first,
                                  status=SettlementStatus.PAID, cheques=1, paid_at=timezone.now())
    assert used_by(first) == {cheque.pk} and not used_by(second)


def test_the_database_refuses_a_cheque_paying_another_clients_hours(assignment, leuven):
    prestatie = confirmed(assignment, today() - timedelta(days=1))
    stranger = ClientFactory(organiser=assignment.organiser, municipality=leuven)
    theirs = give_cheques(stranger, 1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Cheque.objects.filter(pk=theirs.pk).update(status=ChequeStatus.REDEEMED, redeemed_at=timezone.now(),
                                                   prestatie=prestatie)
    own = give_cheques(assignment.client, 1)[0]
    Cheque.objects.filter(pk=own.pk).update(status=ChequeStatus.REDEEMED, redeemed_at=timezone.now(),
                                            prestatie=prestatie)
    assert used_by(prestatie) == {own.pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_never_redeem_a_cheque_twice(organiser, leuven, bemiddelaar):
    """Two prestaties of one client confirmed at the same moment, cheques for only one of them: settled in two
    threads with their own connections, exactly one is paid and the cheque is used once."""
    assert connection.vendor == "postgresql"
    start = today() - timedelta(days=30)
    worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=start)
    assignment = make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today())
    give_cheques(assignment.client, 1)
    first = confirmed(assignment, today() - timedelta(days=2))
    second = confirmed(assignment, today() - timedelta(days=1))
    barrier = threading.Barrier(2)
    errors = []

    def settle(prestatie_id):
        try:
            barrier.wait(timeout=10)
            prestaties_settle(prestatie_ids=[prestatie_id])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=settle, args=(p.pk,)) for p in (second, first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads) and errors == []
    assert Cheque.objects.filter(status=ChequeStatus.REDEEMED).count() == 1
    assert Cheque.objects.get().prestatie_id == first.pk
    assert dict(Settlement.objects.values_list("prestatie_id", "status")) == {
        first.pk: SettlementStatus.PAID, second.pk: SettlementStatus.WAITING}


def test_wallet_shows_waiting_hours_with_the_missing_number_and_the_used_history(client, assignment, bemiddelaar):
    give_cheques(assignment.client, 2)
    paid = confirmed(assignment, today() - timedelta(days=4), minutes=60)
    confirmed(assignment, today() - timedelta(days=2), minutes=240)  # 4 cheques, only 1 left: waits
    confirmed(assignment, today() - timedelta(days=1), minutes=60)  # younger: waits behind it
    prestaties_settle(prestatie_ids=[paid.pk])
    client.force_login(assignment.client.contacts.get().user)

    page = client.get("/cheques/mijn/").content.decode()
    assert "Uren die wachten op cheques" in page
    assert "/cheques/mijn/bestellen/?aantal=4" in page  # 5 cheques waiting, 1 available
    assert "Gebruikt voor de prestatie van" in page and "(Ahmed)" in page
    assert 'value="3"' in client.get("/cheques/mijn/bestellen/?aantal=3").content.decode()
    assert "2 prestaties wachten op cheques" in client.get("/cheques/mijn/paneel/").content.decode()

    client.force_login(bemiddelaar)
    money = client.get(f"/cheques/gebruikers/{assignment.client.pk}/").content.decode()
    assert "gebruikt voor de prestatie van" in money and "te betalen" in money


def test_an_open_order_that_covers_the_waiting_hours_asks_to_pay_it(client, assignment):
    prestatie = confirmed(assignment, today() - timedelta(days=1), minutes=120)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    order_for(assignment.client, quantity=2)
    client.force_login(assignment.client.contacts.get().user)
    page = client.get("/cheques/mijn/").content.decode()
    assert "?aantal=" not in page
    assert "De bestelling die op uw betaling wacht, dekt ze" in page


def test_a_paper_cheque_registered_at_the_desk_settles_waiting_hours(assignment, bemiddelaar,
                                                                     django_capture_on_commit_callbacks):
    from cheques.services.cheques import cheque_register_paper

    prestatie = confirmed(assignment, today() - timedelta(days=1), minutes=60)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    with django_capture_on_commit_callbacks(execute=True):
        cheque = cheque_register_paper(client=assignment.client, serial="PAPIER-0001", actor=bemiddelaar)
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.PAID
    assert used_by(prestatie) == {cheque.pk}
