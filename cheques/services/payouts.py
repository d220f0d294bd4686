"""Payouts (flow 7): each month the wijk-werkers are paid the allowance for the cheques their hours redeemed, plus
the travel allowance, in an immutable batch with a SEPA credit-transfer file (pain.001.001.03) for the bank.

What a run for month M pays, per worker:
- every confirmed prestatie dated up to the end of M that cheques paid (its settlement is "betaald") and no batch
  paid before — or, when the rule set says the organiser advances them, also those still waiting for the
  client's cheques ("te betalen"): cheques × the allowance per cheque, plus the travel allowance for a round trip
  of more than the minimum (km × the rate, rounded to the cent per prestatie), both from the rule set valid on the
  prestatie's date;
- the corrections: the difference for a prestatie paid before whose kilometres staff corrected since, and the
  corrections staff entered (`PayoutCorrection`).
A worker without a valid IBAN, with a name no bank can read, or whose total is zero or below stays out of the
batch: nothing of theirs is recorded, so all of it — a negative correction too — is in the next run. Never a
negative transfer.

Set-based: a preview is a fixed number of queries whatever the number of workers (aggregates grouped by worker);
a confirmation takes one snapshot of the rows it pays (a temporary table), writes the lines with one COPY and the
items with one INSERT ... SELECT from that snapshot, so the lines always add up to their items.

Twice or at once: the organiser row is locked for the whole confirmation (the lock order of this package: the
organiser numbers the batches), the preview the beheerder saw is compared with what would be paid now (its
fingerprint, which also covers every IBAN), a fingerprint is confirmed only once (a unique constraint), and a
prestatie is paid at most once (a unique constraint on the items), however many runs are confirmed together.
"""

import copy
import datetime
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from stdnum import iban as stdnum_iban

from assignments.models import Prestatie, PrestatieStatus
from wijkwerken.core.audit import audit_log, audit_log_objects
from wijkwerken.core.bulk import bulk_insert, plain_rows
from wijkwerken.core.dates import add_months, add_working_days, today
from wijkwerken.core.errors import service_error
from wijkwerken.core.models import Organiser, RuleSet
from wijkwerken.core.money import format_euro, round_money
from wijkwerken.core.notifications import notifications_send
from wijkwerken.core.rules import WIJK_WERKEN_START, month_start, payout_date_for
from wijkwerken.core.validators import iban_checked
from workers.models import Worker

from ..models import (
    PayoutBatch,
    PayoutBatchStatus,
    PayoutCorrection,
    PayoutInputs,
    PayoutItem,
    PayoutItemKind,
    PayoutLine,
    SettlementStatus,
)
from ..sepa import MAX_NAME, Debtor, SepaInputError, Transfer, build_credit_transfer, sepa_text
from ._common import lock, retry_on_deadlock

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")
MAX_DAYS_AHEAD = 365
SNAPSHOT_TABLE = "cheques_payout_snapshot"
MONEY = DecimalField(max_digits=12, decimal_places=2)

# Why a worker stays out of a batch, and what to do about it (`WorkerPayout.problem`).
PROBLEMS = {
    "no_iban": (gettext_lazy("No IBAN"), gettext_lazy("Add the IBAN to the wijk-werker's details.")),
    "bad_iban": (gettext_lazy("The IBAN fails its check"),
                 gettext_lazy("Correct the IBAN in the wijk-werker's details (a typing error?).")),
    "bad_name": (gettext_lazy("A bank cannot read the name"),
                 gettext_lazy("Write the name in Latin letters in the wijk-werker's details.")),
    "not_positive": (gettext_lazy("Total of zero or below"),
                     gettext_lazy("Nothing is transferred: the amount carries over to the next payout.")),
}


# --- rules by date ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _RulePeriod:
    until: datetime.date | None  # exclusive; None: up to now
    allowance: Decimal
    km_rate: Decimal
    km_min: int


def _rule_periods(organiser) -> list[_RulePeriod]:
    """The organiser's rule set versions as consecutive periods (the legal defaults before the first one)."""
    versions = list(RuleSet.objects.filter(organiser=organiser).order_by("valid_from"))
    if not versions or versions[0].valid_from > WIJK_WERKEN_START:
        versions.insert(0, RuleSet(organiser=organiser, valid_from=datetime.date.min))
    periods = []
    for index, version in enumerate(versions):
        until = versions[index + 1].valid_from if index + 1 < len(versions) else None
        periods.append(_RulePeriod(until=until, allowance=version.worker_allowance_per_cheque,
                                   km_rate=version.travel_allowance_per_km, km_min=version.travel_allowance_min_km))
    return periods


def _by_period(periods, value, *, prefix: str = ""):
    """A CASE over the prestatie's date: `value(period)` for the rule set valid on that date."""
    date = f"{prefix}date"
    whens = [When(Q(**{f"{date}__lt": p.until}), then=value(p)) for p in periods if p.until is not None]
    return Case(*whens, default=value(periods[-1]), output_field=MONEY)


def _money(value) -> Value:
    return Value(Decimal(value), output_field=MONEY)


def allowance_expression(periods, *, cheques="cheques", prefix=""):
    """cheques × the allowance per cheque of the rule set valid on the prestatie's date."""
    return ExpressionWrapper(F(cheques) * _by_period(periods, lambda p: _money(p.allowance), prefix=prefix),
                             output_field=MONEY)


