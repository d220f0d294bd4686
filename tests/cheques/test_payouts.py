"""Payouts (flow 7): the allowance per redeemed cheque plus travel, in immutable batches with a SEPA file."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignments.services import prestatie_correct_kilometres
from cheques.models import (
    PayoutBatch,
    PayoutBatchStatus,
    PayoutCorrection,
    PayoutItem,
    PayoutItemKind,
    PayoutLine,
    Settlement,
    SettlementStatus,
)
from cheques.services.payouts import (
    payout_batch_confirm,
    payout_correction_create,
    payout_preview,
    remittance_text,
    travel_allowance,
)
from cheques.services.settlement import prestaties_settle
from tests.assignments.fixtures import make_assignment, make_worker
from tests.cheques.factories import LAST_MONTH, MONTH_BEFORE, THIS_MONTH, day_of, paid_prestatie, worker_iban
from tests.cheques.test_sepa import assert_valid_pain001
from tests.core.factories import RuleSetFactory
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.models import AuditEntry
from wijkwerken.core.rules import rules_for

pytestmark = pytest.mark.django_db



def confirm(organiser, beheerder, month=LAST_MONTH, **kwargs):
    preview = payout_preview(organiser=organiser, month=month)
    return payout_batch_confirm(organiser=organiser, month=month, fingerprint=preview.fingerprint, actor=beheerder,
                                **kwargs)


def line_of(preview, assignment):
    return next(line for line in preview.lines if line.worker_id == assignment.worker_id)


def test_cheques_times_the_allowance_of_each_prestaties_date_across_a_rule_change(organiser, make_paid_worker):
    """The allowance per cheque changes on the 15th: each prestatie is paid by the rules of its own date."""
    RuleSetFactory(organiser=organiser, valid_from=day_of(LAST_MONTH, 15), worker_allowance_per_cheque="4.50",
                   travel_allowance_per_km="0.20", note="Nieuw besluit")
    assignment = make_paid_worker()
    paid_prestatie(assignment, day_of(LAST_MONTH, 14), minutes=120, kilometres="20")  # 2 × 4.10 + 20 × 0.15
    paid_prestatie(assignment, day_of(LAST_MONTH, 15), minutes=61, kilometres="20")  # 2 × 4.50 + 20 × 0.20

    line = line_of(payout_preview(organiser=organiser, month=LAST_MONTH), assignment)

    assert (line.prestaties, line.cheques) == (2, 4)
    assert line.allowance == Decimal("8.20") + Decimal("9.00")
    assert line.travel == Decimal("3.00") + Decimal("4.00")
    assert line.total == Decimal("24.20")


@pytest.mark.parametrize(("kilometres", "travel"), [
    ("0", "0.00"), ("9.9", "0.00"), ("10", "0.00"), ("10.1", "1.52"), ("11", "1.65"), ("200", "30.00"),
])
def test_travel_only_for_a_round_trip_of_more_than_10_km(organiser, make_paid_worker, kilometres, travel):
    assignment = make_paid_worker()
    paid_prestatie(assignment, day_of(LAST_MONTH, 3), kilometres=kilometres)

    line = line_of(payout_preview(organiser=organiser, month=LAST_MONTH), assignment)

    assert line.travel == Decimal(travel)  # 10.1 × 0.15 = 1.515: rounded half up to the cent
    assert line.travel == travel_allowance(Decimal(kilometres), rules_for(organiser=organiser,
                                                                          on=day_of(LAST_MONTH, 3)))


def test_a_batch_pays_each_worker_once_in_a_valid_sepa_file(organiser, make_paid_worker, beheerder):
    first = make_paid_worker("Ahmed")
    second = make_paid_worker("Élise", last_name="D'Hondt")
    p1 = paid_prestatie(first, day_of(LAST_MONTH, 3), minutes=150, kilometres="24")
    p2 = paid_prestatie(first, day_of(LAST_MONTH, 10), minutes=60)
    p3 = paid_prestatie(second, day_of(MONTH_BEFORE, 20), minutes=60)  # an older month, not paid yet
    later = paid_prestatie(second, day_of(THIS_MONTH, 1), minutes=60) if today().day > 1 else None

    batch = confirm(organiser, beheerder)

    assert (batch.number, batch.count, batch.month, batch.status) == (1, 2, LAST_MONTH, PayoutBatchStatus.CONFIRMED)
    assert batch.total == Decimal("12.30") + Decimal("3.60") + Decimal("4.10") + Decimal("4.10")
    assert batch.total == batch.allowance + batch.travel + batch.corrections
    lines = {line.worker_id: line for line in PayoutLine.objects.filter(batch=batch)}
    assert lines[first.worker_id].total == Decimal("20.00") and lines[first.worker_id].cheques == 4
    assert lines[second.worker_id].total == Decimal("4.10")
    paid = set(PayoutItem.objects.filter(line__batch=batch).values_list("prestatie_id", flat=True))
    assert paid == {p1.pk, p2.pk, p3.pk}
    if later:
        assert later.pk not in paid  # dated after the month: in next month's run
    for line in lines.values():
        assert line.total == sum(item.amount for item in line.items.all())

    with batch.file.open("rb") as handle:
        content = handle.read()
    assert_valid_pain001(content)
    from lxml import etree
    root = etree.fromstring(content)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    amounts = [Decimal(a) for a in root.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=ns)]
    assert Decimal(root.xpath("//p:GrpHdr/p:CtrlSum/text()", namespaces=ns)[0]) == sum(amounts) == batch.total
    assert Decimal(root.xpath("//p:PmtInf/p:CtrlSum/text()", namespaces=ns)[0]) == batch.total
    assert root.xpath("//p:GrpHdr/p:NbOfTxs/text()", namespaces=ns) == ["2"]
    assert set(root.xpath("//p:RmtInf/p:Ustrd/text()", namespaces=ns)) == {remittance_text(LAST_MONTH)}
    assert remittance_text(LAST_MONTH) == f"Wijk-werkvergoeding {LAST_MONTH:%m/%Y}"
    assert "Elise D'Hondt" in content.decode()
    assert AuditEntry.objects.filter(action="payout_batch.confirm", object_id=str(batch.pk)).exists()
    assert AuditEntry.objects.filter(action="worker.payout").count() == 2


def test_a_worker_with_nothing_to_pay_is_not_in_the_run(organiser, make_paid_worker, beheerder):
    idle = make_paid_worker("Idle")
    waiting = make_paid_worker("Waiting")
    paid_prestatie(waiting, day_of(LAST_MONTH, 5), minutes=120, settle=False)  # the client has no cheques

    preview = payout_preview(organiser=organiser, month=LAST_MONTH)

    assert preview.lines == [] and preview.exceptions == []
    assert [(p.worker_id, p.waiting_for_cheques, p.cheques) for p in preview.pending] == [(waiting.worker_id, 1, 2)]
    assert idle.worker_id not in {p.worker_id for p in preview.pending}
    with pytest.raises(ValidationError) as error:
        payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint, actor=beheerder)
    assert error.value.code == "nothing_to_pay"
    assert not PayoutBatch.objects.exists()


def test_the_organiser_may_advance_hours_waiting_for_cheques(organiser, make_paid_worker, beheerder):
    RuleSetFactory(organiser=organiser, valid_from=add_months(LAST_MONTH, -1), advance_waiting_hours=True,
                   note="We schieten voor")
    assignment = make_paid_worker()
    prestatie = paid_prestatie(assignment, day_of(LAST_MONTH, 5), minutes=120, settle=False)

    batch = confirm(organiser, beheerder)

    assert batch.total == Decimal("8.20")
    from cheques.services.settlement import prestaties_settle
    from tests.cheques.test_settlement import give_cheques
    give_cheques(assignment.client, 2)
    prestaties_settle(prestatie_ids=[prestatie.pk])
    assert Settlement.objects.get(prestatie=prestatie).status == SettlementStatus.PAID
    assert payout_preview(organiser=organiser, month=LAST_MONTH).lines == []  # paid once, not again


def test_workers_without_a_valid_iban_or_a_readable_name_stay_out_and_are_paid_later(organiser, make_paid_worker,
                                                                                      beheerder):
    fine = make_paid_worker("Fine")
    no_iban = make_paid_worker("Nobank", iban="")
    bad_iban = make_paid_worker("Typo")
    type(bad_iban.worker).objects.filter(pk=bad_iban.worker_id).update(iban="BE71 0961 2345 6760")
    cyrillic = make_paid_worker("Олена", last_name="Шевченко")
    for assignment in (fine, no_iban, bad_iban, cyrillic):
        paid_prestatie(assignment, day_of(LAST_MONTH, 6))

    preview = payout_preview(organiser=organiser, month=LAST_MONTH)

    assert [line.worker_id for line in preview.lines] == [fine.worker_id]
    problems = {line.worker_id: line.problem for line in preview.exceptions}
    assert problems == {no_iban.worker_id: "no_iban", bad_iban.worker_id: "bad_iban",
                        cyrillic.worker_id: "bad_name"}
    assert all(line.problem_advice for line in preview.exceptions)
    confirm(organiser, beheerder)

    no_iban.worker.iban = worker_iban(77)
    no_iban.worker.save(update_fields=["iban"])
    second = confirm(organiser, beheerder)
    assert list(second.lines.values_list("worker_id", flat=True)) == [no_iban.worker_id]
    assert second.number == 2 and second.total == Decimal("4.10")


def test_a_future_month_is_refused(organiser, beheerder):
    with pytest.raises(ValidationError) as error:
        payout_preview(organiser=organiser, month=add_months(THIS_MONTH, 1))
    assert error.value.error_dict["month"][0].code == "future_month"
    with pytest.raises(ValidationError) as error:
        payout_batch_confirm(organiser=organiser, month=add_months(THIS_MONTH, 1), fingerprint="x", actor=beheerder)
    assert error.value.error_dict["month"][0].code == "future_month"


def test_the_same_preview_is_confirmed_once(organiser, make_paid_worker, beheerder):
    assignment = make_paid_worker()
    paid_prestatie(assignment, day_of(LAST_MONTH, 2))
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    batch = payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint,
                                 actor=beheerder)

    with pytest.raises(ValidationError) as error:
        payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint, actor=beheerder)

    assert error.value.code == "already_confirmed" and str(batch.number) in error.value.messages[0]
    assert PayoutBatch.objects.count() == 1 and PayoutItem.objects.count() == 1


def test_an_iban_changed_between_preview_and_confirm_is_refused(organiser, make_paid_worker, beheerder):
    assignment = make_paid_worker()
    paid_prestatie(assignment, day_of(LAST_MONTH, 2))
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    assignment.worker.iban = worker_iban(500)
    assignment.worker.save(update_fields=["iban"])

    with pytest.raises(ValidationError) as error:
        payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint, actor=beheerder)

    assert error.value.code == "iban_changed"
    assert not PayoutBatch.objects.exists() and not PayoutItem.objects.exists()
    batch = confirm(organiser, beheerder)  # the new preview shows the new IBAN
    assert batch.lines.get().iban == worker_iban(500).replace(" ", "")


def test_new_hours_between_preview_and_confirm_are_refused(organiser, make_paid_worker, beheerder):
    assignment = make_paid_worker()
    paid_prestatie(assignment, day_of(LAST_MONTH, 2))
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    paid_prestatie(assignment, day_of(LAST_MONTH, 3))

    with pytest.raises(ValidationError) as error:
        payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint, actor=beheerder)

    assert error.value.code == "preview_changed" and not PayoutBatch.objects.exists()


def test_kilometres_corrected_after_payment_become_a_correction_in_the_next_batch(organiser, make_paid_worker,
                                                                                  beheerder, bemiddelaar):
    assignment = make_paid_worker()
    prestatie = paid_prestatie(assignment, day_of(MONTH_BEFORE, 10), kilometres="30")  # 4.10 + 4.50
    first = confirm(organiser, beheerder, month=MONTH_BEFORE)
    assert first.total == Decimal("8.60")

    prestatie_correct_kilometres(prestatie=prestatie, kilometres="40", note="Omweg via Herent", actor=bemiddelaar)
    paid_prestatie(assignment, day_of(LAST_MONTH, 4))
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    line = line_of(preview, assignment)
    assert (line.allowance, line.travel, line.corrections) == (Decimal("4.10"), Decimal("0.00"), Decimal("1.50"))

    second = payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint,
                                  actor=beheerder)

    correction = PayoutItem.objects.get(line__batch=second, kind=PayoutItemKind.CORRECTION)
    assert (correction.prestatie_id, correction.sequence, correction.amount) == (prestatie.pk, 2, Decimal("1.50"))
    assert second.total == Decimal("5.60") and second.corrections == Decimal("1.50")
    assert payout_preview(organiser=organiser, month=LAST_MONTH).lines == []  # corrected once


def test_a_negative_result_carries_over_never_a_negative_transfer(organiser, make_paid_worker, beheerder,
                                                                  bemiddelaar):
    assignment = make_paid_worker()
    worker = assignment.worker
    paid_prestatie(assignment, day_of(MONTH_BEFORE, 10))
    confirm(organiser, beheerder, month=MONTH_BEFORE)
    payout_correction_create(organiser=organiser, worker=worker, amount=Decimal("-10.00"),
                             reason="Betwisting na betaling gegrond: uren van 3/10 niet gepresteerd", actor=beheerder)
    paid_prestatie(assignment, day_of(LAST_MONTH, 4))  # 4.10 - 10.00 < 0

    preview = payout_preview(organiser=organiser, month=LAST_MONTH)

    assert preview.lines == []
    [kept] = preview.exceptions
    assert (kept.problem, kept.total) == ("not_positive", Decimal("-5.90"))
    with pytest.raises(ValidationError):
        payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint, actor=beheerder)

    for day in (5, 6):
        paid_prestatie(assignment, day_of(LAST_MONTH, day), minutes=120)  # 2 × 8.20 more
    batch = confirm(organiser, beheerder)
    line = batch.lines.get()
    assert (line.allowance, line.corrections, line.total) == (Decimal("20.50"), Decimal("-10.00"), Decimal("10.50"))
    assert PayoutCorrection.objects.get().items.get().line == line


def test_corrections_refuse_bad_input(organiser, make_paid_worker, beheerder, other_organiser):
    worker = make_paid_worker().worker
    for amount, reason, code in [(Decimal("0"), "x", "zero"), (Decimal("6000"), "x", "too_large"),
                                 (Decimal("5"), " ", "no_reason")]:
        with pytest.raises(ValidationError) as error:
            payout_correction_create(organiser=organiser, worker=worker, amount=amount, reason=reason,
                                     actor=beheerder)
        assert [e.code for errors in error.value.error_dict.values() for e in errors] == [code]
    with pytest.raises(ValidationError):
        payout_correction_create(organiser=other_organiser, worker=worker, amount=Decimal("5"), reason="x",
                                 actor=beheerder)
    assert not PayoutCorrection.objects.exists()


def test_a_batch_and_its_lines_can_never_be_changed_or_deleted(organiser, make_paid_worker, beheerder):
    assert connection.vendor == "postgresql"
    paid_prestatie(make_paid_worker(), day_of(LAST_MONTH, 2))
    batch = confirm(organiser, beheerder)
    line = batch.lines.get()
    item = line.items.get()
    for statement, params in [
        ("UPDATE cheques_payoutbatch SET total = total + 1, allowance = allowance + 1 WHERE id = %s", [batch.pk]),
        ("UPDATE cheques_payoutbatch SET execution_date = execution_date + 1 WHERE id = %s", [batch.pk]),
        ("DELETE FROM cheques_payoutbatch WHERE id = %s", [batch.pk]),
        ("UPDATE cheques_payoutline SET iban = 'BE13063000000439' WHERE id = %s", [line.pk]),
        ("DELETE FROM cheques_payoutline WHERE id = %s", [line.pk]),
        ("UPDATE cheques_payoutitem SET amount = 0, allowance = 0 WHERE id = %s", [item.pk]),
        ("DELETE FROM cheques_payoutitem WHERE id = %s", [item.pk]),
        # marking it executed while changing something else is refused too
        ("UPDATE cheques_payoutbatch SET status = 'uitgevoerd', executed_on = now(), count = 2 WHERE id = %s",
         [batch.pk]),
    ]:
        refused = pytest.raises(IntegrityError, match="final|confirmed payout batch|cannot be erased")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    batch.refresh_from_db()
    assert (batch.total, batch.status) == (Decimal("4.10"), PayoutBatchStatus.CONFIRMED)


def test_a_prestatie_is_paid_out_at_most_once_by_the_database(organiser, make_paid_worker, beheerder):
    prestatie = paid_prestatie(make_paid_worker(), day_of(LAST_MONTH, 2))
    batch = confirm(organiser, beheerder)
    line = batch.lines.get()
    with pytest.raises(IntegrityError, match="payoutitem_prestatie_paid_once"), transaction.atomic():
        PayoutItem.objects.create(organiser=organiser, line=line, worker=line.worker, kind=PayoutItemKind.PAYMENT,
                                  prestatie=prestatie, sequence=1, date=prestatie.date, cheques=1,
                                  allowance=Decimal("4.10"), travel=Decimal("0"), amount=Decimal("4.10"))


def test_the_preview_and_the_confirmation_take_a_fixed_number_of_queries(organiser, make_paid_worker, beheerder):
    def run():
        with CaptureQueriesContext(connection) as preview_queries:
            preview = payout_preview(organiser=organiser, month=LAST_MONTH)
        with CaptureQueriesContext(connection) as confirm_queries:
            payout_batch_confirm(organiser=organiser, month=LAST_MONTH, fingerprint=preview.fingerprint,
                                 actor=beheerder)
        return len(preview_queries), len(confirm_queries)

    for n in range(2):
        paid_prestatie(make_paid_worker(f"A{n}"), day_of(LAST_MONTH, 2 + n))
    few = run()
    for n in range(8):
        assignment = make_paid_worker(f"B{n}")
        paid_prestatie(assignment, day_of(LAST_MONTH, 2 + n), kilometres="15")
        paid_prestatie(assignment, day_of(LAST_MONTH, 12 + n))
    many = run()
    assert few == many, (few, many)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_pay_each_prestatie_once(organiser, leuven, bemiddelaar, beheerder):
    """Two beheerders confirm the same preview at the same moment, and a third a run of the month before it: the
    first gets the batch; the others are refused once they get the lock, and no prestatie is paid twice."""
    start = add_months(THIS_MONTH, -3)
    assignments = []
    for n in range(3):
        worker = make_worker(organiser, leuven, bemiddelaar, trajectory_start=start, iban=worker_iban(n))
        assignments.append(make_assignment(organiser, leuven, bemiddelaar, worker, start=start, end=today()))
    for assignment in assignments:
        paid_prestatie(assignment, day_of(MONTH_BEFORE, 12))
        paid_prestatie(assignment, day_of(LAST_MONTH, 12), kilometres="18")
    previews = [payout_preview(organiser=organiser, month=month) for month in (LAST_MONTH, LAST_MONTH, MONTH_BEFORE)]
    barrier = threading.Barrier(3)
    outcomes, raised = [], []

    def run(preview, actor):
        try:
            barrier.wait(timeout=10)
            outcomes.append(payout_batch_confirm(organiser=organiser, month=preview.month,
                                                 fingerprint=preview.fingerprint, actor=actor).number)
        except ValidationError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - a thread that died fails the test below
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(preview, actor))
               for preview, actor in zip(previews, (beheerder, bemiddelaar, beheerder), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads) and raised == []
    # Whoever got the lock first was paid; the others found the preview confirmed or out of date.
    assert sorted(outcomes, key=str) in ([1, "already_confirmed", "preview_changed"],
                                         [1, "preview_changed", "preview_changed"])
    batch = PayoutBatch.objects.get()
    paid = list(PayoutItem.objects.filter(kind=PayoutItemKind.PAYMENT).values_list("prestatie_id", flat=True))
    assert len(paid) == len(set(paid)) == (6 if batch.month == LAST_MONTH else 3)
    assert batch.total == sum(line.total for line in batch.lines.all())


def test_a_batch_marks_the_prestaties_it_paid_in_the_database(organiser, make_paid_worker, beheerder):
    """`Prestatie.paid_out` is kept by the trigger on the payout items: the run reads only unpaid prestaties."""
    assignment = make_paid_worker()
    paid = paid_prestatie(assignment, day_of(LAST_MONTH, 3), kilometres="20")
    waiting = paid_prestatie(make_paid_worker("Waiting"), day_of(LAST_MONTH, 4), settle=False)
    later = paid_prestatie(assignment, day_of(THIS_MONTH, 1)) if today().day > 1 else None

    batch = confirm(organiser, beheerder)
    paid.refresh_from_db()
    waiting.refresh_from_db()

    assert paid.paid_out and not waiting.paid_out
    if later:
        later.refresh_from_db()
        assert not later.paid_out
    # A correction of a paid prestatie (its kilometres changed) is paid by the next batch, once.
    prestatie_correct_kilometres(prestatie=paid, kilometres=Decimal("30"), note="Omweg", actor=beheerder)
    second = confirm(organiser, beheerder)
    assert list(second.lines.values_list("corrections", flat=True)) == [Decimal("1.50")]
    assert PayoutItem.objects.filter(prestatie=paid).count() == 2
    assert payout_preview(organiser=organiser, month=LAST_MONTH).lines == []
    assert batch.number == 1 and second.number == 2
    # What each batch's items count is kept on the batch (the money overview reads it).
    assert (batch.prestaties, batch.travel_count, batch.correction_count) == (1, 1, 0)
    assert (second.prestaties, second.travel_count, second.correction_count) == (0, 0, 1)


def test_the_sqlite_trigger_marks_paid_prestaties_too():
    import importlib
    import sqlite3

    migration = importlib.import_module("cheques.migrations.0014_prestatie_paid_out_trigger")
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE assignments_prestatie (id INTEGER PRIMARY KEY, paid_out BOOL NOT NULL DEFAULT 0);
        CREATE TABLE cheques_payoutitem (id INTEGER PRIMARY KEY, kind TEXT, prestatie_id INTEGER);
        INSERT INTO assignments_prestatie (id) VALUES (1), (2), (3);
        INSERT INTO cheques_payoutitem (kind, prestatie_id) VALUES ('vergoeding', 1);
    """)
    db.execute(migration.FILL)
    db.execute(migration.SQLITE)
    db.executescript("""
        INSERT INTO cheques_payoutitem (kind, prestatie_id) VALUES ('vergoeding', 2);
        INSERT INTO cheques_payoutitem (kind, prestatie_id) VALUES ('correctie', 3);
        INSERT INTO cheques_payoutitem (kind, prestatie_id) VALUES ('manueel', NULL);
    """)
    assert list(db.execute("SELECT id, paid_out FROM assignments_prestatie ORDER BY id")) == [(1, 1), (2, 1), (3, 0)]


