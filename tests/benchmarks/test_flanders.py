"""The Flanders-scale data set (benchmarks/flanders.py), built small on the test database: the invariants hold on
the generated data, checked here with the ORM and the application's own rule helper as well as with the
generator's SQL checks (which are shown to catch broken data), and the same seed gives the same data."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.test import override_settings
from django.utils import timezone
from stdnum.be import iban as be_iban
from stdnum.be import nn, ogm_vcs, vat

from assignments.models import (
    Activity,
    Assignment,
    Client,
    ClientCategory,
    HelpRequest,
    Prestatie,
    PrestatieStatus,
    RegistrationFee,
)
from benchmarks.dataset.places import flanders_regions, load_places
from benchmarks.dataset.spec import OWN_CITIES, OrganiserSpec, split_by_weight, twins_preset
from benchmarks.dataset.store import bulk_load
from benchmarks.flanders import PASSWORD, build, fingerprint, invariant_violations
from cheques.models import (
    BankLine,
    Cheque,
    ChequeOrder,
    ChequeStatus,
    ClientCredit,
    OrderStatus,
    Payment,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutItem,
    PayoutItemKind,
    PayoutLine,
    RefundBatch,
    Settlement,
    SettlementStatus,
)
from cheques.services.payouts import (
    _rule_periods,
    allowance_expression,
    due_prestaties_of,
    payout_batch_confirm,
    payout_preview,
    travel_expression,
)
from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import add_months
from wijkwerken.core.models import Municipality, Organiser, RuleSet
from wijkwerken.core.rules import cheques_for_minutes
from workers.models import FollowUp, Trajectory, TrajectoryStatus, Worker

REFERENCE = datetime.date(2026, 3, 16)  # fixed, so the data does not depend on the day the tests run
SCALE = 0.002  # 40 organisers, about 45 workers, 125 clients, 2,000 prestaties


@pytest.fixture(scope="module", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """The refund batches' SEPA files go to a temporary folder."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="class")
def flanders(django_db_setup, django_db_blocker):
    """The 40-organiser preset, built once for the class in a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build(scale=SCALE, seed=11, reference=REFERENCE)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def last_day(trajectory: Trajectory) -> datetime.date:
    """The last day work may be done in the trajectory (as `Trajectory.last_day`)."""
    return trajectory.last_day


@pytest.mark.django_db
class TestFlandersPreset:
    def test_every_municipality_belongs_to_one_of_forty_organisers(self, flanders):
        organisers = Organiser.objects.filter(pk__in=flanders.organiser_ids)
        assert organisers.count() == 40
        assert Municipality.objects.count() == 285
        assert not Municipality.objects.filter(organiser__isnull=True).exists()
        assert all(o.municipalities.exists() for o in organisers)
        assert {o.name for o in organisers} >= {"Wijk-werken Stad Antwerpen", "Wijk-werken Stad Gent"}

    def test_each_organiser_has_rules_prices_activities_and_staff_of_every_role(self, flanders):
        for organiser in Organiser.objects.filter(pk__in=flanders.organiser_ids):
            assert RuleSet.objects.filter(organiser=organiser, valid_from=datetime.date(2018, 1, 1)).exists()
            assert Activity.objects.filter(organiser=organiser, municipality__isnull=True).count() >= 40
            roles = Counter(User.objects.filter(organiser=organiser).values_list("role", flat=True))
            for role in (Role.BEHEERDER, Role.BEMIDDELAAR, Role.WERKCOACH, Role.WIJKWERKER):
                assert roles[role] >= 1, (organiser.name, role)
            assert roles[Role.GEMEENTE] == organiser.municipalities.count()
            assert organiser.users.filter(role=Role.BEHEERDER).order_by("pk")[0].check_password(PASSWORD)
        assert flanders.logins[0][1] == "beheerder@stad-antwerpen.wijkwerken.test"

    def test_people_have_valid_identifiers(self, flanders):
        assert Worker.objects.count() >= 40
        for worker in Worker.objects.all():
            assert nn.is_valid(worker.national_number)
            assert not worker.iban or be_iban.is_valid(worker.iban)
        for client in Client.objects.all():
            assert ogm_vcs.is_valid(client.structured_communication)
            assert not client.iban or be_iban.is_valid(client.iban)
            if client.category == ClientCategory.PARTICULIER:
                assert nn.is_valid(client.national_number)
            else:
                assert vat.is_valid(client.kbo_number)
        for organiser in Organiser.objects.all():
            assert vat.is_valid(organiser.kbo_number) and be_iban.is_valid(organiser.iban)
        assert all(ogm_vcs.is_valid(c) for c in ChequeOrder.objects.values_list("structured_communication", flat=True))
        assert all(be_iban.is_valid(i) for i in BankLine.objects.values_list("payer_iban", flat=True))
        assert all(be_iban.is_valid(i) for i in ClientCredit.objects.exclude(refund_iban="")
                   .values_list("refund_iban", flat=True))

    def test_the_history_has_every_kind_of_row(self, flanders):
        assert len(set(Client.objects.values_list("category", flat=True))) >= 3  # all five at a larger scale
        assert Trajectory.objects.filter(status=TrajectoryStatus.ACTIVE).exists()
        assert Trajectory.objects.filter(status=TrajectoryStatus.ENDED).values("outflow_reason").distinct().count() >= 3
        assert FollowUp.objects.filter(done_on__isnull=False).exists()
        statuses = Counter(Prestatie.objects.values_list("status", flat=True))
        assert statuses[PrestatieStatus.CONFIRMED] > 0.9 * sum(statuses.values())
        assert {PrestatieStatus.CONFIRMED, PrestatieStatus.CANCELLED} <= set(statuses)
        assert Cheque.objects.filter(status=ChequeStatus.REDEEMED).exists()
        assert Cheque.objects.filter(status=ChequeStatus.EXPIRED).exists()
        assert Cheque.objects.filter(status=ChequeStatus.AVAILABLE).exists()
        assert set(Payment.objects.values_list("method", flat=True)) >= {"overschrijving", "online"}
        assert BankLine.objects.exists() and RegistrationFee.objects.filter(status="paid").exists()
        assert ChequeOrder.objects.filter(status=OrderStatus.PAID).count() > 0.9 * ChequeOrder.objects.count()
        assert PayoutItem.objects.count() > 0.5 * Settlement.objects.count()
        assert set(PayoutBatch.objects.values_list("status", flat=True)) == {PayoutBatchStatus.EXECUTED}
        assert PayoutBatch.objects.aggregate(last=Max("month"))["last"] == datetime.date(2026, 1, 1)
        five_years_ago = REFERENCE.replace(year=REFERENCE.year - 5)
        first = Prestatie.objects.order_by("date").values_list("date", flat=True).first()
        last = Prestatie.objects.order_by("-date").values_list("date", flat=True).first()
        assert five_years_ago <= first < five_years_ago + datetime.timedelta(days=60)
        assert REFERENCE - datetime.timedelta(days=7) <= last < REFERENCE

    def test_the_generator_finds_no_broken_invariant(self, flanders):
        broken = {name: count for name, count in invariant_violations(flanders.organiser_ids, REFERENCE).items()
                  if count}
        assert broken == {}

    def test_hours_stay_under_the_caps_of_sixty_a_month_and_630_a_year(self, flanders):
        counted = Prestatie.objects.exclude(status=PrestatieStatus.CANCELLED)
        months = (counted.annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
                  .values("worker", "year", "month").annotate(minutes=Sum("minutes")))
        years = counted.annotate(year=ExtractYear("date")).values("worker", "year").annotate(minutes=Sum("minutes"))
        assert max(row["minutes"] for row in months) <= 60 * 60
        assert max(row["minutes"] for row in years) <= 630 * 60
        assert counted.values("worker").distinct().count() >= 30

    def test_prestaties_lie_inside_the_trajectory_and_the_assignment_and_never_overlap(self, flanders):
        trajectories = defaultdict(list)
        for trajectory in Trajectory.objects.select_related("worker"):
            trajectories[trajectory.worker_id].append(trajectory)
        per_day = defaultdict(list)
        for prestatie in Prestatie.objects.select_related("assignment"):
            assignment = prestatie.assignment
            assert assignment.start_date <= prestatie.date <= assignment.end_date
            assert (prestatie.worker_id, prestatie.client_id) == (assignment.worker_id, assignment.client_id)
            assert any(t.start_date <= prestatie.date <= last_day(t) for t in trajectories[prestatie.worker_id])
            if prestatie.status != PrestatieStatus.CANCELLED:
                per_day[(prestatie.worker_id, prestatie.date)].append((prestatie.start_time, prestatie.end_time))
        for spans in per_day.values():
            spans.sort()
            assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:], strict=False))

    def test_one_cheque_per_started_hour(self, flanders):
        prestaties = list(Prestatie.objects.values_list("minutes", "cheques"))
        assert prestaties
        assert all(cheques == cheques_for_minutes(minutes) for minutes, cheques in prestaties)
        assert any(minutes % 60 for minutes, _cheques in prestaties)  # the started hour is exercised

    def test_redeemed_cheques_pay_their_own_clients_confirmed_prestatie_once(self, flanders):
        redeemed = Cheque.objects.filter(status=ChequeStatus.REDEEMED).select_related("prestatie")
        assert redeemed.exists()
        for cheque in redeemed:
            assert cheque.client_id == cheque.prestatie.client_id
            assert cheque.prestatie.status == PrestatieStatus.CONFIRMED
            assert cheque.issued_on <= cheque.redeemed_at.date() <= cheque.expires_on
        used = dict(redeemed.values("prestatie").annotate(n=Count("id")).values_list("prestatie", "n"))
        for settlement in Settlement.objects.select_related("prestatie"):
            expected = settlement.prestatie.cheques if settlement.status == SettlementStatus.PAID else 0
            assert used.get(settlement.prestatie_id, 0) == expected
        confirmed = Prestatie.objects.filter(status=PrestatieStatus.CONFIRMED)
        assert Settlement.objects.count() == confirmed.count()
        assert Settlement.objects.filter(status=SettlementStatus.PAID).count() > 0.9 * confirmed.count()

    def test_paid_orders_have_exactly_their_cheques(self, flanders):
        issued = dict(Cheque.objects.values("order").annotate(n=Count("id")).values_list("order", "n"))
        for order in ChequeOrder.objects.all():
            assert issued.get(order.pk, 0) == (order.quantity if order.status == OrderStatus.PAID else 0)
        sequences = Cheque.objects.values("order").annotate(low=Count("sequence", distinct=True))
        assert all(row["low"] == issued[row["order"]] for row in sequences)

    def test_payments_add_up_to_what_the_orders_received(self, flanders):
        paid = dict(Payment.objects.values("order").annotate(total=Sum("amount")).values_list("order", "total"))
        for order in ChequeOrder.objects.all():
            assert paid.get(order.pk, 0) == order.amount_paid
            assert order.total == order.cheques_amount + order.fee_amount
            if order.status == OrderStatus.PAID:
                assert order.amount_paid == order.total and order.paid_on
        balances = ClientCredit.objects.values("client").annotate(balance=Sum("amount"))
        assert all(row["balance"] >= 0 for row in balances)
        for batch in RefundBatch.objects.all():
            assert -sum(batch.credits.values_list("amount", flat=True)) == batch.total
            assert batch.file.read().startswith(b"<?xml")

    def test_open_work_on_the_reference_day_has_an_active_trajectory(self, flanders):
        active = Trajectory.objects.filter(status=TrajectoryStatus.ACTIVE)
        assert not active.filter(end_date__lt=REFERENCE).exists()
        open_work = Assignment.objects.exclude(status="beeindigd").filter(start_date__lt=REFERENCE)
        assert open_work.exists()
        assert not open_work.exclude(worker__in=active.values("worker")).exists()
        assert not HelpRequest.objects.filter(status="toegewezen").exclude(
            assignments__in=open_work).exists()

    @pytest.mark.parametrize("check, corrupt", [
        ("month_cap", "three_long_days"),
        ("outside_trajectory", "before_the_trajectory"),
        ("cheques_not_per_started_hour", "one_cheque_more"),
        ("payments_not_amount_paid", "a_cent_more"),
        ("credit_below_zero", "credit_taken_before_it_came"),
        ("credit_balance_not_kept", "credit_balance_changed"),
        ("worker_month_not_kept", "worker_month_changed"),
        ("overlapping_prestaties", "same_hour_twice"),
        ("payout_batch_not_its_lines", "a_line_more"),
        ("payout_line_not_its_items", "an_item_of_later_work"),
        ("payout_of_later_work", "an_item_of_later_work"),
        ("payout_before_settlement", "cheques_paid_after_the_payout"),
        ("payout_skipped_a_due_prestatie", "a_due_prestatie_left_out"),
    ])
    def test_the_checks_catch_broken_data(self, flanders, check, corrupt):
        """The generator's SQL checks are not blind: break one invariant and its check counts it."""
        with transaction.atomic():
            globals()[f"_{corrupt}"]()
            found = invariant_violations(flanders.organiser_ids, REFERENCE)
            transaction.set_rollback(True)
        assert found[check] > 0


