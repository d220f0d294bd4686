"""The organiser's money overview (reads only): for a period, the cheques sold, redeemed, expired, refunded and
still in wallets; what was paid to the workers; what remains for the organiser; and what is open at the end.

Every figure is a `Figure`: the rows behind it (a queryset) and their aggregate, so the overview's number and the
page that lists its rows come from the same query. The figures add up by construction of the periods:

    in wallets at the start + sold − redeemed − expired − refunded = in wallets at the end   (cheques and euros)
    allowances + travel + corrections = paid to workers = the batches' transfers
    remains = value of the cheques redeemed and expired − paid to workers

A cheque is in a wallet at the end of day D when it was issued on or before D and had not left it by then:
redeemed on or before D, expired before D (it expires the day after its last valid day), or refunded (no date is
recorded for a refunded cheque: it counts as leaving on the day it was issued). Payouts count on their execution
date, the day the money leaves the organiser's account.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Client
from wijkwerken.core.dates import today
from wijkwerken.core.money import round_money

from .models import (
    BankLine,
    Cheque,
    ChequeDay,
    ChequeStatus,
    ClientCredit,
    CreditBalance,
    LineStatus,
    Payment,
    PaymentMethod,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutItem,
    PayoutItemKind,
    RefundBatch,
)

ZERO = Decimal("0.00")
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def query(self) -> str:
        return f"van={self.start.isoformat()}&tot={self.end.isoformat()}"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- the rows behind each figure ----------------------------------------------------------------------------------

def cheques_in_wallets(organiser, day: datetime.date) -> QuerySet:
    """The cheques in the clients' wallets at the end of `day`: issued by then and still available, redeemed
    after it or expired after it (a refunded cheque left on the day it was issued)."""
    return Cheque.objects.filter(organiser=organiser, issued_on__lte=day).filter(
        Q(status=ChequeStatus.AVAILABLE)
        | Q(status=ChequeStatus.REDEEMED, redeemed_at__gte=_start_of(day + DAY))
        | Q(status=ChequeStatus.EXPIRED, expires_on__gte=day))


def _wallet_parts(organiser, day: datetime.date) -> list[QuerySet]:
    """`cheques_in_wallets` in its three disjoint parts, each one range of a covering partial index
    (`cheque_report_open_idx`, `cheque_report_redeemed_idx`, `cheque_report_expired_idx`), so the totals are
    read from the indexes alone: the figure reads the cheques in the wallets and those that left them after `day`,
    not the organiser's whole history."""
    issued = Cheque.objects.filter(organiser=organiser, issued_on__lte=day)
    return [
        issued.filter(status=ChequeStatus.AVAILABLE),
        issued.filter(status=ChequeStatus.REDEEMED, redeemed_at__gte=_start_of(day + DAY)),
        issued.filter(status=ChequeStatus.EXPIRED, expires_on__gte=day),
    ]


def _cheques_opening(organiser, period):
    return cheques_in_wallets(organiser, period.start - DAY)


def _cheques_opening_parts(organiser, period):
    return _wallet_parts(organiser, period.start - DAY)


def _cheques_sold(organiser, period):
    return Cheque.objects.filter(organiser=organiser, issued_on__gte=period.start, issued_on__lte=period.end)


def _cheques_redeemed(organiser, period):
    return Cheque.objects.filter(organiser=organiser, status=ChequeStatus.REDEEMED,
                                 redeemed_at__gte=_start_of(period.start), redeemed_at__lt=_start_of(period.end + DAY))


def _cheques_expired(organiser, period):
    # expired the day after the last valid day: expires_on + 1 within the period
    return Cheque.objects.filter(organiser=organiser, status=ChequeStatus.EXPIRED,
                                 expires_on__gte=period.start - DAY, expires_on__lte=period.end - DAY)


