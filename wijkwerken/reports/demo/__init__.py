"""Demo data: a history for last year (`history`), then last year's reports as the January run makes them (the
demo gemeente's municipality for its municipal staff, and the whole organiser), built by the real service in all
three formats, and last year's fiscal attests for the demo private clients who paid for cheques in it.

Safe to run again: the history is added once, a yearly report exists once per municipality and year, and a
finished batch of attests is not run again.
"""

from wijkwerken.accounts.models import Role, User
from wijkwerken.core.dates import today

from ..models import AttestBatch, BuildStatus, FiscalAttest, Report, ReportAudience
from ..periods import Period
from ..services import attest_batch_run, report_build
from .history import seed_last_year

DEMO_GEMEENTE_EMAIL = "gemeente@demo.wijkwerken.be"


def seed(organiser, stdout) -> None:
    seed_last_year(organiser, stdout)
    year = today().year - 1
    period = Period.year(year)
    gemeente = User.objects.filter(email=DEMO_GEMEENTE_EMAIL, role=Role.GEMEENTE, organiser=organiser).first()
    scopes = [(None, ReportAudience.ORGANISER)]
    if gemeente is not None:
        scopes.insert(0, (gemeente.municipality, ReportAudience.MUNICIPALITY))
    for municipality, audience in scopes:
        report, _created = Report.objects.get_or_create(
            organiser=organiser, municipality=municipality, audience=audience, yearly=True,
            period_start=period.start, period_end=period.end)
        if report.status == BuildStatus.FAILED:
            report.status = BuildStatus.QUEUED
            report.save(update_fields=["status"])
        if report.status == BuildStatus.QUEUED:
            report = report_build(report.pk)
        summary = report.figures.get("tables", [{}])[0].get("rows", []) if report.is_ready else []
        hours = summary[0]["current"] if summary else "?"
        stdout.write(f"  reports: {report} {report.get_status_display()} ({hours} hours)")
    batch = AttestBatch.objects.filter(organiser=organiser, year=year).order_by("-pk").first()
    if batch is None:
        batch = AttestBatch.objects.create(organiser=organiser, year=year)
    if batch.status in (BuildStatus.QUEUED, BuildStatus.FAILED):
        if batch.status == BuildStatus.FAILED:
            AttestBatch.objects.filter(pk=batch.pk).update(status=BuildStatus.QUEUED)
        batch = attest_batch_run(batch.pk)
    attests = FiscalAttest.objects.filter(organiser=organiser, year=year).count()
    stdout.write(f"  reports: {attests} fiscal attests of {year}"
                 + ("" if attests else " (no demo client paid for cheques last year)"))
