"""Orders: create, cancel, remind and cancel overdue ones, and put money on them (`payments_apply`)."""

import datetime
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.be import ogm_vcs

from assignments.models import Client, ClientStatus, FeeStatus, RegistrationFee
from assignments.services.clients import registration_fee_mark_paid
from wijkwerken.core.audit import audit_log, audit_log_objects
from wijkwerken.core.bulk import bulk_insert
from wijkwerken.core.dates import today
from wijkwerken.core.money import format_euro, round_money
from wijkwerken.core.rules import rules_for
from wijkwerken.core.tasks import send_email

from ..models import (
    MAX_ORDER_QUANTITY,
    MIN_ORDER_QUANTITY,
    OPEN_ORDER_STATUSES,
    ChequeOrder,
    ClientCredit,
    CreditKind,
    OrderStatus,
    Payment,
    format_structured_communication,
)
from ..references import structured_communications_in
from ..tasks import enqueue_cheque_issue
from ._common import lock, on_behalf_of

ORDER_COMMUNICATION_PREFIX = "9"  # client communications start with 0 (gebruikersnummer), orders with 9


def new_order_communication() -> str:
    """A fresh, unguessable structured communication: "9" + 9 random digits + the mod-97 check digits."""
    while True:
        base = ORDER_COMMUNICATION_PREFIX + f"{secrets.randbelow(10**9):09d}"
        value = base + ogm_vcs.calc_check_digits(base)
        if not ChequeOrder.objects.filter(structured_communication=value).exists():
            return value


def _quantity(value) -> int:
    try:
        quantity = int(str(value).strip()) if not isinstance(value, bool) else 0
    except ValueError:
        quantity = 0
    if not MIN_ORDER_QUANTITY <= quantity <= MAX_ORDER_QUANTITY:
        raise ValidationError({"quantity": ValidationError(
            _("Order between %(min)s and %(max)s cheques.") % {"min": MIN_ORDER_QUANTITY, "max": MAX_ORDER_QUANTITY},
            code="quantity_out_of_range")})
    return quantity


def _due_fee(client: Client, year: int) -> RegistrationFee | None:
    """This year's fee when it is due and not already asked on another order that is not cancelled."""
    return (RegistrationFee.objects.filter(client=client, year=year, status=FeeStatus.DUE)
            .exclude(cheque_orders__status__in=[*OPEN_ORDER_STATUSES, OrderStatus.PAID]).first())


def cheque_order_quote(*, client: Client, quantity: int, on: datetime.date | None = None) -> dict:
    """What an order would cost today: price per cheque, the fee when due and the total (nothing is saved)."""
    on = on or today()
    rules = rules_for(municipality=client.municipality, on=on)
    fee = _due_fee(client, on.year)
    cheques_amount = round_money(rules.cheque_price * quantity)
    fee_amount = fee.amount if fee else Decimal("0.00")
    return {"cheque_price": rules.cheque_price, "cheques_amount": cheques_amount, "fee": fee,
            "fee_amount": fee_amount, "total": cheques_amount + fee_amount, "rules": rules}


