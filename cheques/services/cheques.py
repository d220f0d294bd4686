"""Cheques in the wallet: issued when an order is paid in full, or registered by staff from paper."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Client, ClientStatus
from wijkwerken.core.audit import audit_log, audit_log_objects
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.rules import rules_for

from ..models import Cheque, ChequeKind, ChequeOrder, ChequeStatus, OrderStatus
from ..tasks import enqueue_settlement_for_clients
from ._common import lock, on_behalf_of, retry_on_deadlock

ISSUE_BATCH = 2000
PAPER_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9\-]{4,28}[A-Z0-9]$")


def electronic_serial(order: ChequeOrder, sequence: int) -> str:
    """E + order number + sequence: unique by construction (and by the unique constraint)."""
    return f"E{order.pk:08d}-{sequence:03d}"


def cheques_issue(*, orders: list[ChequeOrder], actor) -> int:
    """Issue the cheques of paid orders into their clients' wallets, set-based.

    Idempotent: the caller holds the orders' row locks; an order whose cheques were issued is skipped, and
    (order, sequence) is unique in the database, so paying twice never issues twice.
    """
    plan, rules_cache = [], {}
    for order in orders:
        if order.status != OrderStatus.PAID or order.cheques_issued_at is not None:
            continue
        issued_on = order.paid_on or today()
        key = (order.client.municipality_id, issued_on)
        if key not in rules_cache:
            rules_cache[key] = rules_for(municipality=order.client.municipality, on=issued_on)
        plan.append((order, issued_on, add_months(issued_on, rules_cache[key].cheque_validity_months)))
    if not plan:
        return 0
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            count = _insert_with_generate_series(plan, now)
        else:
            cheques = [
                Cheque(organiser_id=order.organiser_id, client_id=order.client_id, order=order, sequence=sequence,
                       serial=electronic_serial(order, sequence), kind=ChequeKind.ELECTRONIC,
                       value=order.cheque_price, issued_on=issued_on, expires_on=expires_on)
                for order, issued_on, expires_on in plan for sequence in range(1, order.quantity + 1)]
            Cheque.objects.bulk_create(cheques, batch_size=2000)
            count = len(cheques)
        ids = [order.pk for order, _issued, _expires in plan]
        for start in range(0, len(ids), 5000):
            ChequeOrder.objects.filter(pk__any=ids[start:start + 5000]).update(cheques_issued_at=now)
        summaries = {quantity: ngettext("%(count)s cheque issued into the wallet",
                                        "%(count)s cheques issued into the wallet", quantity) % {"count": quantity}
                     for quantity in {order.quantity for order, _issued, _expires in plan}}
        audit_log_objects((actor, "cheque_order.cheques_issued", summaries[order.quantity], order,
                           {"count": order.quantity}) for order, _issued, _expires in plan)
        for order, _issued, _expires in plan:
            order.cheques_issued_at = now
        enqueue_settlement_for_clients(order.client_id for order, _issued, _expires in plan)
    return count


@retry_on_deadlock
def cheques_issue_for_orders(*, order_ids: list[int] | None, actor=None) -> int:
    """Issue the cheques of the given paid orders that have none yet; with `order_ids=None`, of every such
    order (the sweep, for a lost task). Runs after the payment's commit, so booking a large bank statement
    does not also hold its orders while tens of thousands of cheques are written. Safe to run twice: the
    orders are locked and their state is checked again."""
    issued = 0
    pending = ChequeOrder.objects.filter(status=OrderStatus.PAID, cheques_issued_at__isnull=True)
    if order_ids is not None:
        pending = pending.filter(pk__any=order_ids)
    while True:
        with transaction.atomic():
            orders = list(pending.select_for_update(of=("self",), no_key=True, skip_locked=order_ids is None)
                          .select_related("client__municipality__organiser").order_by("pk")[:ISSUE_BATCH])
            if not orders:
                return issued
            issued += cheques_issue(orders=orders, actor=actor)


def _insert_with_generate_series(plan, now) -> int:
    """One INSERT … SELECT for all orders: a row per cheque from generate_series(1, quantity). The serial
    has the same form as `electronic_serial`."""
    table = Cheque._meta.db_table
    orders_table = ChequeOrder._meta.db_table
    sql = f"""
        INSERT INTO {table} (organiser_id, client_id, order_id, sequence, serial, kind, value, issued_on,
                             expires_on, status, redeemed_at, registered_by_id, created_at)
        SELECT o.organiser_id, o.client_id, o.id, s.n,
               'E' || lpad(o.id::text, 8, '0') || '-' || lpad(s.n::text, 3, '0'),
               %s, o.cheque_price, t.issued_on, t.expires_on, %s, NULL, NULL, %s
        FROM unnest(%s::bigint[], %s::date[], %s::date[]) AS t(order_id, issued_on, expires_on)
        JOIN {orders_table} o ON o.id = t.order_id
        CROSS JOIN LATERAL generate_series(1, o.quantity) AS s(n)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ChequeKind.ELECTRONIC, ChequeStatus.AVAILABLE, now,
                             [order.pk for order, _i, _e in plan], [i for _o, i, _e in plan],
                             [e for _o, _i, e in plan]])
        return cursor.rowcount


def normalise_serial(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def cheque_register_paper(*, client: Client, serial: str, actor, issued_on=None) -> Cheque:
    """Staff register a paper cheque handed in at the desk: it joins the client's wallet."""
    serial = normalise_serial(serial)
    if not PAPER_SERIAL.match(serial):
        raise ValidationError({"serial": ValidationError(
            _("A serial number has 6 to 30 letters, digits or dashes."), code="invalid_serial")})
    issued_on = issued_on or today()
    if issued_on > today():
        raise ValidationError({"issued_on": ValidationError(_("This date is in the future."),
                                                            code="date_in_future")})
    with transaction.atomic():
        client = lock(Client.objects.select_related("municipality")).get(pk=client.pk)
        if client.status == ClientStatus.STOPPED:
            raise ValidationError(_("This client has stopped."), code="client_stopped")
        if Cheque.objects.filter(serial=serial).exists():
            raise ValidationError({"serial": ValidationError(
                _("A cheque with this serial number is already registered."), code="duplicate_serial")})
        rules = rules_for(municipality=client.municipality, on=issued_on)
        cheque = Cheque(organiser_id=client.organiser_id, client=client, serial=serial, kind=ChequeKind.PAPER,
                        value=rules.cheque_price, issued_on=issued_on,
                        expires_on=add_months(issued_on, rules.cheque_validity_months),
                        registered_by=actor if getattr(actor, "pk", None) else None)
        cheque.full_clean(exclude=["serial"])
        try:
            with transaction.atomic():
                cheque.save()
        except IntegrityError:
            raise ValidationError({"serial": ValidationError(
                _("A cheque with this serial number is already registered."), code="duplicate_serial")}) from None
        audit_log(actor=actor, on_behalf_of=on_behalf_of(client, actor), obj=cheque, action="cheque.register_paper",
                  summary=_("Paper cheque %(serial)s registered for %(client)s")
                  % {"serial": serial, "client": client.name})
        enqueue_settlement_for_clients([client.pk])
    return cheque
