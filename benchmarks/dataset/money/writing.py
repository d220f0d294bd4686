"""Writing the simulated money: fees, orders, statements and their lines, online payments, payments, refund
batches with their SEPA files, credit, cheques and settlements."""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from stdnum import iban as stdnum_iban

from assignments.models import RegistrationFee
from cheques.bank import ParsedLine
from cheques.models import (
    BankImport,
    BankLine,
    Cheque,
    ChequeOrder,
    ClientCredit,
    LineStatus,
    MolliePayment,
    OrderStatus,
    Payment,
    RefundBatch,
    Settlement,
)
from cheques.sepa import Debtor, Transfer, build_credit_transfer
from cheques.services.bank_import import line_checksum
from cheques.services.cheques import electronic_serial

from ..base import TZ, Org
from ..people import DAY, fee_rows
from .ledger import MINUTE, ZERO, Ledger, OrderPlan


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
    debtor = Debtor.of(organiser)
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
