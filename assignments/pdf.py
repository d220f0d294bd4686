"""The gebruikersovereenkomst as a PDF (rendered by core's PDF helper: A4, page numbers, shipped fonts)."""

from django.core.files.base import ContentFile

from wijkwerken.core.dates import today
from wijkwerken.core.pdf import render_pdf
from wijkwerken.core.rules import rules_for


def render_agreement_pdf(client) -> bytes:
    return render_pdf("assignments/pdf/client_agreement.html", {
        "client": client,
        "organiser": client.organiser,
        "contacts": list(client.contacts.select_related("user")),
        "rules": rules_for(municipality=client.municipality, on=today()),
        "today": today(),
    })


def store_agreement_pdf(client) -> None:
    pdf = render_agreement_pdf(client)
    if client.agreement_pdf:
        client.agreement_pdf.delete(save=False)
    client.agreement_pdf.save(f"gebruikersovereenkomst-{client.number}.pdf", ContentFile(pdf), save=False)
    type(client).objects.filter(pk=client.pk).update(agreement_pdf=client.agreement_pdf.name)