def travel_expression(periods, *, prefix=""):
    """The travel allowance of a prestatie: km × the rate of its date's rule set when the round trip is more than
    that rule set's minimum, rounded to the cent (half up: PostgreSQL rounds a positive numeric half away from
    zero, as `round_money` does)."""
    km, date = f"{prefix}kilometres", f"{prefix}date"
    whens = []
    for period in periods:
        paid = Round(ExpressionWrapper(F(km) * _money(period.km_rate), output_field=MONEY), 2, output_field=MONEY)
        if period.until is None:  # the version in force now: the earlier ones matched before
            whens.append(When(Q(**{f"{km}__gt": period.km_min}), then=paid))
            continue
        in_period = Q(**{f"{date}__lt": period.until})
        whens.append(When(in_period & Q(**{f"{km}__gt": period.km_min}), then=paid))
        whens.append(When(in_period, then=_money(ZERO)))
    return Case(*whens, default=_money(ZERO), output_field=MONEY)


def travel_allowance(kilometres: Decimal, rules) -> Decimal:
    """The same rule for one prestatie in Python (statements, tests): more than the minimum, km × the rate."""
    if kilometres > rules.travel_allowance_min_km:
        return round_money(kilometres * rules.travel_allowance_per_km)
    return ZERO


# --- what a run pays --------------------------------------------------------------------------------------------

@dataclass(slots=True)
class WorkerPayout:
    """One worker's part of a run: in the batch (a line) or kept out (`problem`)."""

    worker_id: int
    name: str = ""
    iban: str = ""
    prestaties: int = 0
    cheques: int = 0
    kilometres: Decimal = Decimal("0.0")
    allowance: Decimal = ZERO
    travel: Decimal = ZERO
    corrections: Decimal = ZERO
    prestatie_key: tuple = (0, 0)  # (sum, max) of the prestatie ids: which prestaties, in the fingerprint
    correction_keys: list = field(default_factory=list)
    problem: str = ""

    @property
    def total(self) -> Decimal:
        return self.allowance + self.travel + self.corrections

    @property
    def iban_display(self) -> str:
        return stdnum_iban.format(self.iban) if self.iban else ""

    @property
    def problem_label(self):
        return PROBLEMS[self.problem][0] if self.problem else ""

    @property
    def problem_advice(self):
        return PROBLEMS[self.problem][1] if self.problem else ""


@dataclass
class PendingHours:
    """A worker's confirmed hours up to the month's end that this run does not pay yet."""

    worker_id: int
    name: str = ""
    prestaties: int = 0
    cheques: int = 0
    waiting_for_cheques: int = 0  # the client's wallet held too few cheques ("te betalen")
    being_settled: int = 0  # confirmed moments ago: the settlement runs in the background


@dataclass
class PayoutPreview:
    organiser: Organiser
    month: datetime.date
    execution_date: datetime.date | None  # worked out for each request (a kept preview has none)
    advance: bool
    lines: list[WorkerPayout]
    exceptions: list[WorkerPayout]
    pending: list[PendingHours]
    unconfirmed: dict  # {status: number of prestaties of the month not confirmed yet}
    fingerprint: str

    @property
    def cutoff(self) -> datetime.date:
        return add_months(self.month, 1) - datetime.timedelta(days=1)

    @cached_property
    def _sums(self) -> tuple[Decimal, Decimal, Decimal]:
        """The allowances, travel allowances and corrections of the lines, added up in one pass (the page shows
        each total twice, over thousands of lines)."""
        allowance = travel = corrections = ZERO
        for line in self.lines:
            allowance += line.allowance
            travel += line.travel
            corrections += line.corrections
        return allowance, travel, corrections

    @property
    def allowance(self) -> Decimal:
        return self._sums[0]

    @property
    def travel(self) -> Decimal:
        return self._sums[1]

    @property
    def corrections(self) -> Decimal:
        return self._sums[2]

    @property
    def total(self) -> Decimal:
        return sum(self._sums, ZERO)

    @cached_property
    def carried_over(self) -> Decimal:
        return sum((line.total for line in self.exceptions), ZERO)


def _check_month(month: datetime.date) -> datetime.date:
    month = month_start(month)
    if month > month_start(today()):
        raise service_error(_("The work of %(month)s cannot be paid yet: that month has not started.")
                            % {"month": month.strftime("%m/%Y")}, "future_month", "month")
    if month < month_start(WIJK_WERKEN_START):
        raise service_error(_("Wijk-werken started in January 2018: choose a later month."), "month_too_early",
                            "month")
    return month


def payout_execution_date_default(*, organiser, month: datetime.date) -> datetime.date:
    """The payment date of the month in the organiser's calendar, or the next working day when the calendar has
    none (or that date is past)."""
    calendar_date = payout_date_for(organiser=organiser, month=month)
    on = today()
    if calendar_date is not None and calendar_date >= on:
        return calendar_date
    return add_working_days(on, 1)


def _unpaid_up_to(organiser, cutoff: datetime.date, *, worker_ids=None):
    """The confirmed prestaties up to `cutoff` that no batch paid yet (`paid_out`, kept by the database from the
    payout items): read through the partial index `prestatie_unpaid_idx`, so a run reads the month's work and the
    stragglers, never the years an organiser paid before."""
    queryset = Prestatie.objects.filter(organiser=organiser, status=PrestatieStatus.CONFIRMED, paid_out=False,
                                        date__lte=cutoff)
    if worker_ids is not None:
        queryset = queryset.filter(worker_id__in=list(worker_ids))
    return queryset


def _is_due(*, advance: bool) -> Q:
    """Of `_unpaid_up_to`: cheques paid it (and, when advanced, it waits for them). Read from the settlement's
    status as the database copies it onto the prestatie (`settlement_status`), so no settlement is joined."""
    statuses = [SettlementStatus.PAID, SettlementStatus.WAITING] if advance else [SettlementStatus.PAID]
    return Q(settlement_status__in=statuses)