def _three_long_days():
    prestatie = Prestatie.objects.exclude(status=PrestatieStatus.CANCELLED).order_by("pk").first()
    for offset in range(3):
        Prestatie.objects.create(
            organiser_id=prestatie.organiser_id, assignment_id=prestatie.assignment_id, worker_id=prestatie.worker_id,
            client_id=prestatie.client_id, date=prestatie.date.replace(day=1) + datetime.timedelta(days=offset),
            start_time=datetime.time(0, 0), end_time=datetime.time(23, 59), minutes=23 * 60 + 59, cheques=24,
            status=PrestatieStatus.REGISTERED)


def _before_the_trajectory():
    prestatie = Prestatie.objects.order_by("pk").first()
    first = Trajectory.objects.filter(worker_id=prestatie.worker_id).order_by("start_date").first()
    Prestatie.objects.filter(pk=prestatie.pk).update(date=first.start_date - datetime.timedelta(days=3))


def _one_cheque_more():
    prestatie = Prestatie.objects.order_by("pk").first()
    Prestatie.objects.filter(pk=prestatie.pk).update(cheques=prestatie.cheques + 1)


def _a_cent_more():
    payment = Payment.objects.order_by("pk").first()
    Payment.objects.filter(pk=payment.pk).update(amount=payment.amount + 1)


