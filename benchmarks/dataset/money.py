"""Money: orders with their structured communications, payments (bank transfers through imported statements,
online payments, client credit), bank statements and their lines, the cheques of paid orders, the settlement of
confirmed prestaties, client credit and its refunds, and the yearly registration fees.

Each client is simulated on its own, event by event in time, the way the application's services and jobs would
have handled it (`cheques.services`):
- A confirmed prestatie asks for one cheque per started hour. The client's unpaid confirmed hours are paid oldest
  first (date, start) with the soonest-expiring cheques that are valid on the day of settlement; when the oldest
  does not fit, it and every younger one wait ("te betalen") until cheques arrive.
- A client short of cheques orders (often some weeks ahead, sometimes only after the hours wait). An order pays
  from the client's credit first, then online (paid within minutes) or by bank transfer: the transfer is booked
  a few days later and known when the organiser imports its statement (Mondays and Thursdays); a transfer
  without a usable communication waits in the queue until staff assign it. Some orders are paid in two parts,
  too much, twice, late (after a reminder) or never (cancelled after the grace period).
- Cheques are issued when the order is paid in full (issued on the payment's booking day, valid for the rule
  set's validity), and expire unused after it. A client who stops may have its unused cheques refunded.
- Credit (paid too much or twice, paid without an order, returned cheques) pays the next order or is refunded in
  the organiser's quarterly refund batch (a SEPA file written by the application's writer).
- The first order of a calendar year carries that year's registration fee; a year without orders may be paid
  at the desk.
Nothing that would happen after the start of the reference day is written.
"""

import bisect
import datetime
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from stdnum import iban as stdnum_iban

from assignments.models import ClientStatus, PrestatieStatus, RegistrationFee
from cheques.bank import ParsedLine
from cheques.models import (
    BankImport,
    BankLine,
    Cheque,
    ChequeOrder,
    ClientCredit,
    CreditKind,
    LineStatus,
    MolliePayment,
    OrderStatus,
    Payment,
    PaymentMethod,
    RefundBatch,
    Settlement,
)
from cheques.models import format_structured_communication as communication_display
from cheques.models.orders import MAX_ORDER_QUANTITY
from cheques.sepa import Debtor, Transfer, build_credit_transfer
from cheques.services.bank_import import line_checksum
from cheques.services.cheques import electronic_serial
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_months, add_working_days, is_working_day
from wijkwerken.core.money import round_money

from . import identities
from .base import TZ, Org, at
from .people import DAY, ClientPlan, fee_rows
from .work import PrestatiePlan

MINUTE = datetime.timedelta(minutes=1)
IMPORT_WEEKDAYS = (0, 3)  # the organisers import their statements on Mondays and Thursdays
ZERO = Decimal("0.00")


STRAY_TEXTS = ("Huur feestzaal", "Gift", "Terugstorting", "Lidgeld", "Factuur 2023-114")


@dataclass(slots=True)
class ImportPlan:
    day: datetime.date
    at: datetime.datetime
    uploaded_by: int | None
    lines: list = field(default_factory=list)
    pk: int = 0


@dataclass(slots=True)
class LinePlan:
    client: ClientPlan | None
    payer_name: str
    booking: datetime.date
    amount: Decimal
    communication: str
    payer_iban: str
    status: str
    bank_import: ImportPlan
    reference: str
    note: str = ""
    handled_by: int | None = None
    handled_at: datetime.datetime | None = None
    pk: int = 0


@dataclass(slots=True)
class MolliePlan:
    order: "OrderPlan"
    mollie_id: str
    amount: Decimal
    status: str
    method: str
    created: datetime.datetime
    pk: int = 0


@dataclass(slots=True)
class PaymentPlan:
    order: "OrderPlan"
    amount: Decimal
    method: str
    received_on: datetime.date
    created: datetime.datetime
    created_by: int | None
    line: LinePlan | None = None
    mollie: MolliePlan | None = None


@dataclass(slots=True)
class OrderPlan:
    index: int  # creation order within the organiser: ids (and so the serials) follow it
    client: ClientPlan
    quantity: int
    price: Decimal
    fee_year: int | None
    fee_amount: Decimal
    ordered_on: datetime.date
    created: datetime.datetime
    due_on: datetime.date
    cancel_after: datetime.date
    communication: str
    created_by: int | None
    status: str = OrderStatus.OPEN
    paid_on: datetime.date | None = None
    cancelled_on: datetime.date | None = None
    issued_at: datetime.datetime | None = None
    expires_on: datetime.date | None = None
    cheques: list = field(default_factory=list)  # per sequence: None (still in the wallet) or its fate
    payments: list = field(default_factory=list)
    pk: int = 0

    @property
    def cheques_amount(self) -> Decimal:
        return round_money(self.price * self.quantity)

    @property
    def total(self) -> Decimal:
        return self.cheques_amount + self.fee_amount