def _due_prestaties(organiser, cutoff: datetime.date, *, advance: bool, worker_ids=None):
    """The confirmed prestaties up to `cutoff` that cheques paid (and, when advanced, that wait for them) and that
    no batch paid yet."""
    return _unpaid_up_to(organiser, cutoff, worker_ids=worker_ids).filter(_is_due(advance=advance))


def _paid_before(organiser, cutoff, periods, *, worker_ids=None):
    """Prestaties paid in an earlier batch whose kilometres staff corrected since and whose travel allowance now
    differs from what was paid: (prestatie id, worker id, date, kilometres, difference, next sequence)."""
    queryset = Prestatie.objects.filter(organiser=organiser, kilometres_corrected_at__isnull=False,
                                        date__lte=cutoff, status=PrestatieStatus.CONFIRMED)
    if worker_ids is not None:
        queryset = queryset.filter(worker_id__in=list(worker_ids))
    items = PayoutItem.objects.filter(prestatie=OuterRef("pk")).order_by().values("prestatie")
    rows = (queryset.filter(Exists(PayoutItem.objects.filter(prestatie=OuterRef("pk"),
                                                             kind=PayoutItemKind.PAYMENT)))
            .annotate(paid_travel=Subquery(items.annotate(total=Sum("travel")).values("total"), output_field=MONEY),
                      last_sequence=Subquery(items.annotate(last=Max("sequence")).values("last")),
                      due_travel=travel_expression(periods))
            .exclude(due_travel=F("paid_travel"))
            .values_list("pk", "worker_id", "date", "kilometres", "due_travel", "paid_travel", "last_sequence"))
    return [(pk, worker_id, day, km, round_money(due) - round_money(paid), (last or 1) + 1)
            for pk, worker_id, day, km, due, paid, last in rows]


def _manual_corrections(organiser, *, worker_ids=None):
    queryset = PayoutCorrection.objects.filter(organiser=organiser).filter(
        ~Exists(PayoutItem.objects.filter(correction=OuterRef("pk"))))
    if worker_ids is not None:
        queryset = queryset.filter(worker_id__in=list(worker_ids))
    return list(queryset.order_by("created_at", "pk").values_list("pk", "worker_id", "amount", "reason",
                                                                  "created_at"))


def _kilometres(value) -> Decimal:
    """A sum of kilometres to one decimal: a Decimal on PostgreSQL, a float (or None) on SQLite."""
    if isinstance(value, Decimal):
        return value.quantize(TENTH)
    return Decimal(str(value or 0)).quantize(TENTH)


def _worker_payouts(aggregates, auto_corrections, manual_corrections) -> dict[int, WorkerPayout]:
    """One WorkerPayout per worker of the run (a preview builds hundreds: plain positional construction)."""
    payouts: dict[int, WorkerPayout] = {}
    for worker_id, count, cheques, km, allowance, travel, id_sum, id_max in aggregates:
        payouts[worker_id] = WorkerPayout(
            worker_id, "", "", count, int(cheques or 0), _kilometres(km), round_money(allowance or 0),
            round_money(travel or 0), ZERO, (int(id_sum or 0), int(id_max or 0)))
    for pk, worker_id, _day, _km, difference, sequence in auto_corrections:
        payout = payouts.setdefault(worker_id, WorkerPayout(worker_id=worker_id))
        payout.corrections += difference
        payout.correction_keys.append(f"p{pk}.{sequence}:{difference}")
    for pk, worker_id, amount, _reason, _at in manual_corrections:
        payout = payouts.setdefault(worker_id, WorkerPayout(worker_id=worker_id))
        payout.corrections += round_money(amount)
        payout.correction_keys.append(f"c{pk}:{round_money(amount)}")
    return payouts


def _problem(payout: WorkerPayout, *, iban_valid: bool) -> str:
    if payout.total <= 0:
        return "not_positive"
    if not payout.iban.strip():
        return "no_iban"
    if not iban_valid:
        return "bad_iban"
    if not _name_readable(payout.name):
        return "bad_name"
    return ""


@lru_cache(maxsize=65536)
def _name_readable(name: str) -> bool:
    """Whether a bank can read the name (what is left of it in the SEPA character set is not empty). Remembered
    per process: a preview checks the same names run after run."""
    return bool(sepa_text(name, MAX_NAME))


def _fill_workers(payouts: dict[int, WorkerPayout], pending: dict[int, "PendingHours"] | None = None, *,
                  organiser) -> None:
    """Names and IBANs of the workers of the run, in one query whatever the data."""
    pending = pending or {}
    ids = set(payouts) | set(pending)  # none: still the one query, so a page costs the same either way
    workers = Worker.objects.filter(organiser=organiser, pk__any=sorted(ids)).order_by()
    for pk, first_name, last_name, iban in plain_rows(workers.values_list("pk", "first_name", "last_name", "iban")):
        name = f"{first_name} {last_name}"
        hours = pending.get(pk)
        if hours is not None:
            hours.name = name
        payout = payouts.get(pk)
        if payout is not None:
            payout.name = name
            checked = iban_checked(iban or "")
            payout.iban = checked or (iban or "")
            payout.problem = _problem(payout, iban_valid=bool(checked))


def _fingerprint(month: datetime.date, lines: list[WorkerPayout]) -> str:
    """What a confirmation pays, in two digests: the amounts and prestaties per worker, and the IBANs. One text
    line per worker, fields apart by "|" (none of them can hold one: numbers, amounts and correction keys)."""
    start = month.isoformat()
    amounts = "".join(
        f"\n{p.worker_id}|{p.prestaties}|{p.cheques}|{p.allowance}|{p.travel}|{p.corrections}|"
        f"{p.prestatie_key[0]}|{p.prestatie_key[1]}|{','.join(sorted(p.correction_keys))}" for p in lines)
    ibans = "".join(f"\n{p.worker_id}|{p.iban}" for p in lines)
    return (f"{hashlib.sha256((start + amounts).encode()).hexdigest()}:"
            f"{hashlib.sha256((start + ibans).encode()).hexdigest()}")