def _credit_taken_before_it_came():
    """Credit used before it was received: the balance ends at zero (the database refuses less), but it was below
    zero in between."""
    from cheques.models import CreditBalance

    holder = CreditBalance.objects.filter(balance__gt=0).order_by("pk").first()
    first = ClientCredit.objects.filter(client_id=holder.client_id).order_by("created_at").first()
    used = ClientCredit.objects.create(
        organiser_id=holder.organiser_id, client_id=holder.client_id, amount=-holder.balance, kind="gebruikt",
        order=ChequeOrder.objects.filter(client_id=holder.client_id).first())
    ClientCredit.objects.filter(pk=used.pk).update(created_at=first.created_at - datetime.timedelta(days=1))


def _credit_balance_changed():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cheques_creditbalance SET balance = balance + 1 WHERE client_id = "
                       "(SELECT min(client_id) FROM cheques_creditbalance)")


def _worker_month_changed():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assignments_workermonth SET minutes = minutes + 1 WHERE id = "
                       "(SELECT min(id) FROM assignments_workermonth WHERE minutes > 0)")


def _same_hour_twice():
    prestatie = Prestatie.objects.exclude(status=PrestatieStatus.CANCELLED).order_by("pk").first()
    Prestatie.objects.create(
        organiser_id=prestatie.organiser_id, assignment_id=prestatie.assignment_id, worker_id=prestatie.worker_id,
        client_id=prestatie.client_id, date=prestatie.date, start_time=prestatie.start_time,
        end_time=prestatie.end_time, minutes=prestatie.minutes, cheques=prestatie.cheques,
        status=PrestatieStatus.REGISTERED)