def cheque_order_create(*, client: Client, quantity, actor, communication: str | None = None,
                        confirmation_now: bool = True) -> ChequeOrder:
    """A client (or staff for the client) orders `quantity` cheques; the year's fee is added when due.

    `communication` is a pre-printed structured communication (a paper order form, the demo); normally a
    fresh one is drawn. The order confirmation PDF is rendered after the commit; with `confirmation_now=False`
    (orders the demo writes in bulk) it is rendered when someone first downloads it.
    """
    quantity = _quantity(quantity)
    if communication is not None and (not ogm_vcs.is_valid(communication)
                                      or ChequeOrder.objects.filter(structured_communication=communication).exists()):
        raise ValidationError(_("This structured communication is not valid or already used."),
                              code="invalid_communication")
    with transaction.atomic():
        client = lock(Client.objects.select_related("municipality", "organiser")).get(pk=client.pk)
        if client.status == ClientStatus.STOPPED:
            raise ValidationError(_("This client has stopped: no new orders."), code="client_stopped")
        on = today()
        quote = cheque_order_quote(client=client, quantity=quantity, on=on)
        rules = quote["rules"]
        due_on = on + datetime.timedelta(days=rules.order_payment_days)
        order = ChequeOrder(
            organiser=client.organiser, client=client, quantity=quantity, cheque_price=quote["cheque_price"],
            cheques_amount=quote["cheques_amount"], fee=quote["fee"], fee_amount=quote["fee_amount"],
            total=quote["total"], ordered_on=on, due_on=due_on,
            cancel_after=due_on + datetime.timedelta(days=rules.order_grace_days),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for _attempt in range(5):
            order.structured_communication = communication or new_order_communication()
            order.full_clean()
            try:
                with transaction.atomic():
                    order.save()
                break
            except IntegrityError:
                if _attempt == 4:
                    raise
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=order, action="cheque_order.create",
                  summary=ngettext("Ordered %(quantity)s cheque for %(total)s (%(communication)s)",
                                   "Ordered %(quantity)s cheques for %(total)s (%(communication)s)", quantity)
                  % {"quantity": quantity, "total": format_euro(order.total),
                     "communication": order.structured_communication_display},
                  changes={"quantity": quantity, "cheque_price": order.cheque_price, "fee": order.fee_amount,
                           "total": order.total})
        order_id = order.pk
        if confirmation_now:
            transaction.on_commit(lambda: _render_pdf_later(order_id))
    return order


def _render_pdf_later(order_id: int) -> None:
    from ..tasks import render_order_pdf

    render_order_pdf.delay(order_id)


def cheque_order_cancel(*, order: ChequeOrder, actor, reason: str = "") -> ChequeOrder:
    """Cancel an order nothing was paid on yet (the client changed their mind, or staff)."""
    with transaction.atomic():
        order = lock(ChequeOrder.objects.select_related("client")).get(pk=order.pk)
        if not order.can_cancel():
            raise ValidationError(_("Only an open order without payments can be cancelled."), code="cannot_cancel")
        order.status = OrderStatus.CANCELLED
        order.cancelled_on = today()
        order.cancel_reason = reason[:300]
        order.pdf = ""
        order.save(update_fields=["status", "cancelled_on", "cancel_reason", "pdf"])
        audit_log(actor=actor, on_behalf_of=on_behalf_of(order.client, actor), obj=order,
                  action="cheque_order.cancel", summary=_("Order cancelled") + (f": {reason}" if reason else ""))
    return order


def cheque_orders_send_reminders(*, on: datetime.date | None = None) -> int:
    """Daily: one reminder for each order past its due date and still unpaid, before the grace period ends."""
    on = on or today()
    with transaction.atomic():
        orders = list(ChequeOrder.objects.select_for_update(skip_locked=True, no_key=True, of=("self",)).filter(
            status__in=OPEN_ORDER_STATUSES, due_on__lt=on, cancel_after__gte=on, reminder_sent_on__isnull=True,
        ).select_related("client", "organiser").order_by("pk"))
        if not orders:
            return 0
        ChequeOrder.objects.filter(pk__in=[o.pk for o in orders]).update(reminder_sent_on=on)
        audit_log_objects((None, "cheque_order.remind", _("Payment reminder sent"), o, {}) for o in orders)
        for order in orders:
            if order.client.email:
                subject, body = _reminder_mail(order)
                transaction.on_commit(lambda s=subject, b=body, to=order.client.email: send_email.delay(s, b, [to]))
    return len(orders)