def _unconfirmed(organiser, month, cutoff, *, worker_ids=None) -> dict:
    queryset = Prestatie.objects.filter(organiser=organiser, date__gte=month, date__lte=cutoff, status__in=(
        PrestatieStatus.REGISTERED, PrestatieStatus.VALIDATED, PrestatieStatus.DISPUTED))
    if worker_ids is not None:
        queryset = queryset.filter(worker_id__in=list(worker_ids))
    return dict(queryset.values("status").order_by().annotate(n=Count("pk")).values_list("status", "n"))


def _advances(organiser, cutoff) -> bool:
    from wijkwerken.core.rules import rule_set_on

    return rule_set_on(organiser=organiser, on=cutoff).advance_waiting_hours


def _split(payouts: dict[int, WorkerPayout]) -> tuple[list, list]:
    ordered = sorted(payouts.values(), key=lambda p: (p.name.casefold(), p.worker_id))
    return [p for p in ordered if not p.problem], [p for p in ordered if p.problem]


@dataclass
class _Run:
    """What a run for the month pays now and what it leaves pending, per worker, named."""

    month: datetime.date
    cutoff: datetime.date
    advance: bool
    payouts: dict[int, WorkerPayout]
    pending: list[PendingHours]


def _run(organiser, month: datetime.date, *, worker_ids=None) -> _Run:
    """One pass over the unpaid confirmed prestaties up to the month's end, grouped by worker: what is due (the figures
    the confirmation's snapshot adds up, with the same expressions) and what is pending — waiting for the
    client's cheques (unless advanced) or not settled yet; then the corrections and the workers' names. A fixed
    number of queries whatever the data."""
    month = _check_month(month)
    cutoff = add_months(month, 1) - datetime.timedelta(days=1)
    periods = _rule_periods(organiser)
    advance = _advances(organiser, cutoff)
    due = _is_due(advance=advance)
    unsettled = Q(settlement_status="")
    # Hours waiting for the client's cheques are pending unless advanced (then they are due, counted above).
    waiting = Q(settlement_status=SettlementStatus.WAITING)
    rows = (_unpaid_up_to(organiser, cutoff, worker_ids=worker_ids).values("worker_id").order_by()
            .annotate(due_n=Count("pk", filter=due), due_cheques=Sum("cheques", filter=due),
                      due_km=Sum("kilometres", filter=due),
                      due_allowance=Sum(allowance_expression(periods), filter=due),
                      due_travel=Sum(travel_expression(periods), filter=due), due_id_sum=Sum("pk", filter=due),
                      due_id_max=Max("pk", filter=due),
                      waiting_n=Value(0) if advance else Count("pk", filter=waiting),
                      waiting_cheques=Value(0) if advance else Sum("cheques", filter=waiting),
                      unsettled_n=Count("pk", filter=unsettled), unsettled_cheques=Sum("cheques", filter=unsettled))
            .values_list("worker_id", "due_n", "due_cheques", "due_km", "due_allowance", "due_travel",
                         "due_id_sum", "due_id_max", "waiting_n", "waiting_cheques", "unsettled_n",
                         "unsettled_cheques"))
    aggregates, pending = [], {}
    for worker_id, n, cheques, km, allowance, travel, id_sum, id_max, *waits in plain_rows(rows):
        if n:
            aggregates.append((worker_id, n, cheques, km, allowance, travel, id_sum, id_max))
        waiting_n, waiting_cheques, unsettled_n, unsettled_cheques = waits
        if waiting_n or unsettled_n:
            pending[worker_id] = PendingHours(
                worker_id=worker_id, prestaties=waiting_n + unsettled_n,
                cheques=(waiting_cheques or 0) + (unsettled_cheques or 0), waiting_for_cheques=waiting_n,
                being_settled=unsettled_n)
    payouts = _worker_payouts(aggregates, _paid_before(organiser, cutoff, periods, worker_ids=worker_ids),
                              _manual_corrections(organiser, worker_ids=worker_ids))
    _fill_workers(payouts, pending, organiser=organiser)
    return _Run(month=month, cutoff=cutoff, advance=advance, payouts=payouts,
                pending=sorted(pending.values(), key=lambda p: p.name.casefold()))


def payout_preview(*, organiser, month: datetime.date, worker_ids=None) -> PayoutPreview:
    """What confirming a run for `month` would pay now, per worker, with the workers kept out and why, the hours
    still pending, and the fingerprint a confirmation must present. A fixed number of queries.

    A preview of the whole run is kept (`_kept_preview`) while what it reads stays the same, so that paging
    through it or opening it again reads one row instead of the run; the execution date is worked out each time."""
    month = _check_month(month)
    token = _inputs_token(organiser) if worker_ids is None else None
    key = (organiser.pk, month, token)
    kept = _kept_preview(key) if token is not None else None
    if kept is None:
        kept = _computed_preview(organiser, month, worker_ids=worker_ids)
        if token is not None:
            _keep_preview(key, kept)
    preview = copy.copy(kept)  # the totals worked out once come along (cached properties live in __dict__)
    preview.organiser = organiser
    preview.execution_date = payout_execution_date_default(organiser=organiser, month=month)
    return preview


