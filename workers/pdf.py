"""The wijk-werkovereenkomst as a PDF (rendered by core's PDF helper: A4, page numbers, shipped fonts)."""

from django.core.files.base import ContentFile

from wijkwerken.core.dates import today
from wijkwerken.core.pdf import render_pdf
from wijkwerken.core.rules import rules_for


def render_agreement_pdf(worker) -> bytes:
    trajectory = worker.trajectories.order_by("-start_date").first()
    return render_pdf("workers/pdf/agreement.html", {
        "worker": worker,
        "organiser": worker.organiser,
        "trajectory": trajectory,
        "rules": rules_for(municipality=worker.municipality, on=trajectory.start_date if trajectory else today()),
        "availability": list(worker.availability.all()),
        "activities": list(worker.activities.all()),
        "today": today(),
    })


def store_agreement_pdf(worker) -> None:
    """Render and store; rendering again replaces the file."""
    pdf = render_agreement_pdf(worker)
    if worker.agreement_pdf:
        worker.agreement_pdf.delete(save=False)
    worker.agreement_pdf.save(f"wijk-werkovereenkomst-{worker.pk}.pdf", ContentFile(pdf), save=False)
    type(worker).objects.filter(pk=worker.pk).update(agreement_pdf=worker.agreement_pdf.name)