def _a_line_more():
    batch = PayoutBatch.objects.order_by("pk").first()
    worker = Worker.objects.filter(organiser_id=batch.organiser_id).exclude(payout_lines__batch=batch).first()
    worker = worker or Worker.objects.exclude(payout_lines__batch=batch).first()
    PayoutLine.objects.create(organiser_id=batch.organiser_id, batch=batch, worker=worker, name="X", iban="X",
                              prestaties=0, cheques=0, kilometres=0, allowance=1, travel=0, corrections=0, total=1)


def _an_item_of_later_work():
    """The newest prestatie (no batch paid it yet: it is dated after every batch's month), paid in an old line."""
    line = PayoutLine.objects.order_by("pk").first()
    prestatie = Prestatie.objects.filter(payout_items__isnull=True).order_by("-date", "pk").first()
    PayoutItem.objects.create(organiser_id=line.organiser_id, line=line, worker_id=line.worker_id,
                              kind=PayoutItemKind.PAYMENT, prestatie=prestatie, sequence=1, date=prestatie.date,
                              cheques=prestatie.cheques, allowance=1, travel=0, amount=1)


def _cheques_paid_after_the_payout():
    item = PayoutItem.objects.select_related("line__batch").order_by("pk").first()
    Settlement.objects.filter(prestatie_id=item.prestatie_id).update(
        paid_at=item.line.batch.created_at + datetime.timedelta(days=1))


