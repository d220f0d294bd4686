"""Reads of the cheques app, always scoped to what the user may see."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, DateField, F, IntegerField, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from stdnum import iban as stdnum_iban

from assignments.models import Client
from assignments.selectors import client_of_user
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import today
from wijkwerken.core.money import round_money
from wijkwerken.core.selectors import scope_to_user

from .models import (
    OPEN_ORDER_STATUSES,
    BankImport,
    BankLine,
    Cheque,
    ChequeOrder,
    ChequeStatus,
    ClientCredit,
    CreditBalance,
    LineStatus,
    Payment,
    PayoutBatch,
    PayoutItem,
    PayoutItemKind,
    PayoutLine,
    PayoutStatement,
    RefundBatch,
    Settlement,
    SettlementStatus,
)


def orders_for(user) -> QuerySet:
    """Staff: the organiser's orders; a gebruiker: its own client's orders; anyone else: none."""
    queryset = ChequeOrder.objects.select_related("client", "client__municipality", "fee")
    if user.is_authenticated and user.role == Role.GEBRUIKER:
        return queryset.filter(client__contacts__user=user, organiser_id=user.organiser_id)
    return scope_to_user(queryset, user)


def orders_to_pay_summary(orders: QuerySet) -> dict:
    """How many of `orders` still wait for money and how much they need (one aggregate)."""
    return orders.filter(status__in=OPEN_ORDER_STATUSES).aggregate(
        count=Count("pk"), amount=Coalesce(Sum(F("total") - F("amount_paid")), Decimal("0")))


def bank_imports_for(user) -> QuerySet:
    return scope_to_user(BankImport.objects.select_related("uploaded_by"), user)


def with_payments_and_credits(lines) -> list[BankLine]:
    """`lines` (a page of one statement's lines), each with `payment_rows` and `credit_rows`: the payments and the
    credits it made, one query each. Flat rows rather than `prefetch_related`, which builds two querysets per line:
    on a page of fifty lines that cost more than the queries themselves."""
    lines = list(lines)
    ids = [line.pk for line in lines]
    payments, credits = {pk: [] for pk in ids}, {pk: [] for pk in ids}
    if ids:  # as prefetch_related: no query for an empty page
        for payment in Payment.objects.filter(bank_line_id__any=ids):
            payments[payment.bank_line_id].append(payment)
        for credit in ClientCredit.objects.filter(bank_line_id__any=ids):
            credits[credit.bank_line_id].append(credit)
    for line in lines:
        line.payment_rows, line.credit_rows = payments[line.pk], credits[line.pk]
    return lines


def bank_lines_for(user) -> QuerySet:
    return scope_to_user(BankLine.objects.select_related("client", "bank_import", "handled_by"), user)


def queue_for(user) -> QuerySet:
    """The lines waiting to be handled, oldest first (in the order of `bankline_queue_idx`)."""
    return bank_lines_for(user).filter(status=LineStatus.UNMATCHED).order_by("booking_date", "pk")


def clients_of_staff(user) -> QuerySet:
    return scope_to_user(Client.objects.select_related("municipality"), user)


@dataclass
class Suggestion:
    order: ChequeOrder | None
    client: Client
    reasons: list[str] = field(default_factory=list)
    score: int = 0


# A payer-name word shorter than this, or one of these common words, matches too many clients to suggest anything:
# "vzw" or "bv" would make every organisation with open orders a candidate.
MIN_NAME_TOKEN = 4
COMMON_NAME_WORDS = frozenset({
    "bvba", "cvba", "comm", "vzw", "ivzw", "stichting", "school", "basisschool", "familie", "heer", "mevrouw",
    "mevr", "echtgenoten", "gemeente", "stad", "ocmw", "ocmw's",
})
# The most candidate orders fetched for one page of the queue; the best `limit` per line are shown.
SUGGESTION_ROWS_PER_LINE = 50


def _name_tokens(value: str) -> set[str]:
    words = "".join(c.lower() if c.isalnum() else " " for c in value or "").split()
    return {word for word in words if len(word) >= MIN_NAME_TOKEN and word not in COMMON_NAME_WORDS}


def suggestions_for(line: BankLine, *, limit: int = 5) -> list[Suggestion]:
    """Orders waiting for a payment that fit an unmatched line (see `suggestions_for_lines`)."""
    return suggestions_for_lines([line], limit=limit)[line.pk]


def suggestions_for_lines(lines, *, limit: int = 5) -> dict[int, list[Suggestion]]:
    """{line id: suggestions} for a page of unmatched lines, in one query: the open orders of the lines' organiser
    with the same amount still due and/or a client name containing a word of the payer's name (a trigram index on
    the client name keeps the word search fast). Only suggestions: staff decide."""
    from django.utils.translation import gettext as _

    lines = list(lines)
    result: dict[int, list[Suggestion]] = {line.pk: [] for line in lines}
    if not lines:
        return result
    tokens_of = {line.pk: _name_tokens(line.payer_name) for line in lines}
    matches = Q(outstanding_now__in={line.amount for line in lines})
    for token in set().union(*tokens_of.values()):
        matches |= Q(client__name__icontains=token)
    candidates = list(
        ChequeOrder.objects.filter(organiser_id__in={line.organiser_id for line in lines},
                                   status__in=OPEN_ORDER_STATUSES)
        .annotate(outstanding_now=F("total") - F("amount_paid"))
        .filter(matches)
        .select_related("client")
        .only("organiser_id", "total", "amount_paid", "ordered_on", "status",
              "client__name", "client__iban", "client__number")
        .order_by("ordered_on", "pk")[:SUGGESTION_ROWS_PER_LINE * len(lines)]
    )
    by_amount, by_token, by_iban = {}, {}, {}
    for order in candidates:
        by_amount.setdefault(order.outstanding, []).append(order)
        order.name_tokens = _name_tokens(order.client.name)
        for token in order.name_tokens:
            by_token.setdefault(token, []).append(order)
        if order.client.iban:
            by_iban.setdefault(order.client.iban.replace(" ", ""), []).append(order)
    for line in lines:
        payer = tokens_of[line.pk]
        fitting = {order.pk: order for order in by_amount.get(line.amount, [])}
        for token in payer:
            fitting.update((order.pk, order) for order in by_token.get(token, []))
        if line.payer_iban:
            fitting.update((order.pk, order) for order in by_iban.get(line.payer_iban, []))
        suggestions = []
        for order in fitting.values():
            if order.organiser_id != line.organiser_id:
                continue
            suggestion = Suggestion(order=order, client=order.client)
            if order.outstanding == line.amount:
                suggestion.reasons.append(_("same amount"))
                suggestion.score += 2
            common = payer & order.name_tokens
            if common:
                suggestion.reasons.append(_("payer's name looks like the client's name"))
                suggestion.score += len(common)
            if line.payer_iban and line.payer_iban == order.client.iban.replace(" ", ""):
                suggestion.reasons.append(_("the client's IBAN"))
                suggestion.score += 3
            if suggestion.score:
                suggestions.append(suggestion)
        suggestions.sort(key=lambda s: (-s.score, s.order.ordered_on, s.order.pk))
        result[line.pk] = suggestions[:limit]
    return result


@dataclass
class Wallet:
    client: Client
    available: int
    soonest_expiry: object
    soonest_expiry_count: int
    credit: Decimal
    cheques: QuerySet


def wallet_of(client: Client) -> Wallet:
    on = today()
    cheques = Cheque.objects.filter(client=client)
    available = cheques.available(on=on)
    soonest = available.aggregate(first=Min("expires_on"))["first"]
    return Wallet(
        client=client,
        available=available.count(),
        soonest_expiry=soonest,
        soonest_expiry_count=available.filter(expires_on=soonest).count() if soonest else 0,
        credit=credit_balance(client),
        cheques=cheques.select_related("order").order_by("status", "expires_on", "serial"),
    )


def wallet_batches(client: Client) -> list[dict]:
    """The wallet grouped per order (or paper) and status: the history without one row per cheque."""
    return list(
        Cheque.objects.filter(client=client)
        .values("order_id", "kind", "status", "issued_on", "expires_on")
        .annotate(count=Count("id"), first_serial=Min("serial"))
        .order_by("-issued_on", "order_id", "status")
    )


def settlements_paid(client: Client) -> QuerySet:
    return (Settlement.objects.filter(client=client, status=SettlementStatus.PAID)
            .select_related("prestatie__worker").order_by("-paid_at", "-pk"))


def wallet_history(client: Client) -> QuerySet:
    """Bought/registered batches and "used for the prestatie of <date> (<worker>)", newest first, as one list the
    database sorts and cuts into pages (a client with years of history is not loaded whole).

    Each row is a dict: `entry` ("batch" or "used"), `day`, `number` (of cheques), and for a batch `order_number`,
    `cheque_kind`, `cheque_status`, `expires`, `first_serial`; for a use `prestatie_day`, `worker_name` and
    `work_minutes`.
    """
    none_int = Value(None, output_field=IntegerField())
    none_text = Value(None, output_field=CharField())
    none_date = Value(None, output_field=DateField())
    batches = (
        Cheque.objects.filter(client=client)
        .values(entry=Value("batch"), day=F("issued_on"), order_number=F("order_id"), cheque_kind=F("kind"),
                cheque_status=F("status"), expires=F("expires_on"))
        .annotate(number=Count("id"), first_serial=Min("serial"), prestatie_day=none_date, worker_name=none_text,
                  work_minutes=none_int, is_use=Value(0))
    )
    used = (
        Settlement.objects.filter(client=client, status=SettlementStatus.PAID)
        .values(entry=Value("used"), day=TruncDate("paid_at"), order_number=none_int, cheque_kind=none_text,
                cheque_status=none_text, expires=none_date, number=F("cheques"), first_serial=none_text,
                prestatie_day=F("prestatie__date"), worker_name=F("prestatie__worker__first_name"),
                work_minutes=F("prestatie__minutes"), is_use=Value(1))
    )
    return batches.union(used, all=True).order_by("-day", "-is_use", "-order_number", "cheque_status")


@dataclass
class WaitingHours:
    settlements: list
    cheques: int
    available: int
    ordered: int = 0  # cheques on orders still to pay: they will pay these hours too

    @property
    def missing(self) -> int:
        return max(self.cheques - self.available - self.ordered, 0)


def waiting_hours_of(client: Client, *, wallet: Wallet | None = None) -> WaitingHours:
    """Confirmed hours waiting for cheques ("te betalen"), oldest first, and how many cheques are missing."""
    settlements = list(Settlement.objects.filter(client=client, status=SettlementStatus.WAITING)
                       .select_related("prestatie__worker").order_by("prestatie__date", "prestatie__start_time"))
    available = wallet.available if wallet else Cheque.objects.filter(client=client).available(on=today()).count()
    ordered = 0
    if settlements:
        ordered = (ChequeOrder.objects.filter(client=client, status__in=OPEN_ORDER_STATUSES)
                   .aggregate(total=Sum("quantity"))["total"] or 0)
    return WaitingHours(settlements=settlements, cheques=sum(s.cheques for s in settlements), available=available,
                        ordered=ordered)


def client_for_gebruiker(user) -> Client | None:
    return client_of_user(user)


def money_history(client: Client) -> list[dict]:
    """Every euro and cheque of a client in date order: orders, payments, credits, cheques issued/registered."""
    events = []
    for order in ChequeOrder.objects.filter(client=client):
        events.append({"date": order.ordered_on, "kind": "order", "object": order, "amount": order.total})
    for payment in Payment.objects.filter(order__client=client).select_related("order", "bank_line"):
        events.append({"date": payment.received_on, "kind": "payment", "object": payment, "amount": payment.amount})
    for credit in ClientCredit.objects.filter(client=client).select_related("bank_line", "order"):
        events.append({"date": credit.created_at.date(), "kind": "credit", "object": credit, "amount": credit.amount})
    for batch in wallet_batches(client):
        events.append({"date": batch["issued_on"], "kind": "cheques", "object": batch, "amount": None})
    for settlement in Settlement.objects.filter(client=client).select_related("prestatie__worker"):
        moment = settlement.paid_at or settlement.waiting_since or settlement.created_at
        events.append({"date": timezone.localtime(moment).date(), "kind": "settlement", "object": settlement,
                       "amount": None})
    order = {"order": 0, "payment": 1, "credit": 2, "cheques": 3, "settlement": 4}
    events.sort(key=lambda e: (e["date"], order[e["kind"]]), reverse=True)
    return events


def open_orders_count(user) -> int:
    return orders_for(user).filter(status__in=OPEN_ORDER_STATUSES).count()


def queue_count(user) -> int:
    return queue_for(user).count()


def credit_balance(client) -> Decimal:
    """The client's credit: what we hold of its money that is on no order. The database keeps it (`CreditBalance`,
    the sum of the client's credit rows, kept by triggers): read from `client.credit_balance` when the caller's
    query selected it (no query of its own then), else from that row (never cached on the client, which may get
    more credit rows afterwards)."""
    if type(client).credit_balance.is_cached(client):
        try:
            return client.credit_balance.balance
        except CreditBalance.DoesNotExist:
            return Decimal("0.00")
    kept = CreditBalance.objects.filter(client_id=client.pk).values_list("balance", flat=True).first()
    return Decimal("0.00") if kept is None else kept


def credit_balances(client_ids) -> dict[int, Decimal]:
    # Rounded to the cent: SQLite sums decimals as floats (193.49999999999997), which no money field takes.
    return {client_id: round_money(balance) for client_id, balance in (
        ClientCredit.objects.filter(client_id__in=list(client_ids)).values("client_id")
        .annotate(balance=Sum("amount")).values_list("client_id", "balance"))}


def last_payer_ibans(client_ids) -> dict[int, str]:
    """Per client, the IBAN its most recent credit came from (an overpayment, a payment without an order)."""
    ibans = {}
    for client_id, iban in (ClientCredit.objects.filter(client_id__in=list(client_ids)).exclude(payer_iban="")
                            .order_by("created_at", "pk").values_list("client_id", "payer_iban")):
        ibans[client_id] = iban
    return ibans


def refund_iban(client_iban: str, payer_iban: str) -> str:
    """Where a refund goes: the client's own IBAN, else the account the money came from; compact, and only
    when valid (python-stdnum), otherwise ""."""
    for candidate in (client_iban, payer_iban):
        if candidate:
            return stdnum_iban.compact(candidate) if stdnum_iban.is_valid(candidate) else ""
    return ""


def credits_to_refund(user) -> QuerySet:
    """Clients whose credit (overpayments, payments for paid or unknown orders) is positive: money to give
    back, by client name (one aggregate; cut it into pages, then add the IBANs with `with_refund_ibans`)."""
    return (scope_to_user(ClientCredit.objects.all(), user)
            .values("client_id", "client__name", "client__number", "client__iban")
            .annotate(balance=Sum("amount")).filter(balance__gt=0).order_by("client__name", "client_id"))


def with_refund_ibans(rows) -> list[dict]:
    """`rows` of `credits_to_refund` with the IBAN each refund goes to (`refund_iban`, "" when there is no valid
    one): the client's own, else the last payer's."""
    rows = list(rows)
    last_iban = last_payer_ibans(row["client_id"] for row in rows)
    for row in rows:
        row["refund_iban"] = refund_iban(row["client__iban"], last_iban.get(row["client_id"], ""))
        row["refund_iban_display"] = stdnum_iban.format(row["refund_iban"]) if row["refund_iban"] else ""
    return rows


def credit_movements(client) -> QuerySet:
    """Every change of the client's credit, newest first: kept (positive), used for an order, refunded."""
    return (ClientCredit.objects.filter(client=client).select_related("order", "refund_batch", "bank_line")
            .order_by("-created_at", "-pk"))


