"""The wijk-werkovereenkomst as a PDF: WeasyPrint from a Django template, A4, page numbers, fonts shipped with
the app (workers/fonts, DejaVu Sans), and nothing fetched from the network."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from wijkwerken.core.dates import today
from wijkwerken.core.rules import rules_for

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


def _local_files_only():
    """A fetcher that opens local files only: nothing is fetched from the network while rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("file",))


def render_agreement_pdf(worker) -> bytes:
    from weasyprint import HTML

    trajectory = worker.trajectories.order_by("-start_date").first()
    with translation.override("nl"):
        html = render_to_string(
            "workers/pdf/agreement.html",
            {
                "worker": worker,
                "organiser": worker.organiser,
                "trajectory": trajectory,
                "rules": rules_for(
                    municipality=worker.municipality, on=trajectory.start_date if trajectory else today()
                ),
                "availability": list(worker.availability.all()),
                "activities": list(worker.activities.all()),
                "fonts_dir": FONTS_DIR.as_uri(),
                "today": today(),
            },
        )
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_local_files_only()).write_pdf()


def store_agreement_pdf(worker) -> None:
    """Render and store; rendering again replaces the file."""
    pdf = render_agreement_pdf(worker)
    if worker.agreement_pdf:
        worker.agreement_pdf.delete(save=False)
    worker.agreement_pdf.save(f"wijk-werkovereenkomst-{worker.pk}.pdf", ContentFile(pdf), save=False)
    type(worker).objects.filter(pk=worker.pk).update(agreement_pdf=worker.agreement_pdf.name)