def _computed_preview(organiser, month: datetime.date, *, worker_ids=None) -> PayoutPreview:
    run = _run(organiser, month, worker_ids=worker_ids)
    lines, exceptions = _split(run.payouts)
    preview = PayoutPreview(
        organiser=organiser, month=run.month, execution_date=None, advance=run.advance,
        lines=lines, exceptions=exceptions, pending=run.pending,
        unconfirmed=_unconfirmed(organiser, run.month, run.cutoff, worker_ids=worker_ids),
        fingerprint=_fingerprint(run.month, lines))
    _ = preview.total, preview.carried_over  # worked out once, kept with the preview
    return preview


# --- a preview kept while what it reads stays the same ----------------------------------------------------------
#
# Keyed by (organiser, month, `PayoutInputs.token`): the database makes the token new when a transaction that
# changed anything a preview reads commits (migration cheques 0019). The token is read before the preview is
# computed, so a kept preview is never older than its token. Inside a transaction the application's own changes
# are not in the token until it commits, and on SQLite there are no such triggers: the preview is computed then.
# Each process keeps a few (a preview of a large organiser is a few hundred kB); nobody may change a kept one.

KEEP_PREVIEWS = 16
_kept: "OrderedDict[tuple, PayoutPreview]" = OrderedDict()
_kept_lock = threading.Lock()


def _inputs_token(organiser):
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    return PayoutInputs.objects.filter(organiser=organiser).values_list("token", flat=True).first()


def _kept_preview(key) -> PayoutPreview | None:
    with _kept_lock:
        preview = _kept.get(key)
        if preview is not None:
            _kept.move_to_end(key)
        return preview


def _keep_preview(key, preview: PayoutPreview) -> None:
    with _kept_lock:
        _kept[key] = preview
        while len(_kept) > KEEP_PREVIEWS:
            _kept.popitem(last=False)


def forget_previews(organiser_id: int | None = None) -> None:
    """Drop the kept previews (of one organiser): what a refused confirmation does before showing the preview
    again, whatever the token says."""
    with _kept_lock:
        for key in [key for key in _kept if organiser_id is None or key[0] == organiser_id]:
            del _kept[key]


@dataclass
class WorkerOutlook:
    """What a worker sees of their payouts: the next payment date, what the next run pays them so far, and what
    is still pending and why."""

    next_payout: object  # a PayoutDate, or None without a calendar
    ready: WorkerPayout | None
    pending: PendingHours | None
    unconfirmed: dict  # {status: (prestaties, minutes)} of hours not confirmed by the client yet
    on_the_way: list  # PayoutLines of batches the bank has not carried out yet (as far as we know)
    advance: bool


def _next_payment(organiser, on: datetime.date):
    """The calendar's next payment date whose month no payout paid yet (today's, once made, is past news)."""
    from wijkwerken.core.models import PayoutDate

    paid_months = PayoutBatch.objects.filter(organiser=organiser).values("month")
    return (PayoutDate.objects.filter(organiser=organiser, pays_on__gte=on).exclude(month__in=paid_months)
            .order_by("pays_on").first())


def worker_payout_outlook(*, worker) -> WorkerOutlook:
    run = _run(worker.organiser, today(), worker_ids=[worker.pk])
    ready = run.payouts.get(worker.pk)
    unconfirmed = {status: (n, minutes or 0) for status, n, minutes in (
        Prestatie.objects.filter(worker=worker, status__in=(PrestatieStatus.REGISTERED, PrestatieStatus.VALIDATED,
                                                            PrestatieStatus.DISPUTED))
        .values("status").order_by().annotate(n=Count("pk"), minutes=Sum("minutes"))
        .values_list("status", "n", "minutes"))}
    on_the_way = list(PayoutLine.objects.filter(worker=worker, batch__status=PayoutBatchStatus.CONFIRMED)
                      .select_related("batch").order_by("batch__execution_date"))
    return WorkerOutlook(next_payout=_next_payment(worker.organiser, today()), ready=ready,
                         pending=next(iter(run.pending), None), unconfirmed=unconfirmed, on_the_way=on_the_way,
                         advance=run.advance)


def due_prestaties_of(*, organiser, month: datetime.date, worker_id: int) -> QuerySet:
    """One worker's prestaties a run for `month` would pay, each with its allowance and travel (the preview's
    detail), oldest first: a queryset to cut into pages (the worker's index on (worker, date) finds them)."""
    month = _check_month(month)
    cutoff = add_months(month, 1) - datetime.timedelta(days=1)
    periods = _rule_periods(organiser)
    return (_due_prestaties(organiser, cutoff, advance=_advances(organiser, cutoff), worker_ids=[worker_id])
            .select_related("client", "assignment__activity", "settlement")
            .annotate(allowance=allowance_expression(periods), travel=travel_expression(periods))
            .order_by("date", "start_time", "pk"))


def corrections_of(*, organiser, month: datetime.date, worker_id: int) -> list[dict]:
    """One worker's corrections in a run for `month`: kilometres corrected after a payment, and staff's."""
    month = _check_month(month)
    cutoff = add_months(month, 1) - datetime.timedelta(days=1)
    rows = [{"date": day, "amount": difference, "kilometres": km, "prestatie_id": pk,
             "reason": _("Kilometres corrected to %(km)s km after the payment") % {"km": km}}
            for pk, _worker, day, km, difference, _sequence in _paid_before(
                organiser, cutoff, _rule_periods(organiser), worker_ids=[worker_id])]
    rows += [{"date": timezone.localtime(at).date(), "amount": round_money(amount), "reason": reason,
              "prestatie_id": None, "kilometres": None}
             for _pk, _worker, amount, reason, at in _manual_corrections(organiser, worker_ids=[worker_id])]
    return rows