def _cheques_refunded(organiser, period):
    return Cheque.objects.filter(organiser=organiser, status=ChequeStatus.REFUNDED, issued_on__gte=period.start,
                                 issued_on__lte=period.end)


def _cheques_closing(organiser, period):
    return cheques_in_wallets(organiser, period.end)


def _cheques_closing_parts(organiser, period):
    return _wallet_parts(organiser, period.end)


def _payments_received(organiser, period):
    return (Payment.objects.filter(organiser=organiser, received_on__gte=period.start, received_on__lte=period.end)
            .exclude(method=PaymentMethod.CREDIT))


def _credit_refunded(organiser, period):
    return RefundBatch.objects.filter(organiser=organiser, created_at__gte=_start_of(period.start),
                                      created_at__lt=_start_of(period.end + DAY))


def _batches_executed_in(organiser, period):
    return PayoutBatch.objects.filter(organiser=organiser, execution_date__gte=period.start,
                                      execution_date__lte=period.end)


def _items_in(organiser, period):
    """The items of the batches executed in the period. An item is never dated after its batch's execution (a
    batch pays work done before it is confirmed), so `date <= end` lets the list walk its figure's partial index
    (`payoutitem_payment_idx`, `_travel_idx`, `_correction_idx`) backwards from the period's end instead of
    sorting every item of the organiser."""
    return PayoutItem.objects.filter(organiser=organiser, date__lte=period.end,
                                     line__batch__execution_date__gte=period.start,
                                     line__batch__execution_date__lte=period.end)


def _allowances(organiser, period):
    return _items_in(organiser, period).filter(kind=PayoutItemKind.PAYMENT)


def _travel(organiser, period):
    return _items_in(organiser, period).filter(kind=PayoutItemKind.PAYMENT).exclude(travel=0)


def _corrections(organiser, period):
    return _items_in(organiser, period).exclude(kind=PayoutItemKind.PAYMENT)


def _kept_on_batches(count: str, amount: str):
    """A payout figure of the period from what each batch keeps of its items (a dozen batches a year)."""
    def totals(organiser, period) -> dict:
        return _batches_executed_in(organiser, period).aggregate(count=Sum(count), amount=Sum(amount))
    return totals


def _credit_until(organiser, period):
    return ClientCredit.objects.filter(organiser=organiser, created_at__lt=_start_of(period.end + DAY))


def _credit_balances(organiser, period):
    """Per client with credit at the end of the period: `client_id` and `balance` (only the credit rows are read,
    through `clientcredit_report_idx`, not every client)."""
    return (_credit_until(organiser, period).order_by().values("client_id").annotate(balance=Sum("amount"))
            .exclude(balance=0))


def _credit_is_current(period) -> bool:
    """Whether the period ends today or later: then its closing balances are the balances the database keeps."""
    return period.end >= today()


def _open_credit(organiser, period):
    """The clients holding credit at the end of the period, each with `balance`. For a period up to today they are
    read from the balances the database keeps (`CreditBalance`, through `creditbalance_holders_idx`); for an
    earlier end the credit rows up to it are added up first and the clients fetched by id (as one query with
    `IN (subquery)` PostgreSQL, which cannot know how few balances are not zero, read every client)."""
    if _credit_is_current(period):
        return Client.objects.filter(organiser=organiser, credit_balance__organiser=organiser).exclude(
            credit_balance__balance=0).annotate(balance=F("credit_balance__balance"))
    holders = list(_credit_balances(organiser, period).values_list("client_id", flat=True))
    balance = (_credit_until(organiser, period).filter(client=OuterRef("pk")).order_by().values("client_id")
               .annotate(total=Sum("amount")).values("total"))
    return Client.objects.filter(organiser=organiser, pk__any=holders).annotate(balance=Subquery(balance))


def _open_credit_parts(organiser, period):
    if _credit_is_current(period):
        return [CreditBalance.objects.filter(organiser=organiser).exclude(balance=0)]
    return [_credit_balances(organiser, period)]


