"""The order confirmation (bestelbevestiging) as a PDF, rendered by core's PDF helper (A4, page numbers, shipped
fonts), with an EPC payment QR code (segno) that Belgian banking apps scan."""

import segno
from django.core.files.base import ContentFile
from segno import helpers
from stdnum import iban as stdnum_iban

from wijkwerken.core.dates import today
from wijkwerken.core.pdf import render_pdf
from wijkwerken.core.rules import rules_for


def epc_qr(order) -> segno.QRCode:
    """The EPC069-12 "SEPA credit transfer" QR: beneficiary, IBAN, BIC, amount still due and the structured
    communication in the structured remittance field."""
    organiser = order.organiser
    return helpers.make_epc_qr(
        name=organiser.name[:70], iban=stdnum_iban.compact(organiser.iban), bic=organiser.bic.replace(" ", ""),
        amount=order.outstanding, reference=order.structured_communication, encoding="utf-8",
    )


def epc_qr_svg(order) -> str:
    return epc_qr(order).svg_inline(scale=4, border=2, title="EPC QR")


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
