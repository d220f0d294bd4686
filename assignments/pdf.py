"""The gebruikersovereenkomst as a PDF: WeasyPrint from a Django template, A4, page numbers, fonts shipped
with the app (assignments/fonts, DejaVu Sans), no network access."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from wijkwerken.core.dates import today
from wijkwerken.core.rules import rules_for

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


def render_agreement_pdf(client) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("nl"):
        html = render_to_string("assignments/pdf/client_agreement.html", {
            "client": client,
            "organiser": client.organiser,
            "contacts": list(client.contacts.select_related("user")),
            "rules": rules_for(municipality=client.municipality, on=today()),
            "fonts_dir": FONTS_DIR.as_uri(),
            "today": today(),
        })
    # Only the shipped font files may be loaded: no network while rendering.
    fetcher = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf()


def store_agreement_pdf(client) -> None:
    pdf = render_agreement_pdf(client)
    if client.agreement_pdf:
        client.agreement_pdf.delete(save=False)
    client.agreement_pdf.save(f"gebruikersovereenkomst-{client.number}.pdf", ContentFile(pdf), save=False)
    type(client).objects.filter(pk=client.pk).update(agreement_pdf=client.agreement_pdf.name)