# --- confirming -------------------------------------------------------------------------------------------------

def _take_snapshot(organiser, cutoff, periods, *, advance: bool) -> tuple[list[tuple], dict[int, int]]:
    """The prestaties this confirmation pays, with their amounts, in a temporary table read once more by every
    later statement of the confirmation; returns the aggregates per worker, as the preview computes them, and per
    worker the number of those prestaties with a travel allowance (the batch keeps it)."""
    due = (_due_prestaties(organiser, cutoff, advance=advance)
           .annotate(s_prestatie=F("pk"), s_worker=F("worker_id"), s_date=F("date"),
                     s_cheques=F("cheques"), s_km=F("kilometres"),
                     s_allowance=allowance_expression(periods), s_travel=travel_expression(periods))
           .values("s_prestatie", "s_worker", "s_date", "s_cheques", "s_km", "s_allowance", "s_travel"))
    sql, params = due.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SNAPSHOT_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {SNAPSHOT_TABLE} AS {sql}", params)
        cursor.execute(f"SELECT s_worker, COUNT(*), SUM(s_cheques), SUM(s_km), SUM(s_allowance), SUM(s_travel), "
                       f"SUM(s_prestatie), MAX(s_prestatie), SUM(CASE WHEN s_travel <> 0 THEN 1 ELSE 0 END) "
                       f"FROM {SNAPSHOT_TABLE} GROUP BY s_worker")
        rows = cursor.fetchall()
    return [row[:-1] for row in rows], {row[0]: row[-1] for row in rows}


def _drop_snapshot() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SNAPSHOT_TABLE}")