def _reminder_mail(order: ChequeOrder) -> tuple[str, str]:
    subject = _("Reminder: your order of wijk-werkcheques")
    body = ngettext(
        "Dear %(name)s,\n\nWe have not yet received the full payment for your order of %(quantity)s cheque "
        "of %(date)s. Please transfer %(amount)s to %(iban)s with the structured communication "
        "%(communication)s. Without payment the order is cancelled after %(cancel)s.\n\nKind regards,\n%(organiser)s",
        "Dear %(name)s,\n\nWe have not yet received the full payment for your order of %(quantity)s cheques "
        "of %(date)s. Please transfer %(amount)s to %(iban)s with the structured communication "
        "%(communication)s. Without payment the order is cancelled after %(cancel)s.\n\nKind regards,\n%(organiser)s",
        order.quantity,
    ) % {"name": order.client.name, "quantity": order.quantity, "date": order.ordered_on.strftime("%d/%m/%Y"),
         "amount": format_euro(order.outstanding), "iban": order.organiser.iban,
         "communication": order.structured_communication_display,
         "cancel": order.cancel_after.strftime("%d/%m/%Y"), "organiser": order.organiser.name}
    return subject, body


def cheque_orders_cancel_overdue(*, on: datetime.date | None = None) -> int:
    """Daily: orders without any payment whose grace period ended are cancelled in one UPDATE.

    Never on the due date itself: `cancel_after` is the due date plus the grace days for bank delays.
    """
    on = on or today()
    with transaction.atomic():
        orders = list(ChequeOrder.objects.select_for_update(skip_locked=True, no_key=True).filter(
            status=OrderStatus.OPEN, amount_paid=0, cancel_after__lt=on).order_by("pk"))
        if not orders:
            return 0
        ChequeOrder.objects.filter(pk__in=[o.pk for o in orders], status=OrderStatus.OPEN).update(
            status=OrderStatus.CANCELLED, cancelled_on=on, cancel_reason=_("Not paid in time"), pdf="")
        audit_log_objects((None, "cheque_order.cancel", _("Order cancelled: not paid in time"), o, {}) for o in orders)
    return len(orders)


# --- money on orders ---------------------------------------------------------------------------------------

@dataclass
class Receipt:
    """Money that arrived for `order_ids` (in that order) or, without orders, for `client_id`."""

    amount: Decimal
    received_on: datetime.date
    method: str
    order_ids: list[int] = field(default_factory=list)
    client_id: int | None = None
    bank_line_id: int | None = None
    online_payment_id: int | None = None
    payer_iban: str = ""


@dataclass
class ReceiptResult:
    orders: list[ChequeOrder]
    already_paid: bool
    credit: Decimal
    client_id: int | None