def _a_due_prestatie_left_out():
    """A prestatie of a paid worker, in the month of the batch and paid by cheques before it, that it does not pay."""
    line = PayoutLine.objects.select_related("batch").order_by("pk").first()
    item = line.items.select_related("prestatie").first()
    prestatie = item.prestatie
    extra = Prestatie.objects.create(
        organiser_id=prestatie.organiser_id, assignment_id=prestatie.assignment_id, worker_id=prestatie.worker_id,
        client_id=prestatie.client_id, date=prestatie.date, start_time=datetime.time(0, 0),
        end_time=datetime.time(0, 30), minutes=30, cheques=1, status=PrestatieStatus.CONFIRMED,
        confirmed_at=line.batch.created_at - datetime.timedelta(days=2))
    Settlement.objects.create(organiser_id=prestatie.organiser_id, client_id=prestatie.client_id, prestatie=extra,
                              status=SettlementStatus.PAID, cheques=1,
                              paid_at=line.batch.created_at - datetime.timedelta(days=1))


# --- outside the preset: determinism, the twins, the regions, the payouts ---------------------------------------

def _build_and_digest(seed: int, specs) -> tuple[str, dict, dict, set]:
    with transaction.atomic():
        result = build(scale=1.0, seed=seed, reference=REFERENCE, organisers=specs)
        digest = fingerprint(result.organiser_ids)
        broken = {k: v for k, v in invariant_violations(result.organiser_ids, REFERENCE).items() if v}
        categories = set(Client.objects.filter(organiser__in=result.organiser_ids).values_list("category", flat=True))
        transaction.set_rollback(True)
    return digest, result.rows, broken, categories


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    specs = [OrganiserSpec("Wijk-werken Proef A", workers=12, clients=36, municipality_count=2, near="71016"),
             OrganiserSpec("Wijk-werken Proef B", workers=6, clients=18, municipality_count=1, near="44083")]
    first, rows, broken, categories = _build_and_digest(5, specs)
    again, rows_again, _broken, _categories = _build_and_digest(5, specs)
    other, _rows, _broken, _categories = _build_and_digest(6, specs)
    assert broken == {}
    assert categories == set(ClientCategory.values)
    assert rows[Prestatie._meta.label] > 400 and rows[Cheque._meta.label] > 400
    assert rows[PayoutItem._meta.label] > 0.5 * rows[Settlement._meta.label]
    assert (first, rows) == (again, rows_again)
    assert other != first


