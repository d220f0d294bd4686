"""One client's money, event by event in time (see the package's docstring for the rules)."""

import datetime
import heapq
from collections import defaultdict
from decimal import Decimal

from stdnum import iban as stdnum_iban

from assignments.models import ClientStatus, PrestatieStatus
from cheques.models import (
    CreditKind,
    LineStatus,
    OrderStatus,
    PaymentMethod,
)
from cheques.models import format_structured_communication as communication_display
from cheques.models.orders import MAX_ORDER_QUANTITY
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_months, add_working_days
from wijkwerken.core.money import round_money

from .. import identities
from ..base import Org, at
from ..people import DAY, ClientPlan
from ..work import PrestatiePlan
from .ledger import MINUTE, ZERO, Ledger, LinePlan, MolliePlan, OrderPlan, PaymentPlan, quarter_ends


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
        refund batch, once nothing is pending any more (no hours waiting, no order on its way). (The application
        has no service for this yet; the credit row uses the kind "paid too much" on the order of the cheques.)"""
        if not self.client.iban or self.waiting or self.in_flight is not None:
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
        booked = day + datetime.timedelta(days=rng.randint(1, 6))
        if roll < 0.10:  # late, after a reminder; still known before the grace period ends (else it is cancelled)
            booked = min(order.due_on + datetime.timedelta(days=rng.randint(1, 8)),
                         order.cancel_after - datetime.timedelta(days=5))
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
