"""What the money simulation plans: orders, payments, bank statements and lines, online payments, refund
batches, and the organiser's `Ledger` that collects them."""

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from cheques.models import LineStatus, OrderStatus
from wijkwerken.accounts.models import Role
from wijkwerken.core.dates import add_working_days, is_working_day
from wijkwerken.core.money import round_money

from .. import identities
from ..base import Org, at
from ..people import DAY, ClientPlan

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
        they still wait there. The last statement before the reference day holds one such line in twenty (at
        least one), not looked at yet: every organiser has a queue, in proportion to its size."""
        rng, cutoff = self.org.rng, self.org.world.cutoff
        imported = [day for day in sorted(self.imports) if self.imports[day].lines and self.imports[day].at < cutoff]
        for day in imported:
            bank_import = self.imports[day]
            waiting = max(1, len(bank_import.lines) // 20) if day == imported[-1] else 0
            for _ in range(waiting):
                self._stray(bank_import, day, handled=False)
            if rng.random() <= 0.04:
                self._stray(bank_import, day, handled=True)

    def _stray(self, bank_import: ImportPlan, day: datetime.date, *, handled: bool) -> None:
        rng, cutoff = self.org.rng, self.org.world.cutoff
        first, last, _female = identities.person(rng)
        line = self.line(client=None, payer_name=f"{first} {last}", booked=day - DAY,
                         amount=round_money(Decimal(rng.randint(20, 250))), communication=rng.choice(STRAY_TEXTS),
                         payer_iban=identities.iban(rng)[0], status=LineStatus.UNMATCHED)
        if line is None:
            return
        moment = at(add_working_days(day, rng.randint(1, 5)), rng.randint(9, 16), rng.randint(0, 59))
        if handled and moment < cutoff:
            line.status, line.note = LineStatus.DISCARDED, "Geen betaling voor wijk-werken"
            line.handled_by, line.handled_at = self.org.staff_member(Role.BEMIDDELAAR), moment
        bank_import.lines.append(line)


def quarter_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [end for year in range(first.year, last.year + 1)
            for end in (datetime.date(year, 3, 31), datetime.date(year, 6, 30), datetime.date(year, 9, 30),
                        datetime.date(year, 12, 31)) if first <= end < last]