def _payouts_add_up(organiser) -> None:
    """Each batch is the sum of its lines, each line of its items, and each item's amounts are what the service's
    own expressions give for its prestatie (the rule set of its date)."""
    periods = _rule_periods(organiser)
    rows = (Prestatie.objects.filter(organiser=organiser, payout_items__isnull=False)
            .annotate(allowance=allowance_expression(periods), travel=travel_expression(periods))
            .values_list("pk", "allowance", "travel"))
    due = {pk: (allowance, travel) for pk, allowance, travel in rows}
    items = defaultdict(list)
    for item in PayoutItem.objects.filter(organiser=organiser):
        assert item.kind == PayoutItemKind.PAYMENT and (item.allowance, item.travel) == due[item.prestatie_id]
        assert item.amount == item.allowance + item.travel
        items[item.line_id].append(item)
    lines = defaultdict(list)
    for line in PayoutLine.objects.filter(organiser=organiser):
        paid = items[line.pk]
        assert (line.prestaties, line.cheques, line.allowance, line.travel, line.corrections, line.total) == (
            len(paid), sum(i.cheques for i in paid), sum(i.allowance for i in paid), sum(i.travel for i in paid),
            0, sum(i.amount for i in paid))
        lines[line.batch_id].append(line)
    for batch in PayoutBatch.objects.filter(organiser=organiser):
        assert (batch.count, batch.allowance, batch.travel, batch.total) == (
            len(lines[batch.pk]), sum(line.allowance for line in lines[batch.pk]),
            sum(line.travel for line in lines[batch.pk]), sum(line.total for line in lines[batch.pk]))


@pytest.mark.django_db
def test_the_payout_history_is_what_the_monthly_run_would_have_paid():
    """One executed batch per month with work, up to two months before the reference month; after it, the
    service's own preview finds nothing the history should have paid: whatever it pays of the months before the
    open one had its cheques paid only after that month's run (or belongs to the open month)."""
    spec = OrganiserSpec("Wijk-werken Proef Uitbetaling", workers=16, clients=48, years=2, municipality_count=1,
                         near="12025")
    with transaction.atomic():
        result = build(scale=1.0, seed=4, reference=REFERENCE, organisers=[spec])
        organiser = Organiser.objects.get(pk=result.organiser_ids[0])
        batches = list(PayoutBatch.objects.filter(organiser=organiser).order_by("number"))
        last_month, open_month = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
        assert [b.number for b in batches] == list(range(1, len(batches) + 1)) and len(batches) >= 20
        assert batches[-1].month == last_month
        for batch in batches:
            made_in = add_months(batch.month, 1)
            assert batch.status == PayoutBatchStatus.EXECUTED and batch.executed_on == batch.execution_date
            assert made_in <= timezone.localdate(batch.created_at) < batch.execution_date < add_months(made_in, 1)
            assert batch.execution_date.weekday() < 5 and batch.created_by.role == Role.BEHEERDER
            content = batch.file.read()
            assert batch.message_id.encode() in content and content.count(b"<CdtTrfTxInf>") == batch.count
        assert not PayoutItem.objects.filter(organiser=organiser, date__gte=open_month).exists()
        _payouts_add_up(organiser)

        last = batches[-1]
        for month in (last_month, open_month):
            preview = payout_preview(organiser=organiser, month=month)
            assert {p.problem for p in preview.exceptions} <= {"no_iban"}
            for line in preview.lines:
                for prestatie in due_prestaties_of(organiser=organiser, month=month, worker_id=line.worker_id):
                    assert prestatie.date >= open_month or prestatie.settlement.paid_at > last.created_at
        preview = payout_preview(organiser=organiser, month=open_month)
        assert preview.lines  # the open month is for the page benchmark's preview

        # The service pays the open month on top of the history: nothing twice, and the checks agree with it.
        beheerder = User.objects.filter(organiser=organiser, role=Role.BEHEERDER).order_by("pk").first()
        batch = payout_batch_confirm(organiser=organiser, month=open_month, fingerprint=preview.fingerprint,
                                     actor=beheerder)
        assert (batch.number, batch.count) == (last.number + 1, len(preview.lines))
        found = invariant_violations(result.organiser_ids, REFERENCE)
        assert {name: n for name, n in found.items() if name.startswith("payout") and n} == {}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_twins_are_one_organiser_and_one_ten_times_its_size():
    with transaction.atomic():
        result = build(scale=0.01, seed=3, reference=REFERENCE, organisers=twins_preset())
        small, large = (Organiser.objects.get(pk=pk) for pk in result.organiser_ids)
        assert (small.name, large.name) == ("Wijk-werken Tweeling 1×", "Wijk-werken Tweeling 10×")
        assert (small.workers.count(), large.workers.count()) == (5, 50)
        assert (small.clients.count(), large.clients.count()) == (15, 150)
        assert small.municipalities.count() == large.municipalities.count() == 3
        with pytest.raises(ValueError, match="generated in this database before"):
            build(scale=0.01, seed=3, reference=REFERENCE, organisers=twins_preset())
        transaction.set_rollback(True)