@dataclass(slots=True)
class RefundPlan:
    number: int
    created: datetime.datetime
    execution_date: datetime.date
    created_by: int | None
    credits: list = field(default_factory=list)  # (client, amount, iban)
    pk: int = 0


class Ledger:
    """What the organiser's money simulation produces; `write_money` writes it."""

    def __init__(self, org: Org):
        self.org = org
        self.orders: list[OrderPlan] = []
        self.imports: dict[datetime.date, ImportPlan] = {}
        self.mollie: list[MolliePlan] = []
        self.credits: list[dict] = []
        self.refunds: dict[datetime.date, RefundPlan] = {}
        self.settlements: list[tuple] = []  # (prestatie, status, waiting since, paid at)
        self.fees: list[tuple] = []  # (client, {year: paid on})
        self.references = 0
        self.import_days = []
        day = org.start
        while day < org.reference:
            if day.weekday() in IMPORT_WEEKDAYS and is_working_day(day):
                self.import_days.append(day)
            day += DAY

    def statement_import(self, booking: datetime.date) -> ImportPlan | None:
        """The import that brings a transfer booked on `booking`: the first statement day after it. None when
        it is not imported before the reference day."""
        index = bisect.bisect_right(self.import_days, booking)
        if index >= len(self.import_days):
            return None
        day = self.import_days[index]
        found = self.imports.get(day)
        if found is None:
            rng = self.org.rng
            found = self.imports[day] = ImportPlan(
                day=day, at=at(day, 9, rng.randint(0, 50)),
                uploaded_by=self.org.staff_member(rng.choice((Role.BEHEERDER, Role.BEMIDDELAAR))))
        return found if found.at < self.org.world.cutoff else None

    def line(self, *, client: ClientPlan | None, payer_name: str, booked: datetime.date, amount: Decimal,
             communication: str, payer_iban: str, status: str) -> LinePlan | None:
        bank_import = self.statement_import(booked)
        if bank_import is None:
            return None
        self.references += 1
        return LinePlan(client=client, payer_name=payer_name[:200], booking=booked, amount=amount,
                        communication=communication, payer_iban=payer_iban, status=status, bank_import=bank_import,
                        reference=f"{booked:%y%m%d}{self.org.pk:03d}{self.references:08d}")

    def refund_batch(self, quarter_end: datetime.date) -> RefundPlan | None:
        found = self.refunds.get(quarter_end)
        if found is None:
            made = add_working_days(quarter_end, 1)
            created = at(made, 10, self.org.rng.randint(0, 59))
            if created >= self.org.world.cutoff:
                return None
            found = self.refunds[quarter_end] = RefundPlan(
                number=0, created=created, execution_date=add_working_days(made, 1),
                created_by=self.org.staff_member(Role.BEHEERDER))
        return found

    def stray_lines(self) -> None:
        """Transfers that are not for wijk-werken (a hall rent, a gift): staff discard them from the queue, or
        they still wait there."""
        rng, cutoff = self.org.rng, self.org.world.cutoff
        for day in sorted(self.imports):
            bank_import = self.imports[day]
            if not bank_import.lines or rng.random() > 0.04:
                continue
            first, last, _female = identities.person(rng)
            line = self.line(client=None, payer_name=f"{first} {last}", booked=day - DAY,
                             amount=round_money(Decimal(rng.randint(20, 250))), communication=rng.choice(STRAY_TEXTS),
                             payer_iban=identities.iban(rng)[0], status=LineStatus.UNMATCHED)
            if line is None:
                continue
            handled = at(add_working_days(day, rng.randint(1, 5)), rng.randint(9, 16), rng.randint(0, 59))
            if handled < cutoff:
                line.status, line.note = LineStatus.DISCARDED, "Geen betaling voor wijk-werken"
                line.handled_by, line.handled_at = self.org.staff_member(Role.BEMIDDELAAR), handled
            bank_import.lines.append(line)


def quarter_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [end for year in range(first.year, last.year + 1)
            for end in (datetime.date(year, 3, 31), datetime.date(year, 6, 30), datetime.date(year, 9, 30),
                        datetime.date(year, 12, 31)) if first <= end < last]


