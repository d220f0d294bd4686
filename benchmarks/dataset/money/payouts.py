"""The organiser's payout history: one executed batch per month, as the beheerder's monthly run
(`cheques.services.payouts`) would have made it.

The batch for the work of month M is confirmed a few working days before its execution date (the first working
day from the 8th of M + 1) and executed on that date; the last one pays the work of the month two months before
the reference month, so the month before it is still open for the payout preview. A batch pays, per worker,
every confirmed prestatie dated up to the end of M that no earlier batch paid and whose settlement was paid by
the moment of the run (or, when the rule set valid at M's end advances waiting hours, that was settled by then,
paid or waiting): cheques × the allowance per cheque plus the travel allowance, from the rule set valid on the
prestatie's date. A worker whose IBAN or name no bank takes, or whose total is not positive, stays out with
everything of theirs, for the next run (the service's own rule, `_problem`). No corrections are generated.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cheques.models import PayoutBatch, PayoutBatchStatus, PayoutItem, PayoutItemKind, PayoutLine
from cheques.sepa import Debtor, Transfer, build_credit_transfer
from cheques.services.payouts import WorkerPayout, _problem, remittance_text, travel_allowance
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_months, add_working_days, is_working_day
from wijkwerken.core.money import round_money
from wijkwerken.core.rules import month_start
from wijkwerken.core.validators import iban_checked

from ..base import TZ, Org, at
from ..people import DAY, WorkerPlan
from .ledger import ZERO, Ledger

TENTH = Decimal("0.1")
PAYMENT_DAY = 8  # the run's execution date: the first working day from this day of the next month


@dataclass(slots=True)
class Due:
    """A confirmed prestatie with its settlement: paid at `paid` (None: still waiting), settled since `settled`."""

    prestatie: object  # work.PrestatiePlan
    worker: WorkerPlan
    paid: datetime.datetime | None
    settled: datetime.datetime
    allowance: Decimal
    travel: Decimal


@dataclass(slots=True)
class PayoutLinePlan:
    worker: WorkerPlan
    payout: WorkerPayout  # the figures, as the service adds them up
    items: list  # [Due]
    pk: int = 0


@dataclass(slots=True)
class PayoutPlan:
    number: int
    month: datetime.date
    created: datetime.datetime
    execution_date: datetime.date
    created_by: int | None
    lines: list = field(default_factory=list)  # [PayoutLinePlan], in the service's order (name, worker)
    pk: int = 0

    def total(self, name: str) -> Decimal:
        return sum((getattr(line.payout, name) for line in self.lines), ZERO)


def run_days(rng, month: datetime.date) -> tuple[datetime.datetime, datetime.date]:
    """(the moment the run for `month` is confirmed, its execution date): executed on the first working day from
    the 8th of the next month, confirmed two or three working days before."""
    execution = add_working_days(add_months(month, 1).replace(day=PAYMENT_DAY - 1), 1)
    day = execution
    for _step in range(rng.randint(2, 3)):
        day -= DAY
        while not is_working_day(day):
            day -= DAY
    return at(day, rng.randint(9, 16), rng.randint(0, 59)), execution


def _dues(org: Org, ledger: Ledger) -> list[Due]:
    """Every confirmed prestatie with its settlement and its amounts, oldest first."""
    dues = []
    for prestatie, _status, waiting, paid in ledger.settlements:
        rules = org.rules_on(prestatie.date)
        dues.append(Due(prestatie=prestatie, worker=prestatie.assignment.worker, paid=paid, settled=waiting or paid,
                        allowance=prestatie.cheques * rules.worker_allowance_per_cheque,
                        travel=travel_allowance(prestatie.kilometres, rules)))
    dues.sort(key=lambda d: (d.prestatie.date, d.prestatie.start, d.worker.index))
    return dues


def _payout(worker: WorkerPlan, items: list[Due]) -> WorkerPayout:
    checked = iban_checked(worker.iban)
    payout = WorkerPayout(
        worker_id=worker.pk, name=f"{worker.first_name} {worker.last_name}",
        iban=checked or worker.iban, prestaties=len(items),
        cheques=sum(d.prestatie.cheques for d in items),
        kilometres=sum((d.prestatie.kilometres for d in items), Decimal("0")).quantize(TENTH),
        allowance=round_money(sum((d.allowance for d in items), ZERO)),
        travel=round_money(sum((d.travel for d in items), ZERO)))
    payout.problem = _problem(payout, iban_valid=bool(checked))
    return payout


def plan_payouts(org: Org, ledger: Ledger) -> list[PayoutPlan]:
    """The monthly batches from the first month with confirmed work up to two months before the reference
    month (after `write_work`, `write_workers` and `write_money`: it needs the ids and the workers' IBANs)."""
    dues = _dues(org, ledger)
    if not dues:
        return []
    last = add_months(month_start(org.reference), -2)
    month, position, unpaid, batches = month_start(dues[0].prestatie.date), 0, [], []
    while month <= last:
        cutoff = add_months(month, 1) - DAY
        while position < len(dues) and dues[position].prestatie.date <= cutoff:
            unpaid.append(dues[position])
            position += 1
        created, execution = run_days(org.rng, month)
        advance = org.rules_on(cutoff).advance_waiting_hours
        by_worker, kept = defaultdict(list), []
        for due in unpaid:
            if (due.paid is not None and due.paid <= created) or (advance and due.settled <= created):
                by_worker[due.worker.index].append(due)
            else:
                kept.append(due)
        lines = []
        for items in by_worker.values():
            payout = _payout(items[0].worker, items)
            if payout.problem:
                kept += items  # nothing of theirs is paid: all of it is in the next run
            else:
                lines.append(PayoutLinePlan(worker=items[0].worker, payout=payout, items=items))
        if lines:
            lines.sort(key=lambda line: (line.payout.name.casefold(), line.worker.pk))
            batches.append(PayoutPlan(number=len(batches) + 1, month=month, created=created,
                                      execution_date=execution, created_by=org.staff_member(Role.BEHEERDER),
                                      lines=lines))
        unpaid = kept
        month = add_months(month, 1)
    return batches


def write_payouts(org: Org, batches: list[PayoutPlan]) -> None:
    """The batches with their SEPA files (made and validated by the application's writer), lines and items."""
    if not batches:
        return
    store, organiser = org.world.store, org.organiser
    debtor = Debtor.of(organiser)
    rows = []
    for batch in batches:
        key = PayoutBatch(number=batch.number, month=batch.month)  # the model's own ids and file name
        message_id = f"WW{organiser.pk}-UB{batch.number}-{batch.created.astimezone(TZ):%Y%m%d%H%M%S}"
        remittance = remittance_text(batch.month)
        transfers = [Transfer(end_to_end_id=key.end_to_end_id(line.worker.pk), amount=line.payout.total,
                              creditor_name=line.payout.name, creditor_iban=line.payout.iban, remittance=remittance)
                     for line in batch.lines]
        content = build_credit_transfer(message_id=message_id, payment_id=key.payment_id, created_at=batch.created,
                                        execution_date=batch.execution_date, transfers=transfers, debtor=debtor)
        name = default_storage.save(f"payout_batches/{org.slug}-{key.file_name}", ContentFile(content))
        rows.append({
            "organiser_id": organiser.pk, "number": batch.number, "month": batch.month, "message_id": message_id,
            "preview_fingerprint": f"generated:{batch.number}", "execution_date": batch.execution_date,
            "count": len(batch.lines), "allowance": batch.total("allowance"), "travel": batch.total("travel"),
            "corrections": batch.total("corrections"), "total": batch.total("total"), "file": name,
            "prestaties": sum(len(line.items) for line in batch.lines),
            "travel_count": sum(1 for line in batch.lines for due in line.items if due.travel),
            "correction_count": 0,
            "status": PayoutBatchStatus.EXECUTED, "executed_on": batch.execution_date, "executed_by_import_id": None,
            "created_by_id": batch.created_by, "created_at": batch.created})
    for batch, pk in zip(batches, store.insert(PayoutBatch, rows, with_ids=True), strict=True):
        batch.pk = pk

    lines = [(batch, line) for batch in batches for line in batch.lines]
    rows = [{
        "organiser_id": organiser.pk, "batch_id": batch.pk, "worker_id": line.worker.pk, "name": line.payout.name,
        "iban": line.payout.iban, "prestaties": line.payout.prestaties, "cheques": line.payout.cheques,
        "kilometres": line.payout.kilometres, "allowance": line.payout.allowance, "travel": line.payout.travel,
        "corrections": line.payout.corrections, "total": line.payout.total} for batch, line in lines]
    for (_batch, line), pk in zip(lines, store.insert(PayoutLine, rows, with_ids=True), strict=True):
        line.pk = pk

    store.insert(PayoutItem, [{
        "organiser_id": organiser.pk, "line_id": line.pk, "worker_id": line.worker.pk,
        "kind": PayoutItemKind.PAYMENT, "prestatie_id": due.prestatie.pk, "sequence": 1,
        "date": due.prestatie.date, "cheques": due.prestatie.cheques, "kilometres": due.prestatie.kilometres,
        "allowance": due.allowance, "travel": due.travel, "amount": due.allowance + due.travel}
        for _batch, line in lines for due in line.items])