def test_marking_prestaties_paid_does_not_fire_the_hours_month_trigger():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'prestatie_hours_month'")
        (definition,) = cursor.fetchone()
    assert "UPDATE OF status, minutes, date, assignment_id, organiser_id" in definition


def test_the_database_copies_each_settlements_status_onto_its_prestatie(organiser, make_paid_worker, beheerder):
    """`Prestatie.settlement_status`, kept by the triggers on the settlements, is what a run reads instead of
    joining them: "" until settled, te betalen while waiting for cheques, betaald once paid."""
    from tests.cheques.test_settlement import confirmed, give_cheques

    unsettled = confirmed(make_paid_worker("Unsettled"), day_of(LAST_MONTH, 2))
    assert unsettled.settlement_status == ""
    waiting = paid_prestatie(make_paid_worker("Waiting"), day_of(LAST_MONTH, 3), settle=False)
    paid = paid_prestatie(make_paid_worker(), day_of(LAST_MONTH, 4))
    for prestatie in (waiting, paid):
        prestatie.refresh_from_db()
    assert (waiting.settlement_status, paid.settlement_status) == (SettlementStatus.WAITING, SettlementStatus.PAID)
    preview = payout_preview(organiser=organiser, month=LAST_MONTH)
    assert [line.prestaties for line in preview.lines] == [1]
    assert {(p.waiting_for_cheques, p.being_settled) for p in preview.pending} == {(1, 0), (0, 1)}

    # The client orders cheques: the waiting settlement is paid (one UPDATE of the settlements) and so is its copy.
    give_cheques(waiting.client, waiting.cheques)
    prestaties_settle(prestatie_ids=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.settlement_status == SettlementStatus.PAID
    assert sum(line.prestaties for line in payout_preview(organiser=organiser, month=LAST_MONTH).lines) == 2
    # A settlement pays its prestatie's cheques, never another number: the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Settlement.objects.create(organiser=organiser, client=unsettled.client, prestatie=unsettled,
                                  status=SettlementStatus.PAID, cheques=unsettled.cheques + 1, paid_at=timezone.now())
    unsettled.refresh_from_db()
    assert unsettled.settlement_status == ""