def refund_batches_for(user) -> QuerySet:
    return scope_to_user(RefundBatch.objects.select_related("created_by"), user)


def refund_lines(batch: RefundBatch) -> QuerySet:
    return batch.credits.select_related("client").order_by("client__name", "client__number")


# --- payouts ------------------------------------------------------------------------------------------------------

def payout_batches_for(user) -> QuerySet:
    return scope_to_user(PayoutBatch.objects.select_related("created_by", "executed_by_import"), user)


def payout_lines_for(user) -> QuerySet:
    """Staff: the organiser's payout lines; a wijk-werker: their own; anyone else: none."""
    queryset = PayoutLine.objects.select_related("batch", "worker")
    if user.is_authenticated and user.role == Role.WIJKWERKER:
        return queryset.filter(worker__user=user, organiser_id=user.organiser_id)
    return scope_to_user(queryset, user)


def payout_items_of(line: PayoutLine) -> QuerySet:
    return (line.items.select_related("prestatie__client", "prestatie__assignment__activity", "correction")
            .order_by("kind", "date", "pk"))


def cheques_of_prestaties(prestatie_ids) -> dict[int, list[Cheque]]:
    """The cheques that paid each prestatie, with their order: where each euro of the allowance came from."""
    grouped: dict[int, list[Cheque]] = {}
    for cheque in (Cheque.objects.filter(prestatie_id__in=list(prestatie_ids)).select_related("order")
                   .order_by("serial")):
        grouped.setdefault(cheque.prestatie_id, []).append(cheque)
    return grouped