class ClientMoney:
    """One client's money, event by event in time."""

    def __init__(self, ledger: Ledger, client: ClientPlan, needs: list[PrestatiePlan]):
        self.ledger, self.org, self.client = ledger, ledger.org, client
        self.rng, self.cutoff = ledger.org.rng, ledger.org.world.cutoff
        self.events: list = []
        self.sequence = 0
        self.wallet: list = []  # heap of (expires on, order index, sequence, order): soonest expiry first
        self.in_wallet = 0
        self.waiting: list = []  # heap of (date, start, index, prestatie): oldest hours first
        self.waiting_cheques = 0
        self.needs_left = len(needs)
        self.in_flight: OrderPlan | None = None
        self.credit = ZERO
        self.fee_paid: dict[int, datetime.date] = {}
        self.orders: list[OrderPlan] = []
        self.payer_iban = client.iban or identities.iban(self.rng)[0]
        self.quarters = quarter_ends(client.registered, self.org.reference)
        self.stop_at = at(client.stopped_on, 18) if client.stopped_on else None
        self.now = at(client.registered, 8)
        span = max((needs[-1].confirmed_at - needs[0].confirmed_at).days, 30) if needs else 30
        self.monthly = sum(p.cheques for p in needs) * 30 / span
        self.cover_months = self.rng.choice((1, 1, 1, 2, 2))
        for index, prestatie in enumerate(needs):
            self.push(prestatie.confirmed_at, "need", (index, prestatie))

    def push(self, moment: datetime.datetime, kind: str, payload=None) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (moment, self.sequence, kind, payload))

    def run(self) -> None:
        client, rng = self.client, self.rng
        if not self.events and client.status in (ClientStatus.ACTIVE, ClientStatus.STOPPED) and rng.random() < 0.15:
            # Some clients buy cheques right after signing, before any work (and may never use them).
            self.push(at(client.signed_on + datetime.timedelta(days=rng.randint(1, 20)), 11), "order",
                      rng.choice((5, 10, 10)) if client.is_private else rng.choice((20, 30, 50)))
        if rng.random() < 0.005:
            booked = client.registered + datetime.timedelta(days=rng.randint(10, 400))
            self.push(at(booked, 12), "stray", round_money(Decimal(rng.choice((20, 25, 40, 50, 60)))))
        if client.stopped_on and rng.random() < 0.5:
            self.push(at(client.stopped_on + datetime.timedelta(days=rng.randint(3, 30)), 14), "return")
        history_starts = at(self.org.start, 0)
        while self.events:
            moment, _sequence, kind, payload = heapq.heappop(self.events)
            if moment >= self.cutoff:
                break
            if moment < history_starts:
                continue  # before the generated history: the client's money starts with it
            self.refund_quarters(moment)
            self.now = moment
            getattr(self, f"on_{kind}")(payload)
        self.refund_quarters(self.cutoff)
        self.finish()

    # --- events ------------------------------------------------------------------------------------------------

    def on_need(self, payload) -> None:
        _index, prestatie = payload
        heapq.heappush(self.waiting, (prestatie.date, prestatie.start, payload[0], prestatie))
        self.waiting_cheques += prestatie.cheques
        self.needs_left -= 1
        self.settle()
        self.maybe_order()

    def on_order(self, quantity) -> None:
        if self.in_flight is None and (self.stop_at is None or self.now < self.stop_at) \
                and self.now + 10 * MINUTE < self.cutoff:
            self.place(quantity)

    def on_paid(self, order: OrderPlan) -> None:
        order.status, order.issued_at = OrderStatus.PAID, self.now
        order.expires_on = add_months(order.paid_on, self.org.rules_on(order.paid_on).cheque_validity_months)
        order.cheques = [None] * order.quantity
        for sequence in range(1, order.quantity + 1):
            heapq.heappush(self.wallet, (order.expires_on, order.index, sequence, order))
        self.in_wallet += order.quantity
        if order.fee_year is not None:
            self.fee_paid[order.fee_year] = order.paid_on
        if self.in_flight is order:
            self.in_flight = None
        self.settle()
        self.maybe_order()

    def on_cancel(self, order: OrderPlan) -> None:
        order.status, order.cancelled_on = OrderStatus.CANCELLED, self.now.date()
        self.in_flight = None
        self.maybe_order()

    def on_partial(self, order: OrderPlan) -> None:
        if order.status == OrderStatus.OPEN:
            order.status = OrderStatus.PARTIALLY_PAID

    def on_credit(self, payload) -> None:
        """Money that became credit: paid too much, twice, or without an open order."""
        amount, kind, line, order = payload
        if kind == CreditKind.UNKNOWN_ORDER:
            if self.in_flight is not None:
                return  # the import would have paid the open order with it instead: this transfer is left out
            line.bank_import.lines.append(line)
        elif kind == CreditKind.ALREADY_PAID:
            line.bank_import.lines.append(line)
        self.add_credit(amount, kind, line, order, self.payer_iban,
                        line.handled_by or line.bank_import.uploaded_by if line else None)

    def on_stray(self, amount) -> None:
        from assignments.services.clients import structured_communication_for

        line = self.ledger.line(client=self.client, payer_name=self.client.name, booked=self.now.date(),
                                amount=amount, payer_iban=self.payer_iban, status=LineStatus.MATCHED,
                                communication=communication_display(structured_communication_for(self.client.number)))
        if line is not None:
            self.push(line.bank_import.at, "credit", (amount, CreditKind.UNKNOWN_ORDER, line, None))

    def on_return(self, _payload) -> None:
        """A client who stopped hands its unused cheques back: their value becomes credit, refunded with the next
        refund batch. (The application has no service for this yet; the credit row uses the kind "paid too much"
        on the order of the cheques.)"""
        if not self.client.iban:
            return
        self.drop_expired()
        returned = []
        while self.wallet:
            _expires, _index, sequence, order = heapq.heappop(self.wallet)
            order.cheques[sequence - 1] = ("refunded", self.now)
            returned.append(order)
        self.in_wallet = 0
        if returned:
            self.add_credit(sum((o.price for o in returned), ZERO), CreditKind.OVERPAYMENT, None, returned[-1], "",
                            self.org.staff_member(Role.BEMIDDELAAR))

    # --- cheques and settlement ------------------------------------------------------------------------------

    def drop_expired(self) -> None:
        today = self.now.date()
        while self.wallet and self.wallet[0][0] < today:
            heapq.heappop(self.wallet)  # never used: "vervallen" when written
            self.in_wallet -= 1

    def settle(self) -> None:
        """The client's waiting hours, oldest first, each with its cheques or not at all; the first that does
        not fit keeps every younger one waiting."""
        self.drop_expired()
        while self.waiting and self.in_wallet >= self.waiting[0][3].cheques:
            _date, _start, _index, prestatie = heapq.heappop(self.waiting)
            for _n in range(prestatie.cheques):
                _expires, _order_index, sequence, order = heapq.heappop(self.wallet)
                order.cheques[sequence - 1] = ("redeemed", prestatie, self.now)
            self.in_wallet -= prestatie.cheques
            self.waiting_cheques -= prestatie.cheques
            waited = prestatie.confirmed_at if self.now > prestatie.confirmed_at else None
            self.ledger.settlements.append((prestatie, "betaald", waited, self.now))

    def maybe_order(self) -> None:
        """Hours waiting: order within days. Wallet running low while work goes on: order now (mostly)."""
        if self.in_flight is not None:
            return
        rng = self.rng
        if self.waiting:
            self.push(self.now + datetime.timedelta(days=rng.randint(0, 10), hours=rng.randint(1, 6)), "order")
        elif self.in_wallet < self.monthly * 0.5 and (self.needs_left or rng.random() < 0.1) and rng.random() < 0.85:
            self.push(self.now + datetime.timedelta(hours=rng.randint(1, 72)), "order")

    def wanted(self) -> int:
        step, least = (5, 5) if self.client.is_private else (10, 20)
        want = max(self.waiting_cheques - self.in_wallet + int(self.monthly * self.cover_months), least)
        return min(-(-want // step) * step, MAX_ORDER_QUANTITY)

    # --- orders and payments -----------------------------------------------------------------------------------

    def place(self, quantity: int | None) -> None:
        org, rng, client, now = self.org, self.rng, self.client, self.now
        day = now.date()
        rules = org.rules_on(day)
        quantity = quantity or self.wanted()
        fee_year = day.year if day.year not in self.fee_paid else None
        due_on = day + datetime.timedelta(days=rules.order_payment_days)
        order = OrderPlan(
            index=len(self.ledger.orders), client=client, quantity=quantity, price=org.price(client.place.pk, day),
            fee_year=fee_year, fee_amount=rules.registration_fee if fee_year else ZERO, ordered_on=day,
            created=now, due_on=due_on, cancel_after=due_on + datetime.timedelta(days=rules.order_grace_days),
            communication=identities.order_communication(rng, org.world.order_communications,
                                                         f"{org.task.index % 1000:03d}"),
            created_by=None if client.contact_user_ids and rng.random() < 0.7 else org.staff_member(Role.BEMIDDELAAR))
        self.ledger.orders.append(order)
        self.orders.append(order)
        self.in_flight = order
        outstanding = order.total
        if self.credit > 0:
            used = min(self.credit, outstanding)
            moment = now + MINUTE
            order.payments.append(PaymentPlan(order=order, amount=used, method=PaymentMethod.CREDIT,
                                              received_on=day, created=moment, created_by=order.created_by))
            self.add_credit(-used, CreditKind.USED, None, order, "", order.created_by, moment)
            outstanding -= used
            if outstanding == 0:
                return self.paid(order, day, moment)
            self.push(moment, "partial", order)
        if client.contact_user_ids and rng.random() < 0.25:
            return self.pay_online(order, outstanding)
        return self.pay_by_transfer(order, outstanding)

    def paid(self, order: OrderPlan, paid_on: datetime.date, moment: datetime.datetime) -> None:
        """The order is paid in full at `moment` (when the payment is booked in the application)."""
        order.paid_on = paid_on
        self.push(moment, "paid", order)

    def pay_online(self, order: OrderPlan, amount: Decimal) -> None:
        rng, now, used = self.rng, self.now, self.org.world.mollie_ids
        method = rng.choice(("bancontact", "bancontact", "payconiq", "creditcard"))
        if rng.random() < 0.1:  # a first attempt, abandoned
            self.ledger.mollie.append(MolliePlan(order=order, mollie_id=identities.mollie_id(rng, used), amount=amount,
                                                 status=rng.choice(("canceled", "expired", "failed")), method=method,
                                                 created=now))
        moment = now + datetime.timedelta(minutes=rng.randint(2, 20))
        mollie = MolliePlan(order=order, mollie_id=identities.mollie_id(rng, used), amount=amount, status="paid",
                            method=method, created=moment - MINUTE)
        self.ledger.mollie.append(mollie)
        order.payments.append(PaymentPlan(order=order, amount=amount, method=PaymentMethod.ONLINE,
                                          received_on=moment.date(), created=moment, created_by=None, mollie=mollie))
        self.paid(order, moment.date(), moment)

    def transfer(self, booked: datetime.date, amount: Decimal, communication: str, status: str) -> LinePlan | None:
        return self.ledger.line(client=self.client, payer_name=self.client.name, booked=booked, amount=amount,
                                communication=communication, payer_iban=self.payer_iban, status=status)

    def pay_by_transfer(self, order: OrderPlan, amount: Decimal) -> None:
        rng, day = self.rng, self.now.date()
        roll = rng.random()
        if roll < 0.03 and not order.payments:  # never paid: the daily job cancels it after the grace period
            self.push(at(order.cancel_after + DAY, 6), "cancel", order)
            return
        booked = day + datetime.timedelta(days=rng.randint(15, 30) if roll < 0.10 else rng.randint(1, 6))
        communication = communication_display(order.communication)
        if roll < 0.13:  # paid in two parts
            first = round_money(amount * Decimal(rng.choice(("0.5", "0.4", "0.6"))))
            line = self.transfer(booked, first, communication, LineStatus.MATCHED)
            if line is None:
                return
            line.bank_import.lines.append(line)
            self.bank_payment(order, first, line, line.bank_import.at)
            self.push(line.bank_import.at, "partial", order)
            booked += datetime.timedelta(days=rng.randint(3, 15))
            amount -= first
        status, extra = LineStatus.MATCHED, ZERO
        if roll > 0.98:  # no usable communication: the transfer waits in the queue for staff
            communication, status = f"wijk-werkcheques {self.client.name}", LineStatus.UNMATCHED
        elif roll > 0.95:
            communication = order.communication  # typed as twelve digits, without the +++ layout
        elif roll < 0.15:
            extra = round_money(Decimal(rng.choice(("0.50", "1.00", "5.00", "10.00", "7.50"))))
        line = self.transfer(booked, amount + extra, communication, status)
        if line is None:
            return
        line.bank_import.lines.append(line)
        moment = line.bank_import.at
        if status == LineStatus.UNMATCHED:
            moment = at(add_working_days(line.bank_import.day, rng.randint(1, 6)), rng.randint(9, 16),
                        rng.randint(0, 59))
            if moment >= self.cutoff:
                return  # still in the queue on the reference day; the order waits
            line.status, line.note = LineStatus.ASSIGNED, "Op naam van de gebruiker: gekoppeld aan de bestelling"
            line.handled_by, line.handled_at = self.org.staff_member(Role.BEMIDDELAAR), moment
        self.bank_payment(order, amount, line, moment)
        if extra:
            self.push(moment, "credit", (extra, CreditKind.OVERPAYMENT, line, order))
        self.paid(order, booked, moment)
        if rng.random() < 0.01:  # the same transfer a second time: the order is paid already, it becomes credit
            again = self.transfer(booked + datetime.timedelta(days=rng.randint(2, 10)), amount + extra,
                                  communication_display(order.communication), LineStatus.ALREADY_PAID)
            if again is not None:
                self.push(again.bank_import.at, "credit", (amount + extra, CreditKind.ALREADY_PAID, again, order))

    def bank_payment(self, order: OrderPlan, amount: Decimal, line: LinePlan, moment: datetime.datetime) -> None:
        order.payments.append(PaymentPlan(order=order, amount=amount, method=PaymentMethod.BANK_TRANSFER,
                                          received_on=line.booking, created=moment,
                                          created_by=line.handled_by or line.bank_import.uploaded_by, line=line))

    # --- credit -------------------------------------------------------------------------------------------------

    def add_credit(self, amount: Decimal, kind: str, line: LinePlan | None, order: OrderPlan | None,
                   payer_iban: str, created_by: int | None, moment: datetime.datetime | None = None) -> None:
        self.credit += amount
        self.ledger.credits.append({"client": self.client, "amount": amount, "kind": kind, "line": line,
                                    "order": order, "payer_iban": payer_iban, "refund": None, "refund_iban": "",
                                    "created": moment or self.now, "created_by": created_by})

    def refund_quarters(self, until: datetime.datetime) -> None:
        """At each quarter's end the organiser refunds the credit of the clients who asked (most do)."""
        while self.quarters and at(self.quarters[0], 23) < until:
            quarter = self.quarters.pop(0)
            if self.credit <= 0 or self.rng.random() > 0.8:
                continue
            batch = self.ledger.refund_batch(quarter)
            if batch is None:
                continue
            iban = stdnum_iban.compact(self.client.iban or self.payer_iban)
            batch.credits.append((self.client, self.credit, iban))
            self.ledger.credits.append({"client": self.client, "amount": -self.credit, "kind": CreditKind.REFUNDED,
                                        "line": None, "order": None, "payer_iban": "", "refund": batch,
                                        "refund_iban": iban, "created": batch.created, "created_by": batch.created_by})
            self.credit = ZERO

    # --- the end -------------------------------------------------------------------------------------------------

    def finish(self) -> None:
        for _date, _start, _index, prestatie in sorted(self.waiting, key=lambda w: (w[0], w[1], w[2])):
            self.ledger.settlements.append((prestatie, "te_betalen", prestatie.confirmed_at, None))
        self.fee_payments()
        self.ledger.fees.append((self.client, self.fee_paid))

    def fee_payments(self) -> None:
        """The registration year is paid with the first order, or at the desk when that year had no order (or
        only cancelled ones); a later year without any order sometimes at the desk. A client whose first order is
        still open is not active yet."""
        client, rng, reference = self.client, self.rng, self.org.reference
        if client.status in (ClientStatus.APPLIED, ClientStatus.AGREEMENT_SIGNED):
            return
        first_year = client.registered.year
        ordered_in = defaultdict(list)
        for order in self.orders:
            ordered_in[order.ordered_on.year].append(order)
        if first_year not in self.fee_paid:
            orders = ordered_in.get(first_year, [])
            if any(o.status in (OrderStatus.OPEN, OrderStatus.PARTIALLY_PAID) for o in orders):
                if client.status == ClientStatus.ACTIVE:
                    client.status = ClientStatus.AGREEMENT_SIGNED
            else:
                after = max([o.cancelled_on for o in orders] + [client.signed_on])
                paid = after + datetime.timedelta(days=rng.randint(0, 5))
                if paid < reference and (client.stopped_on is None or paid <= client.stopped_on):
                    self.fee_paid[first_year] = paid
        for year in range(first_year + 1, (client.stopped_on or reference).year + 1):
            if year in self.fee_paid or year in ordered_in or rng.random() > 0.3:
                continue
            paid = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(9, 80))
            if paid < reference and (client.stopped_on is None or paid < client.stopped_on):
                self.fee_paid[year] = paid
        if client.status in (ClientStatus.ACTIVE, ClientStatus.STOPPED):
            client.activated_on = self.fee_paid.get(first_year)


def simulate(org: Org, clients: list[ClientPlan], prestaties: list[PrestatiePlan]) -> Ledger:
    ledger = Ledger(org)
    needs: dict = {}
    for prestatie in prestaties:
        if prestatie.status == PrestatieStatus.CONFIRMED:
            needs.setdefault(prestatie.assignment.request.client.index, []).append(prestatie)
    for client in clients:
        wanted = sorted(needs.get(client.index, ()), key=lambda p: (p.confirmed_at, p.date, p.start))
        ClientMoney(ledger, client, wanted).run()
    ledger.stray_lines()
    return ledger


# --- writing ---------------------------------------------------------------------------------------------------

def _reminder(order: OrderPlan, reference: datetime.date) -> datetime.date | None:
    """The daily job reminds once, the day after the due date, when the order is still unpaid then."""
    day = order.due_on + DAY
    if day >= reference or day > order.cancel_after:
        return None
    if order.status == OrderStatus.PAID and order.issued_at.date() < day:
        return None
    return day


def write_money(org: Org, ledger: Ledger) -> None:
    store, world, reference = org.world.store, org.world, org.reference
    rows, keys = [], []
    for client, paid in ledger.fees:
        for row in fee_rows(org, client, paid):
            rows.append(row)
            keys.append((client.index, row["year"]))
    fee_ids = dict(zip(keys, store.insert(RegistrationFee, rows, with_ids=True), strict=True))

    orders = sorted(ledger.orders, key=lambda o: o.index)
    rows = []
    for o in orders:
        paid_in = sum((p.amount for p in o.payments if p.created < world.cutoff), ZERO)
        rows.append({
            "organiser_id": org.pk, "client_id": o.client.pk, "structured_communication": o.communication,
            "quantity": o.quantity, "cheque_price": o.price, "cheques_amount": o.cheques_amount,
            "fee_id": fee_ids[(o.client.index, o.fee_year)] if o.fee_year is not None else None,
            "fee_amount": o.fee_amount, "total": o.total, "amount_paid": paid_in, "status": o.status,
            "ordered_on": o.ordered_on, "due_on": o.due_on, "cancel_after": o.cancel_after,
            "reminder_sent_on": _reminder(o, reference),
            "paid_on": o.paid_on if o.status == OrderStatus.PAID else None, "cancelled_on": o.cancelled_on,
            "cancel_reason": "Niet tijdig betaald" if o.status == OrderStatus.CANCELLED else "",
            "cheques_issued_at": o.issued_at, "pdf": "", "created_by_id": o.created_by, "created_at": o.created})
    for order, pk in zip(orders, store.insert(ChequeOrder, rows, with_ids=True), strict=True):
        order.pk = pk

    imports = sorted((i for i in ledger.imports.values() if i.lines), key=lambda i: i.day)
    account = stdnum_iban.compact(org.organiser.iban)
    coda = org.rng.random() < 0.6
    rows = []
    for bank_import in imports:
        automatic = sum(1 for line in bank_import.lines if line.status in (LineStatus.MATCHED, LineStatus.ALREADY_PAID))
        rows.append({
            "organiser_id": org.pk, "file": "", "file_format": "coda" if coda else "camt053",
            "original_name": f"{org.slug}-{bank_import.day:%Y%m%d}.{'cod' if coda else 'xml'}", "status": "klaar",
            "account_iban": account, "lines_total": len(bank_import.lines), "lines_new": len(bank_import.lines),
            "lines_matched": automatic, "lines_unmatched": len(bank_import.lines) - automatic,
            "uploaded_by_id": bank_import.uploaded_by, "created_at": bank_import.at,
            "finished_at": bank_import.at + MINUTE})
    for bank_import, pk in zip(imports, store.insert(BankImport, rows, with_ids=True), strict=True):
        bank_import.pk = pk

    lines = [line for bank_import in imports for line in bank_import.lines]
    rows = []
    for position, line in enumerate(lines):
        parsed = ParsedLine(booking_date=line.booking, amount=line.amount, credit=True,
                            communication=line.communication, payer_iban=line.payer_iban,
                            bank_reference=line.reference)
        rows.append({
            "organiser_id": org.pk, "bank_import_id": line.bank_import.pk,
            "checksum": line_checksum(account, parsed, 1), "booking_date": line.booking, "amount": line.amount,
            "payer_name": line.payer_name, "payer_iban": line.payer_iban, "communication": line.communication,
            "bank_reference": line.reference, "source_line": position % 500 + 1, "status": line.status,
            "client_id": line.client.pk if line.client and line.status not in (LineStatus.UNMATCHED,
                                                                                LineStatus.DISCARDED) else None,
            "note": line.note, "handled_by_id": line.handled_by, "handled_at": line.handled_at,
            "created_at": line.bank_import.at})
    for line, pk in zip(lines, store.insert(BankLine, rows, with_ids=True), strict=True):
        line.pk = pk

    rows = [{"organiser_id": org.pk, "order_id": m.order.pk, "mollie_id": m.mollie_id, "amount": m.amount,
             "status": m.status, "method": m.method, "checkout_url": "", "created_at": m.created,
             "updated_at": m.created + MINUTE} for m in ledger.mollie if m.created < world.cutoff]
    mollie = [m for m in ledger.mollie if m.created < world.cutoff]
    for payment, pk in zip(mollie, store.insert(MolliePayment, rows, with_ids=True), strict=True):
        payment.pk = pk

    store.insert(Payment, [{
        "organiser_id": org.pk, "order_id": p.order.pk, "amount": p.amount, "method": p.method,
        "received_on": p.received_on, "bank_line_id": p.line.pk if p.line else None,
        "online_payment_id": p.mollie.pk if p.mollie else None, "created_by_id": p.created_by,
        "created_at": p.created} for o in orders for p in o.payments if p.created < world.cutoff])

    _write_refund_batches(org, ledger)
    store.insert(ClientCredit, [{
        "organiser_id": org.pk, "client_id": c["client"].pk, "amount": c["amount"], "kind": c["kind"],
        "bank_line_id": c["line"].pk if c["line"] else None, "order_id": c["order"].pk if c["order"] else None,
        "payer_iban": c["payer_iban"], "refund_batch_id": c["refund"].pk if c["refund"] else None,
        "refund_iban": c["refund_iban"], "created_by_id": c["created_by"], "created_at": c["created"]}
        for c in ledger.credits])
    _write_cheques(org, orders)
    store.insert(Settlement, [{
        "organiser_id": org.pk, "client_id": p.assignment.request.client.pk, "prestatie_id": p.pk,
        "status": status, "cheques": p.cheques, "waiting_since": waiting, "paid_at": paid,
        "created_at": waiting or paid} for p, status, waiting, paid in ledger.settlements])


def _write_cheques(org: Org, orders: list[OrderPlan]) -> None:
    """The cheques of every paid order, with the serial the application gives them (`electronic_serial`)."""
    rows = []
    for order in orders:
        if order.status != OrderStatus.PAID:
            continue
        key = SimpleNamespace(pk=order.pk)
        for sequence, fate in enumerate(order.cheques, start=1):
            row = {"organiser_id": org.pk, "client_id": order.client.pk, "order_id": order.pk, "sequence": sequence,
                   "serial": electronic_serial(key, sequence), "kind": "elektronisch", "value": order.price,
                   "issued_on": order.paid_on, "expires_on": order.expires_on, "created_at": order.issued_at}
            if fate is None:
                row["status"] = "vervallen" if order.expires_on < org.reference else "beschikbaar"
            elif fate[0] == "redeemed":
                row.update(status="gebruikt", prestatie_id=fate[1].pk, redeemed_at=fate[2])
            else:
                row["status"] = "terugbetaald"
            rows.append(row)
    org.world.store.insert(Cheque, rows)


def _write_refund_batches(org: Org, ledger: Ledger) -> None:
    """One SEPA file per quarter that refunded something, made and validated by the application's writer."""
    batches = [ledger.refunds[quarter] for quarter in sorted(ledger.refunds) if ledger.refunds[quarter].credits]
    organiser = org.organiser
    debtor = Debtor(name=organiser.name, iban=organiser.iban, bic=organiser.bic,
                    address_lines=(organiser.street, f"{organiser.postcode} {organiser.city}"),
                    organisation_id="".join(ch for ch in organiser.kbo_number if ch.isdigit()))
    rows = []
    for number, batch in enumerate(batches, start=1):
        batch.number = number
        message_id = f"WW{organiser.pk}-TB{number}-{batch.created.astimezone(TZ):%Y%m%d%H%M%S}"
        transfers = [Transfer(end_to_end_id=f"TB{number}-{client.number}", amount=amount, creditor_name=client.name,
                              creditor_iban=iban, remittance=f"Terugbetaling tegoed wijk-werken {client.number}")
                     for client, amount, iban in batch.credits]
        content = build_credit_transfer(message_id=message_id, payment_id=f"TB{number}", created_at=batch.created,
                                        execution_date=batch.execution_date, transfers=transfers, debtor=debtor)
        name = default_storage.save(f"refund_batches/{org.slug}-terugbetaling-{number}.xml", ContentFile(content))
        rows.append({"organiser_id": organiser.pk, "number": number, "message_id": message_id,
                     "execution_date": batch.execution_date, "total": sum((a for _c, a, _i in batch.credits), ZERO),
                     "count": len(batch.credits), "file": name, "created_by_id": batch.created_by,
                     "created_at": batch.created})
    for batch, pk in zip(batches, org.world.store.insert(RefundBatch, rows, with_ids=True), strict=True):
        batch.pk = pk