def test_the_sqlite_triggers_copy_the_settlement_status_too():
    import importlib
    import sqlite3

    migration = importlib.import_module("cheques.migrations.0016_settlement_status_on_prestatie")
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE assignments_prestatie (id INTEGER PRIMARY KEY, cheques INTEGER NOT NULL,
                                            settlement_status TEXT NOT NULL DEFAULT '');
        CREATE TABLE cheques_settlement (id INTEGER PRIMARY KEY, prestatie_id INTEGER, status TEXT, cheques INTEGER);
        INSERT INTO assignments_prestatie (id, cheques) VALUES (1, 2), (2, 1), (3, 1);
        INSERT INTO cheques_settlement (prestatie_id, status, cheques) VALUES (1, 'betaald', 2);
    """)
    db.execute(migration.FILL["sqlite"])
    for statement in migration.SQLITE:
        db.execute(statement)
    db.executescript("""
        INSERT INTO cheques_settlement (prestatie_id, status, cheques) VALUES (2, 'te_betalen', 1);
        UPDATE cheques_settlement SET status = 'betaald' WHERE prestatie_id = 2;
        INSERT INTO cheques_settlement (prestatie_id, status, cheques) VALUES (3, 'te_betalen', 1);
        DELETE FROM cheques_settlement WHERE prestatie_id = 3;
    """)
    assert list(db.execute("SELECT id, settlement_status FROM assignments_prestatie ORDER BY id")) == [
        (1, "betaald"), (2, "betaald"), (3, "")]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO cheques_settlement (prestatie_id, status, cheques) VALUES (3, 'betaald', 5)")
