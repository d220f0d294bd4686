"""The portfolio (ervaringsbewijs) as a PDF, rendered by core's PDF helper (A4, page numbers, shipped fonts)."""

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkwerken.core.charts import Series, radar_chart
from wijkwerken.core.pdf import render_pdf

from .models import Portfolio, Rater
from .selectors.portfolio import client_kinds, competence_progress, hours_by_activity, start_and_end_measurements


def _chart(measurements):
    if not measurements:
        return None
    competences = list(measurements[-1].framework.competences.all())
    series = []
    labels = [_("Start %(date)s"), _("End %(date)s")] if len(measurements) > 1 else [_("Measurement %(date)s")]
    colours = ["#6b5d00", "#0b5a4a"] if len(measurements) > 1 else ["#0b5a4a"]
    for measurement, label, colour in zip(measurements, labels, colours, strict=True):
        levels = {s.competence.key: s.level for s in measurement.scores.all() if s.rater == Rater.COACH}
        series.append(Series(label % {"date": measurement.taken_on.strftime("%d/%m/%Y")},
                             [levels.get(c.key) for c in competences], colour=colour))
    return radar_chart(
        title=_("Competences at the start and at the end"),
        description=_("Star chart of the work coach's scores on a scale of 1 to 5; the table gives the same scores."),
        axes=[c.name for c in competences], series=series, axis_heading=_("Competence"),
    )


def render_portfolio_pdf(portfolio: Portfolio) -> bytes:
    worker = portfolio.worker
    with translation.override("nl"):
        measurements = start_and_end_measurements(worker, portfolio.trajectory)
        hours = hours_by_activity(worker, portfolio.period_start, portfolio.period_end)
        context = {
            "portfolio": portfolio,
            "worker": worker,
            "organiser": portfolio.organiser,
            "hours": hours,
            "total_minutes": sum(row["minutes"] for row in hours),
            "client_kinds": client_kinds(worker, portfolio.period_start, portfolio.period_end),
            "competences": competence_progress(measurements),
            "measurements": measurements,
            "chart": _chart(measurements),
        }
    return render_pdf("coaching/pdf/portfolio.html", context)


def store_portfolio_pdf(portfolio_id: int) -> None:
    """Render (again) and store under one name per portfolio; the new file replaces the old one."""
    portfolio = Portfolio.objects.select_related("worker", "organiser", "trajectory", "signed_by").get(pk=portfolio_id)
    pdf = render_portfolio_pdf(portfolio)
    field = portfolio.pdf.field
    name = field.generate_filename(portfolio, f"portfolio-{portfolio.pk}.pdf")
    field.storage.delete(name)
    stored = field.storage.save(name, ContentFile(pdf))
    Portfolio.objects.filter(pk=portfolio.pk).update(pdf=stored, rendered_at=timezone.now())
