"""The order confirmation (bestelbevestiging) as a PDF, rendered by core's PDF helper (A4, page numbers, shipped
fonts), with an EPC payment QR code (segno) that Belgian banking apps scan; and the worker's payout statements
(afrekening per payout, jaaroverzicht per year)."""

from decimal import Decimal
from functools import lru_cache

import segno
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext
from segno import helpers
from stdnum import iban as stdnum_iban

from wijkwerken.core.dates import today
from wijkwerken.core.pdf import render_pdf
from wijkwerken.core.rules import rules_for


def _epc_fields(order) -> tuple:
    organiser = order.organiser
    return (organiser.name[:70], stdnum_iban.compact(organiser.iban), organiser.bic.replace(" ", ""), order.outstanding,
            order.structured_communication)


def _make_epc_qr(name: str, iban: str, bic: str, amount: Decimal, reference: str) -> segno.QRCode:
    return helpers.make_epc_qr(name=name, iban=iban, bic=bic, amount=amount, reference=reference, encoding="utf-8")


def epc_qr(order) -> segno.QRCode:
    """The EPC069-12 "SEPA credit transfer" QR: beneficiary, IBAN, BIC, amount still due and the structured
    communication in the structured remittance field."""
    return _make_epc_qr(*_epc_fields(order))


@lru_cache(maxsize=512)
def _epc_qr_svg(name: str, iban: str, bic: str, amount: str, reference: str) -> str:
    return _make_epc_qr(name, iban, bic, Decimal(amount), reference).svg_inline(scale=4, border=2, title="EPC QR")


def epc_qr_svg(order) -> str:
    """The QR as inline SVG for the order page. Remembered per process by what it encodes: choosing the best of
    the eight masks costs about 5 ms, on every view of an open order (the client comes back to it to pay, staff
    open it from the bank queue); a payment or a change of the organiser's account changes the key."""
    name, iban, bic, amount, reference = _epc_fields(order)
    return _epc_qr_svg(name, iban, bic, str(amount), reference)  # as written: 5.0 and 5.00 are equal keys


def render_order_pdf(order) -> bytes:
    return render_pdf("cheques/pdf/order_confirmation.html", {
        "order": order, "organiser": order.organiser, "client": order.client,
        "qr_svg": epc_qr_svg(order) if order.is_open and order.outstanding > 0 else "",
        "iban": stdnum_iban.format(order.organiser.iban), "today": today(),
        "validity_months": rules_for(municipality=order.client.municipality, on=today()).cheque_validity_months,
    })


def store_order_pdf(order_id: int) -> None:
    """Render (again) and store under one name per order: the new file replaces the old one, so rendering again
    after a payment or a change leaves no stale copies behind (a payment clears the field, not the file)."""
    from .models import ChequeOrder

    order = ChequeOrder.objects.select_related("organiser", "client__municipality__organiser").get(pk=order_id)
    pdf = render_order_pdf(order)
    field = order.pdf.field
    name = field.generate_filename(order, f"bestelling-{order.pk}.pdf")
    if order.pdf and order.pdf.name != name:
        order.pdf.storage.delete(order.pdf.name)  # a file from before the one-name rule
    field.storage.delete(name)
    stored = field.storage.save(name, ContentFile(pdf))
    ChequeOrder.objects.filter(pk=order.pk).update(pdf=stored)


# --- payout statements ----------------------------------------------------------------------------------------------

def render_payout_statement(line) -> bytes:
    """One worker's statement of one payout: the prestaties it paid, the corrections, the total, IBAN and date."""
    from .selectors import corrections_paid_in, payments_in
    from .services.payouts import remittance_text

    batch, worker = line.batch, line.worker
    rules = rules_for(organiser=batch.organiser, on=batch.month)
    with translation.override("nl"):
        running_title = gettext("Payout %(number)s · %(name)s") % {"number": batch.number, "name": line.name}
    return render_pdf("cheques/pdf/payout_statement.html", {
        "line": line, "batch": batch, "worker": worker, "organiser": batch.organiser,
        "payments": list(payments_in(line)), "corrections": list(corrections_paid_in(line)),
        "prestaties_total": line.allowance + line.travel, "remittance": remittance_text(batch.month),
        "allowance_per_cheque": rules.worker_allowance_per_cheque, "travel_per_km": rules.travel_allowance_per_km,
        "travel_min_km": rules.travel_allowance_min_km, "today": today(), "running_title": running_title,
    })


def _store(statement, name: str, content: bytes):
    field = statement.file.field
    stored_name = field.generate_filename(statement, name)
    if statement.file and statement.file.name != stored_name:
        statement.file.storage.delete(statement.file.name)
    field.storage.delete(stored_name)
    statement.file.name = field.storage.save(stored_name, ContentFile(content))
    statement.save()
    return statement


def payout_statement_file(line):
    """The stored statement of `line`, rendered on its first download (a line never changes, nor its statement)."""
    from .models import PayoutStatement

    statement = PayoutStatement.objects.filter(line=line).first()
    if statement is not None and statement.file:
        return statement
    content = render_payout_statement(line)
    try:
        with transaction.atomic():
            statement = statement or PayoutStatement(organiser_id=line.organiser_id, worker_id=line.worker_id,
                                                     line=line)
            return _store(statement, f"afrekening-{line.batch.number}-{line.worker_id}.pdf", content)
    except IntegrityError:  # downloaded twice at the same moment: the other request stored it
        return PayoutStatement.objects.get(line=line)


def payout_year_file(worker, year: int):
    """The worker's stored yearly overview: rendered again when a payout of that year came since."""
    from .models import PayoutStatement
    from .selectors import payout_lines_of_year

    lines = list(payout_lines_of_year(worker, year))
    basis = f"{len(lines)}:{max((line.pk for line in lines), default=0)}"
    statement = PayoutStatement.objects.filter(worker=worker, year=year).first()
    if statement is not None and statement.basis == basis and statement.file:
        return statement
    totals = {name: sum((getattr(line, name) for line in lines), Decimal("0.00"))
              for name in ("allowance", "travel", "corrections", "total")}
    totals.update(prestaties=sum(line.prestaties for line in lines), cheques=sum(line.cheques for line in lines),
                  kilometres=sum((line.kilometres for line in lines), Decimal("0.0")))
    with translation.override("nl"):
        running_title = gettext("Yearly overview %(year)s · %(name)s") % {"year": year, "name": worker}
    content = render_pdf("cheques/pdf/payout_year.html", {
        "worker": worker, "organiser": worker.organiser, "year": year, "lines": lines, "totals": totals,
        "today": today(), "running_title": running_title})
    statement = statement or PayoutStatement(organiser_id=worker.organiser_id, worker=worker, year=year)
    statement.basis = basis
    return _store(statement, f"jaaroverzicht-{year}-{worker.pk}.pdf", content)