def _queue(organiser, period):
    return BankLine.objects.filter(organiser=organiser, status=LineStatus.UNMATCHED, booking_date__lte=period.end)


def _payouts_on_the_way(organiser, period):
    return PayoutBatch.objects.filter(organiser=organiser, status=PayoutBatchStatus.CONFIRMED,
                                      created_at__lt=_start_of(period.end + DAY))


# --- the same cheque figures from the days the database keeps (ChequeDay, PostgreSQL) ----------------------------

def _daily(kind: str):
    """A figure of the period from the days: the cheques issued, refunded, redeemed or expired in it."""
    def totals(organiser, period) -> dict:
        return ChequeDay.objects.filter(organiser=organiser, day__gte=period.start, day__lte=period.end).aggregate(
            count=Sum(f"{kind}_count"), amount=Sum(f"{kind}_value"))
    return totals


def _daily_wallets(day_of):
    """The cheques in the wallets at the end of a day: every day up to it, what entered less what left."""
    def totals(organiser, period) -> dict:
        return ChequeDay.objects.filter(organiser=organiser, day__lte=day_of(period)).aggregate(
            count=Sum(F("issued_count") - F("refunded_count") - F("redeemed_count") - F("expired_count")),
            amount=Sum(F("issued_value") - F("refunded_value") - F("redeemed_value") - F("expired_value")))
    return totals


# --- the figures --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureSpec:
    slug: str
    label: object
    rows: object  # (organiser, period) -> QuerySet
    amount: str  # the field summed for the euros
    kind: str  # which table lists the rows: cheques, payments, refunds, batches, items, clients, bank_lines
    counts: bool = True  # whether the number of rows is a figure too
    # (organiser, period) -> disjoint querysets whose rows together are `rows`, each with `amount`: where the
    # totals are read from when that is cheaper than from `rows` (covering indexes, no join).
    parts: object = None
    # (organiser, period) -> {"count", "amount"} from the days the database keeps (ChequeDay), where it keeps them.
    daily: object = None
    # (organiser, period) -> {"count", "amount"} from totals kept with the rows' parents (the payout batches).
    kept: object = None


FIGURES = {spec.slug: spec for spec in (
    FigureSpec("in-portefeuille-begin", _("In wallets at the start"), _cheques_opening, "value", "cheques",
               parts=_cheques_opening_parts, daily=_daily_wallets(lambda period: period.start - DAY)),
    FigureSpec("verkocht", _("Sold"), _cheques_sold, "value", "cheques", daily=_daily("issued")),
    FigureSpec("gebruikt", _("Redeemed for hours"), _cheques_redeemed, "value", "cheques",
               daily=_daily("redeemed")),
    FigureSpec("vervallen", _("Expired"), _cheques_expired, "value", "cheques", daily=_daily("expired")),
    FigureSpec("terugbetaald", _("Refunded"), _cheques_refunded, "value", "cheques", daily=_daily("refunded")),
    FigureSpec("in-portefeuille-einde", _("In wallets at the end"), _cheques_closing, "value", "cheques",
               parts=_cheques_closing_parts, daily=_daily_wallets(lambda period: period.end)),
    FigureSpec("ontvangen", _("Payments received for orders"), _payments_received, "amount", "payments"),
    FigureSpec("tegoed-terugbetaald", _("Credit refunded to clients"), _credit_refunded, "total", "refunds"),
    FigureSpec("vergoedingen", _("Allowances"), _allowances, "allowance", "items",
               kept=_kept_on_batches("prestaties", "allowance")),
    FigureSpec("verplaatsingen", _("Travel allowances"), _travel, "travel", "items",
               kept=_kept_on_batches("travel_count", "travel")),
    FigureSpec("correcties", _("Corrections"), _corrections, "amount", "items",
               kept=_kept_on_batches("correction_count", "corrections")),
    FigureSpec("uitbetaald", _("Paid to wijk-werkers"), _batches_executed_in, "total", "batches"),
    FigureSpec("open-tegoed", _("Open client credit"), _open_credit, "balance", "clients",
               parts=_open_credit_parts),
    FigureSpec("wachtrij", _("Bank payments waiting in the queue"), _queue, "amount", "bank_lines"),
    FigureSpec("onderweg", _("Payouts not yet carried out by the bank"), _payouts_on_the_way, "total", "batches"),
)}