def _insert_payment_items(organiser_id: int, batch_id: int) -> int:
    """One INSERT ... SELECT: every prestatie of the snapshot whose worker has a line in the batch."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PayoutItem._meta.db_table} (organiser_id, line_id, worker_id, kind, prestatie_id, "
            "sequence, correction_id, date, cheques, kilometres, allowance, travel, amount) "
            # ROUND: exact already on PostgreSQL; on SQLite it drops what floating point adds to a sum of cents.
            f"SELECT %s, line.id, s.s_worker, %s, s.s_prestatie, 1, NULL, s.s_date, s.s_cheques, s.s_km, "
            f"ROUND(s.s_allowance, 2), ROUND(s.s_travel, 2), ROUND(s.s_allowance + s.s_travel, 2) "
            f"FROM {SNAPSHOT_TABLE} s "
            f"JOIN {PayoutLine._meta.db_table} line ON line.worker_id = s.s_worker AND line.batch_id = %s",
            [organiser_id, PayoutItemKind.PAYMENT.value, batch_id])
        return cursor.rowcount


_SEPA_PROBLEMS = {
    "debtor_name": gettext_lazy("the name of our organisation has no letters or digits a bank accepts"),
    "debtor_iban": gettext_lazy("the IBAN of our organisation is not valid"),
    "debtor_bic": gettext_lazy("the BIC of our organisation is missing or not valid"),
    "debtor_address": gettext_lazy("the address of our organisation has no letters or digits a bank accepts"),
}


def _sepa_refused(error: SepaInputError, lines: list[WorkerPayout]):
    problem = _SEPA_PROBLEMS.get(error.code) or (
        _("the file does not pass the checks of the SEPA standard (%(detail)s)") % {"detail": error})
    if error.transfer is not None:
        return service_error(_("No SEPA file can be made for %(worker)s: %(problem)s. Correct the wijk-werker's "
                               "details; nothing was paid.")
                             % {"worker": lines[error.transfer].name, "problem": problem}, f"sepa_{error.code}")
    return service_error(_("No SEPA file can be made: %(problem)s. Correct it in the organisation's settings; nothing "
                           "was paid.") % {"problem": problem}, f"sepa_{error.code}")


def remittance_text(month: datetime.date) -> str:
    """What the worker reads on their bank statement: "Wijk-werkvergoeding 11/2026"."""
    with translation.override("nl"):
        return _("Wijk-werk allowance %(month)s") % {"month": month.strftime("%m/%Y")}


def _check_execution_date(execution_date: datetime.date) -> None:
    on = today()
    if execution_date < on:
        raise service_error(_("The execution date cannot be in the past."), "date_in_past", "execution_date")
    if execution_date > on + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise service_error(_("Choose an execution date within a year."), "date_too_late", "execution_date")


@retry_on_deadlock
def payout_batch_confirm(*, organiser, month: datetime.date, fingerprint: str, actor,
                         execution_date: datetime.date | None = None) -> PayoutBatch:
    """Pay what the preview with `fingerprint` showed: one batch, one line per worker, one item per prestatie and
    correction, and the SEPA file. Refused when the preview was confirmed already, when anything it showed changed
    since (an IBAN, hours, a correction), or when it pays nobody."""
    month = _check_month(month)
    execution_date = execution_date or payout_execution_date_default(organiser=organiser, month=month)
    _check_execution_date(execution_date)
    cutoff = add_months(month, 1) - datetime.timedelta(days=1)
    try:
        with transaction.atomic():
            # The organiser row numbers the batches and keeps two runs of one organiser apart.
            organiser = lock(Organiser.objects).get(pk=organiser.pk)
            done = PayoutBatch.objects.filter(organiser=organiser, preview_fingerprint=fingerprint).first()
            if done is not None:
                raise service_error(_("This preview was confirmed already: payout %(number)s. Nothing was paid "
                                      "twice.") % {"number": done.number}, "already_confirmed")
            periods = _rule_periods(organiser)
            advance = _advances(organiser, cutoff)
            aggregates, travel_counts = _take_snapshot(organiser, cutoff, periods, advance=advance)
            auto = _paid_before(organiser, cutoff, periods)
            manual = _manual_corrections(organiser)
            payouts = _worker_payouts(aggregates, auto, manual)
            _fill_workers(payouts, organiser=organiser)
            lines, _kept_out = _split(payouts)
            now = _fingerprint(month, lines)
            if now != fingerprint:
                forget_previews(organiser.pk)
                if now.split(":")[0] == fingerprint.split(":")[0]:
                    raise service_error(_("Since the preview, the IBAN of a wijk-werker in it changed. Nothing was "
                                          "paid: check the IBANs below and confirm again."), "iban_changed")
                raise service_error(_("Since the preview, what is to be paid changed (hours, corrections or a "
                                      "wijk-werker's details). Nothing was paid: check the new preview and confirm "
                                      "again."), "preview_changed")
            if not lines:
                raise service_error(_("There is nobody to pay for %(month)s.") % {"month": month.strftime("%m/%Y")},
                                    "nothing_to_pay")
            batch = _write_batch(organiser, month, fingerprint, execution_date, lines, auto, manual, actor,
                                 travel_counts=travel_counts)
    finally:
        _drop_snapshot_quietly()
    return batch


def _drop_snapshot_quietly() -> None:
    """The temporary table lives as long as the connection: drop it after the run (committed or not)."""
    if connection.in_atomic_block and connection.needs_rollback:
        return  # the surrounding transaction rolls back; its savepoint holds the table and drops it with it
    try:
        _drop_snapshot()
    except Exception:  # noqa: BLE001 - a broken connection drops it anyway
        logger.debug("payout snapshot not dropped", exc_info=True)


def _write_batch(organiser, month, fingerprint, execution_date, lines, auto, manual, actor, *,
                 travel_counts: dict[int, int]) -> PayoutBatch:
    number = (PayoutBatch.objects.filter(organiser=organiser).aggregate(last=Max("number"))["last"] or 0) + 1
    created_at = timezone.localtime()
    batch = PayoutBatch(
        organiser=organiser, number=number, month=month, preview_fingerprint=fingerprint,
        message_id=f"WW{organiser.pk}-UB{number}-{created_at:%Y%m%d%H%M%S}", execution_date=execution_date,
        count=len(lines), allowance=sum((p.allowance for p in lines), ZERO),
        travel=sum((p.travel for p in lines), ZERO), corrections=sum((p.corrections for p in lines), ZERO),
        total=sum((p.total for p in lines), ZERO), prestaties=sum(p.prestaties for p in lines),
        travel_count=sum(travel_counts.get(p.worker_id, 0) for p in lines),
        correction_count=sum(len(p.correction_keys) for p in lines),
        created_by=actor if getattr(actor, "pk", None) else None)
    remittance = remittance_text(month)
    transfers = [Transfer(end_to_end_id=batch.end_to_end_id(p.worker_id), amount=p.total, creditor_name=p.name,
                          creditor_iban=p.iban, remittance=remittance) for p in lines]
    try:
        content = build_credit_transfer(
            message_id=batch.message_id, payment_id=batch.payment_id, created_at=created_at,
            execution_date=execution_date, transfers=transfers, debtor=Debtor.of(organiser))
    except SepaInputError as error:
        raise _sepa_refused(error, lines) from error
    batch.file.save(batch.file_name, ContentFile(content), save=False)
    batch.full_clean()
    batch.save()
    line_ids = bulk_insert(PayoutLine, ({
        "organiser_id": organiser.pk, "batch_id": batch.pk, "worker_id": p.worker_id, "name": p.name,
        "iban": p.iban, "prestaties": p.prestaties, "cheques": p.cheques, "kilometres": p.kilometres,
        "allowance": p.allowance, "travel": p.travel, "corrections": p.corrections, "total": p.total,
    } for p in lines), with_ids=True)
    line_of = {p.worker_id: line_id for p, line_id in zip(lines, line_ids, strict=True)}
    paid_items = _insert_payment_items(organiser.pk, batch.pk)
    corrections = [
        {"organiser_id": organiser.pk, "line_id": line_of[worker_id], "worker_id": worker_id,
         "kind": PayoutItemKind.CORRECTION, "prestatie_id": pk, "sequence": sequence, "date": day,
         "kilometres": km, "allowance": ZERO, "travel": difference, "amount": difference}
        for pk, worker_id, day, km, difference, sequence in auto if worker_id in line_of]
    corrections += [
        {"organiser_id": organiser.pk, "line_id": line_of[worker_id], "worker_id": worker_id,
         "kind": PayoutItemKind.MANUAL, "correction_id": pk, "date": timezone.localtime(at).date(),
         "allowance": ZERO, "travel": ZERO, "amount": round_money(amount)}
        for pk, worker_id, amount, _reason, at in manual if worker_id in line_of]
    bulk_insert(PayoutItem, corrections)
    expected = sum(p.prestaties for p in lines)
    if paid_items != expected:  # the snapshot and the lines come from the same rows: never expected
        raise RuntimeError(f"payout batch {batch.pk}: {paid_items} prestaties paid, lines count {expected}")
    _audit_confirmed(batch, lines, actor)
    transaction.on_commit(lambda: _notify_later(batch.pk))
    return batch


def _audit_confirmed(batch: PayoutBatch, lines, actor) -> None:
    audit_log(actor=actor, obj=batch, action="payout_batch.confirm",
              summary=ngettext("Payout %(number)s confirmed for the work up to %(month)s: %(count)s wijk-werker, "
                               "%(total)s, executed on %(date)s",
                               "Payout %(number)s confirmed for the work up to %(month)s: %(count)s wijk-werkers, "
                               "%(total)s, executed on %(date)s", batch.count)
              % {"number": batch.number, "month": batch.month.strftime("%m/%Y"), "count": batch.count,
                 "total": format_euro(batch.total), "date": batch.execution_date.strftime("%d/%m/%Y")},
              changes={"total": batch.total, "count": batch.count, "execution_date": batch.execution_date,
                       "message_id": batch.message_id})
    paid = _("Payout %(number)s: %(amount)s to %(iban)s")
    workers = {w.pk: w for w in Worker.objects.filter(pk__in=[p.worker_id for p in lines]).only(
        "pk", "organiser_id", "first_name", "last_name")}
    audit_log_objects(
        (actor, "worker.payout", paid % {"number": batch.number, "amount": format_euro(p.total),
                                         "iban": p.iban_display}, workers[p.worker_id],
         {"amount": p.total, "iban": p.iban, "payout_batch": batch.pk})
        for p in lines)


def _notify_later(batch_id: int) -> None:
    from ..tasks import notify_payout_batch

    notify_payout_batch.delay(batch_id)


def payout_batch_notify(*, batch_id: int) -> int:
    """Tell each paid worker with a login what comes to their account and when (once per batch and worker)."""
    batch = PayoutBatch.objects.get(pk=batch_id)
    lines = PayoutLine.objects.filter(batch=batch).select_related("worker__user")
    with translation.override("nl"):
        url = reverse("cheques:my_payouts")
        items = [(line.worker.user, f"cheques.payout.{batch.pk}",
                  _("Your wijk-werk allowance for the work up to the end of %(month)s: %(amount)s. The bank transfers "
                    "it to %(iban)s on %(date)s.")
                  % {"month": batch.month.strftime("%m/%Y"), "amount": format_euro(line.total),
                     "iban": line.iban_display, "date": batch.execution_date.strftime("%d/%m/%Y")}, url)
                 for line in lines if line.worker.user_id]
        return notifications_send(items=items, subject=_("Your wijk-werk allowance"))


# --- the bank statement shows the debit -------------------------------------------------------------------------

def _mentions(line, batch: PayoutBatch) -> bool:
    text = f"{line.communication} {line.bank_reference}"
    return bool(re.search(rf"\b{re.escape(batch.payment_id)}\b", text, re.IGNORECASE)) or (
        batch.message_id.casefold() in text.casefold())


def payout_batches_mark_executed(*, bank_import, debits, actor) -> list[PayoutBatch]:
    """The statement's outgoing movements that are a confirmed batch's debit (one debit of the batch's total, as
    the file asks the bank to book it, on or after the day it was confirmed; one that names the batch first)
    mark those batches executed. Runs inside the import's transaction; importing again changes nothing."""
    debits = [line for line in debits if not line.credit and line.amount > 0]
    if not debits:
        return []
    open_batches = list(lock(PayoutBatch.objects.filter(organiser_id=bank_import.organiser_id,
                                                         status=PayoutBatchStatus.CONFIRMED)))
    if not open_batches:
        return []
    open_batches.sort(key=lambda b: (b.created_at, b.pk))
    unused = list(debits)
    executed = []
    for batch in open_batches:
        candidates = [line for line in unused if line.amount == batch.total
                      and line.booking_date >= timezone.localtime(batch.created_at).date()
                      and not any(_mentions(line, other) for other in open_batches if other.pk != batch.pk)]
        if not candidates:
            continue
        debit = next((line for line in candidates if _mentions(line, batch)), candidates[0])
        unused.remove(debit)
        batch.status = PayoutBatchStatus.EXECUTED
        batch.executed_on = debit.booking_date
        batch.executed_by_import = bank_import
        batch.save(update_fields=["status", "executed_on", "executed_by_import"])
        audit_log(actor=actor, obj=batch, action="payout_batch.executed",
                  summary=_("Payout %(number)s executed: the bank statement shows the debit of %(total)s on "
                            "%(date)s") % {"number": batch.number, "total": format_euro(batch.total),
                                           "date": debit.booking_date.strftime("%d/%m/%Y")},
                  changes={"status": [PayoutBatchStatus.CONFIRMED, PayoutBatchStatus.EXECUTED],
                           "executed_on": debit.booking_date})
        executed.append(batch)
    return executed