def payments_apply(*, organiser, receipts: list[Receipt], actor) -> list[ReceiptResult]:
    """Put each receipt's money on its orders, oldest reference first; what is left becomes client credit.

    Set-based: the orders are locked in one query, payments and credits are inserted in bulk. An order that
    becomes paid has its registration fee marked paid, and its cheques issued by a task after the commit
    (once: see `cheques_issue`). Locks in the package's order: the orders, then the fees and the clients of
    the orders that became paid with a fee.
    """

    results = []
    payment_summary = _("Payment of %(amount)s received (%(method)s)")
    with transaction.atomic():
        order_ids = sorted({pk for receipt in receipts for pk in receipt.order_ids})
        orders = {o.pk: o for o in lock(ChequeOrder.objects.filter(pk__any=order_ids, organiser=organiser))}
        payments, credits, newly_paid, touched, entries = [], [], [], {}, []
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        for receipt in receipts:
            remaining = receipt.amount
            received = []
            for order_id in receipt.order_ids:
                order = orders.get(order_id)
                if order is None or not order.is_open or remaining <= 0:
                    continue
                part = min(remaining, order.outstanding)
                payments.append({
                    "organiser_id": organiser.pk, "order_id": order.pk, "amount": part, "method": receipt.method,
                    "received_on": receipt.received_on, "bank_line_id": receipt.bank_line_id,
                    "online_payment_id": receipt.online_payment_id, "created_by_id": actor_id})
                order.amount_paid += part
                remaining -= part
                status = OrderStatus.PAID if order.amount_paid >= order.total else OrderStatus.PARTIALLY_PAID
                if status != order.status:
                    if not order.can_change_to(status):
                        raise ValidationError(_("This order cannot change to %(status)s.") % {"status": status},
                                              code="bad_transition")
                    order.status = status
                    if status == OrderStatus.PAID:
                        order.paid_on = receipt.received_on
                        newly_paid.append(order)
                order.pdf = ""  # the confirmation is rendered again on the next download
                touched[order.pk] = order
                received.append(order)
                entries.append((actor, "cheque_order.payment",
                                payment_summary % {"amount": format_euro(part), "method": receipt.method}, order,
                                {"amount": part, "status": order.status}))
            client_id = receipt.client_id
            if client_id is None and receipt.order_ids and receipt.order_ids[0] in orders:
                client_id = orders[receipt.order_ids[0]].client_id
            already_paid = bool(receipt.order_ids) and not received
            if remaining > 0 and client_id is not None:
                kind = (CreditKind.ALREADY_PAID if already_paid else
                        CreditKind.OVERPAYMENT if received else CreditKind.UNKNOWN_ORDER)
                about = received[-1] if received else orders.get(receipt.order_ids[0]) if receipt.order_ids else None
                credits.append({
                    "organiser_id": organiser.pk, "client_id": client_id, "amount": remaining, "kind": kind,
                    "bank_line_id": receipt.bank_line_id, "order_id": about.pk if about else None,
                    "payer_iban": receipt.payer_iban, "created_by_id": actor_id})
            results.append(ReceiptResult(orders=received, already_paid=already_paid, credit=remaining,
                                         client_id=client_id))
        _save_order_states(touched.values())
        bulk_insert(Payment, payments)
        bulk_insert(ClientCredit, credits)
        audit_log_objects(entries)
        if newly_paid:
            enqueue_cheque_issue((order.pk for order in newly_paid), actor)
            with_fee = sorted((order for order in newly_paid if order.fee_id), key=lambda order: order.fee_id)
            if with_fee:
                list(lock(RegistrationFee.objects.filter(pk__in=[order.fee_id for order in with_fee])))
                list(lock(Client.objects.filter(pk__in={order.client_id for order in with_fee})))
            for order in with_fee:
                _mark_fee_paid(order, actor)
    return results


def _save_order_states(orders) -> None:
    """One UPDATE per distinct (amount paid, status, paid on): a handful of queries for thousands of orders
    (Django's bulk_update builds one CASE per row, which is slow at this size)."""
    groups = defaultdict(list)
    for order in orders:
        groups[(order.amount_paid, order.status, order.paid_on)].append(order.pk)
    for (amount_paid, status, paid_on), ids in groups.items():
        for start in range(0, len(ids), 5000):
            ChequeOrder.objects.filter(pk__any=ids[start:start + 5000]).update(
                amount_paid=amount_paid, status=status, paid_on=paid_on, pdf="")


def _mark_fee_paid(order: ChequeOrder, actor) -> None:
    fee = RegistrationFee.objects.select_related("client").get(pk=order.fee_id)
    if fee.is_paid:
        return
    registration_fee_mark_paid(fee=fee, paid_on=min(order.paid_on, today()), actor=actor)


def order_for_communication(*, organiser, text: str) -> ChequeOrder | None:
    """The organiser's order whose structured communication appears in `text`, typed in any form."""
    found = structured_communications_in(text)
    return ChequeOrder.objects.filter(organiser=organiser, structured_communication__in=found).first()


def order_payment_instructions(order: ChequeOrder) -> dict:
    return {"iban": order.organiser.iban, "bic": order.organiser.bic, "amount": order.outstanding,
            "communication": format_structured_communication(order.structured_communication),
            "beneficiary": order.organiser.name}