def payout_years_of(worker) -> list[int]:
    return sorted({day.year for day in PayoutLine.objects.filter(worker=worker)
                   .values_list("batch__execution_date", flat=True)}, reverse=True)


def payout_lines_of_year(worker, year: int) -> QuerySet:
    return (PayoutLine.objects.filter(worker=worker, batch__execution_date__year=year).select_related("batch")
            .order_by("batch__execution_date", "batch__number"))


def payout_statement_of(line: PayoutLine) -> PayoutStatement | None:
    return PayoutStatement.objects.filter(line=line).first()


def corrections_paid_in(line: PayoutLine) -> QuerySet:
    return line.items.exclude(kind=PayoutItemKind.PAYMENT).select_related("correction", "prestatie__client")


def payments_in(line: PayoutLine) -> QuerySet:
    return (PayoutItem.objects.filter(line=line, kind=PayoutItemKind.PAYMENT)
            .select_related("prestatie__client", "prestatie__assignment__activity").order_by("date", "pk"))


def wallet_over_time(client: Client, *, on: datetime.date, months: int = 12) -> list[tuple[datetime.date, int]]:
    """The cheques in the client's wallet (usable) at the end of each of the last `months` months, the last one
    being `on`. One aggregate query. A refunded cheque has no date of refund and counts as gone throughout."""
    days = []
    month_start = on.replace(day=1)
    for _step in range(months - 1):
        days.insert(0, month_start - datetime.timedelta(days=1))
        month_start = days[0].replace(day=1)
    days.append(on)
    counts = Cheque.objects.filter(client=client).aggregate(**{
        f"d{index}": Count("pk", filter=Q(issued_on__lte=day) & (
            Q(status__in=[ChequeStatus.AVAILABLE, ChequeStatus.EXPIRED], expires_on__gte=day)
            | Q(status=ChequeStatus.REDEEMED, redeemed_at__date__gt=day)))
        for index, day in enumerate(days)})
    return [(day, counts[f"d{index}"]) for index, day in enumerate(days)]