@dataclass(frozen=True)
class Figure:
    spec: FigureSpec
    count: int
    amount: Decimal

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def label(self):
        return self.spec.label


def figure_rows(spec: FigureSpec, organiser, period: Period) -> QuerySet:
    return spec.rows(organiser, period)


def _totals_of(parts: list[QuerySet], amount: str) -> list[dict]:
    """The count and sum of `amount` of the rows of `parts`: one aggregate, or one UNION ALL of one per part."""
    if len(parts) == 1:
        return [parts[0].order_by().aggregate(count=Count("*"), amount=Sum(amount))]
    per_part = [part.order_by().values("organiser_id").annotate(count=Count("*"), amount=Sum(amount))
                .values("count", "amount") for part in parts]
    return list(per_part[0].union(*per_part[1:], all=True))


def figure_of(spec: FigureSpec, organiser, period: Period, *, from_days: bool | None = None) -> Figure:
    """The number of rows behind a figure and their sum, in one query: from what the database keeps — the days
    (PostgreSQL) or the batches' totals — unless `from_days=False` (which adds up the rows instead), or an aggregate
    of its rows, or of its parts (one UNION ALL of an aggregate per part)."""
    kept = spec.kept if from_days is not False else None
    if from_days is None:
        from_days = connection.vendor == "postgresql"
    if spec.daily and from_days:
        totals = [spec.daily(organiser, period)]
    elif kept:
        totals = [kept(organiser, period)]
    else:
        totals = _totals_of(spec.parts(organiser, period) if spec.parts else [figure_rows(spec, organiser, period)],
                            spec.amount)
    count = sum(row["count"] or 0 for row in totals)
    amount = sum((row["amount"] or ZERO for row in totals), ZERO)
    # round_money: exact already on PostgreSQL; on SQLite a sum of many cents carries floating point digits.
    return Figure(spec=spec, count=count, amount=round_money(amount))


@dataclass(frozen=True)
class MoneyOverview:
    period: Period
    figures: dict[str, Figure]

    def __getitem__(self, slug) -> Figure:
        return self.figures[slug]

    @property
    def cheque_flow_adds_up(self) -> bool:
        f = self.figures
        left = ("gebruikt", "vervallen", "terugbetaald")
        count = (f["in-portefeuille-begin"].count + f["verkocht"].count - sum(f[s].count for s in left))
        amount = (f["in-portefeuille-begin"].amount + f["verkocht"].amount - sum(f[s].amount for s in left))
        return (count, amount) == (f["in-portefeuille-einde"].count, f["in-portefeuille-einde"].amount)

    @property
    def payouts_add_up(self) -> bool:
        f = self.figures
        return f["vergoedingen"].amount + f["verplaatsingen"].amount + f["correcties"].amount == f["uitbetaald"].amount

    @property
    def cheques_used_or_expired(self) -> Decimal:
        return self.figures["gebruikt"].amount + self.figures["vervallen"].amount

    @property
    def remains(self) -> Decimal:
        """What the cheques redeemed and expired in the period brought in, minus what the workers were paid."""
        return self.cheques_used_or_expired - self.figures["uitbetaald"].amount


def money_overview(*, organiser, period: Period) -> MoneyOverview:
    """Every figure of the overview: one aggregate query each, whatever the size of the organiser."""
    return MoneyOverview(period=period, figures={slug: figure_of(spec, organiser, period)
                                                 for slug, spec in FIGURES.items()})