# --- corrections entered by staff -------------------------------------------------------------------------------

MAX_CORRECTION = Decimal("5000.00")


def payout_correction_create(*, organiser, worker, amount, reason: str, actor) -> PayoutCorrection:
    """An amount added to (positive) or taken from (negative) the worker's next payout, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise service_error(_("Say why the payout is corrected."), "no_reason", "reason")
    amount = round_money(amount)
    if amount == 0:
        raise service_error(_("A correction of € 0,00 changes nothing."), "zero", "amount")
    if abs(amount) > MAX_CORRECTION:
        raise service_error(_("A correction is at most %(max)s either way: check the amount.")
                            % {"max": format_euro(MAX_CORRECTION)}, "too_large", "amount")
    if worker.organiser_id != organiser.pk:
        raise service_error(_("This wijk-werker is not ours."), "other_organiser", "worker")
    with transaction.atomic():
        correction = PayoutCorrection(organiser=organiser, worker=worker, amount=amount, reason=reason[:300],
                                      created_by=actor if getattr(actor, "pk", None) else None)
        correction.full_clean()
        correction.save()
        audit_log(actor=actor, obj=worker, organiser=organiser, action="payout_correction.create",
                  summary=_("Payout correction of %(amount)s for the next payout: %(reason)s")
                  % {"amount": format_euro(amount), "reason": correction.reason}, changes={"amount": amount})
    return correction


