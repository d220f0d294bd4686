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

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Client
from wijkwerken.core.money import round_money

from .models import (
    BankLine,
    Cheque,
    ChequeStatus,
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
    """The cheques in the clients' wallets at the end of `day`."""
    return (Cheque.objects.filter(organiser=organiser, issued_on__lte=day).exclude(status=ChequeStatus.REFUNDED)
            .exclude(status=ChequeStatus.REDEEMED, redeemed_at__lt=_start_of(day + DAY))
            .exclude(status=ChequeStatus.EXPIRED, expires_on__lt=day))


def _cheques_opening(organiser, period):
    return cheques_in_wallets(organiser, period.start - DAY)


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
    return PayoutItem.objects.filter(organiser=organiser, line__batch__execution_date__gte=period.start,
                                     line__batch__execution_date__lte=period.end)


def _allowances(organiser, period):
    return _items_in(organiser, period).filter(kind=PayoutItemKind.PAYMENT)


def _travel(organiser, period):
    return _items_in(organiser, period).filter(kind=PayoutItemKind.PAYMENT).exclude(travel=0)


def _corrections(organiser, period):
    return _items_in(organiser, period).exclude(kind=PayoutItemKind.PAYMENT)


def _open_credit(organiser, period):
    """The clients holding credit at the end of the period, each with `balance`."""
    return (Client.objects.filter(organiser=organiser)
            .annotate(balance=Sum("credits__amount", filter=Q(credits__created_at__lt=_start_of(period.end + DAY))))
            .exclude(balance=0).exclude(balance__isnull=True))


def _queue(organiser, period):
    return BankLine.objects.filter(organiser=organiser, status=LineStatus.UNMATCHED, booking_date__lte=period.end)


def _payouts_on_the_way(organiser, period):
    return PayoutBatch.objects.filter(organiser=organiser, status=PayoutBatchStatus.CONFIRMED,
                                      created_at__lt=_start_of(period.end + DAY))


# --- the figures --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureSpec:
    slug: str
    label: object
    rows: object  # (organiser, period) -> QuerySet
    amount: str  # the field summed for the euros
    kind: str  # which table lists the rows: cheques, payments, refunds, batches, items, clients, bank_lines
    counts: bool = True  # whether the number of rows is a figure too


FIGURES = {spec.slug: spec for spec in (
    FigureSpec("in-portefeuille-begin", _("In wallets at the start"), _cheques_opening, "value", "cheques"),
    FigureSpec("verkocht", _("Sold"), _cheques_sold, "value", "cheques"),
    FigureSpec("gebruikt", _("Redeemed for hours"), _cheques_redeemed, "value", "cheques"),
    FigureSpec("vervallen", _("Expired"), _cheques_expired, "value", "cheques"),
    FigureSpec("terugbetaald", _("Refunded"), _cheques_refunded, "value", "cheques"),
    FigureSpec("in-portefeuille-einde", _("In wallets at the end"), _cheques_closing, "value", "cheques"),
    FigureSpec("ontvangen", _("Payments received for orders"), _payments_received, "amount", "payments"),
    FigureSpec("tegoed-terugbetaald", _("Credit refunded to clients"), _credit_refunded, "total", "refunds"),
    FigureSpec("vergoedingen", _("Allowances"), _allowances, "allowance", "items"),
    FigureSpec("verplaatsingen", _("Travel allowances"), _travel, "travel", "items"),
    FigureSpec("correcties", _("Corrections"), _corrections, "amount", "items"),
    FigureSpec("uitbetaald", _("Paid to wijk-werkers"), _batches_executed_in, "total", "batches"),
    FigureSpec("open-tegoed", _("Open client credit"), _open_credit, "balance", "clients"),
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


def figure_of(spec: FigureSpec, organiser, period: Period) -> Figure:
    rows = figure_rows(spec, organiser, period)
    if spec.kind == "clients":  # an annotated sum cannot be summed again in the same query
        balances = list(rows.values_list("balance", flat=True))
        return Figure(spec=spec, count=len(balances), amount=round_money(sum(balances, ZERO)))
    totals = rows.order_by().aggregate(count=Count("pk"), amount=Sum(spec.amount))
    # round_money: exact already on PostgreSQL; on SQLite a sum of many cents carries floating point digits.
    return Figure(spec=spec, count=totals["count"], amount=round_money(totals["amount"] or ZERO))


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