def _schema() -> tuple[list, list]:
    """Every constraint (with its definition and whether it is validated) and every index of the schema."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated
                          FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2""")
        constraints = cursor.fetchall()
        cursor.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                          JOIN pg_class t ON t.oid = i.indrelid
                          WHERE t.relnamespace = 'public'::regnamespace ORDER BY 1""")
        return constraints, cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_two_processes_and_a_bulk_load_give_the_same_data_and_leave_the_schema_as_it_was():
    specs = [OrganiserSpec("Wijk-werken Snel", workers=8, clients=24, municipality_count=1, near="24062"),
             OrganiserSpec("Wijk-werken Vlug", workers=5, clients=15, municipality_count=1, near="11002")]
    before = _schema()
    with transaction.atomic():  # one process, every key checked row by row; rolled back
        alone = fingerprint(build(seed=2, reference=REFERENCE, organisers=specs).organiser_ids)
        transaction.set_rollback(True)
    result = build(seed=2, reference=REFERENCE, organisers=specs, jobs=2, bulk_load=True, vacuum=False)
    assert fingerprint(result.organiser_ids) == alone
    after = _schema()
    for what, was, now in zip(("constraints", "indexes"), before, after, strict=True):
        assert now == was, f"{what} gone: {sorted(set(was) - set(now))}; new: {sorted(set(now) - set(was))}"
    assert not any(invariant_violations(result.organiser_ids, REFERENCE).values())
    assert Prestatie.objects.filter(organiser_id__in=result.organiser_ids).count() > 100

    prestatie = Prestatie.objects.order_by("pk").first()
    with pytest.raises(IntegrityError, match="NOT VALID"), bulk_load([Prestatie._meta.db_table]):
        # (the client: the monthly totals the triggers keep follow the worker, the assignment and the organiser)
        Prestatie.objects.filter(pk=prestatie.pk).update(client_id=prestatie.client_id + 10**9)
    constraints, _indexes = _schema()
    broken = [(table, name) for table, name, _definition, valid in constraints if not valid]
    assert broken and all(table == Prestatie._meta.db_table for table, _name in broken)
    Prestatie.objects.filter(pk=prestatie.pk).update(client_id=prestatie.client_id)  # repaired
    with connection.cursor() as cursor:
        for table, name in broken:
            cursor.execute(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')
    assert _schema() == before


@pytest.mark.django_db
def test_the_forty_regions_divide_flanders_by_province():
    places = load_places()
    regions = flanders_regions(places)
    assert len(regions) == 40
    members = [p.nis_code for region in regions for p in region]
    assert sorted(members) == sorted(p.nis_code for p in places) and len(members) == 285
    assert all(len({p.province for p in region}) == 1 for region in regions)
    assert sorted(region[0].nis_code for region in regions if len(region) == 1) == sorted(OWN_CITIES)


def test_split_by_weight_adds_up_exactly():
    assert split_by_weight(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split_by_weight(20_000, [3.5, 1.25, 7, 0.5])) == 20_000
    assert OrganiserSpec("X", workers=500, clients=1500).scaled(0.002) == OrganiserSpec("X", workers=1, clients=3)
