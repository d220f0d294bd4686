"""Writes of the reports app: asking for a report and building it, the yearly January run, and the fiscal attests.

A build runs in a Celery task (`tasks.py`) that takes the report's id. It is safe to run twice: it starts only a
report that is waiting, under a row lock, and a finished report is never built again. Its progress is written
on the row as it goes (short UPDATEs outside any transaction, so the page that polls sees them); an error marks
the report failed, with a retry button, never a spinner forever. The numbers come from
`selectors.report_figures` (a handful of grouped queries for the period and the same for the period before);
the files are written from the tables in `tables.py`.
"""

import datetime
import logging
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import Client, ClientCategory
from assignments.selectors import contact_users_by_client
from wijkwerken.core.audit import audit_log, audit_log_objects
from wijkwerken.core.bulk import bulk_insert
from wijkwerken.core.dates import today
from wijkwerken.core.errors import service_error
from wijkwerken.core.models import Municipality, Organiser
from wijkwerken.core.money import format_euro
from wijkwerken.core.notifications import notifications_send
from wijkwerken.core.rules import WIJK_WERKEN_START, rule_set_on
from wijkwerken.core.selectors import municipal_accounts

from .documents import render_attest_pdf, render_report_pdf
from .models import (
    BUSY_STATUSES,
    AttestBatch,
    AttestStatus,
    BuildStatus,
    FiscalAttest,
    Report,
    ReportAudience,
)
from .periods import Period
from .selectors import municipality_names, paid_for_cheques, report_figures
from .tables import report_tables, tables_to_json
from .writers import write_csv_zip, write_xlsx

logger = logging.getLogger(__name__)

FAILED_MESSAGE = gettext_lazy("The report could not be made. Try again; if it fails again, tell the "
                              "administrator.")


class AlreadyRunning(ValidationError):
    """The same report (or batch) is being made already: `existing` is the one to follow."""

    def __init__(self, message, *, existing):
        super().__init__(message, code="already_running")
        self.existing = existing


def _enqueue(task, object_id: int) -> None:
    transaction.on_commit(lambda: task.delay(object_id))


def _progress(model, pk: int, percent: int, step: str) -> None:
    """Shown on the page at once: an UPDATE of its own, outside the build's transactions."""
    model.objects.filter(pk=pk).update(progress=percent, step=str(step)[:120])


# --- asking for a report ------------------------------------------------------------------------------------------

def report_period_check(period: Period, *, on: datetime.date | None = None) -> None:
    """A report covers days that have been: from the start of wijk-werken up to today."""
    on = on or today()
    if period.start < WIJK_WERKEN_START:
        raise service_error(_("Wijk-werken started on 1 January 2018: choose a period from then on."),
                            "before_start", "period_start")
    if period.start > on:
        raise service_error(_("This period has not started yet: choose a period that has begun."),
                            "future", "period_start")
    if period.end > on:
        raise service_error(_("A report can only cover days that have been: choose an end date up to today."),
                            "future", "period_end")


def report_request(*, organiser: Organiser, municipality: Municipality | None, audience: str, period: Period,
                   actor, yearly: bool = False) -> Report:
    """Ask for a report of `municipality` (or of the whole organiser) over `period`; it is built in the
    background after the commit. Asked again while the same one is being made: `AlreadyRunning`."""
    report_period_check(period)
    if municipality is not None and municipality.organiser_id != organiser.pk:
        raise service_error(_("This municipality does not belong to your organisation."), "other_organiser")
    if audience == ReportAudience.MUNICIPALITY and municipality is None:
        raise service_error(_("A report for municipal staff is about one municipality."), "no_municipality")
    with transaction.atomic():
        busy = (Report.objects.select_for_update(no_key=True)
                .filter(organiser=organiser, municipality=municipality, audience=audience,
                        period_start=period.start, period_end=period.end, status__in=BUSY_STATUSES).first())
        if busy is not None:
            if not busy.is_stale:
                raise AlreadyRunning(_("This report is being made already; it appears here as soon as it is "
                                       "ready."), existing=busy)
            _mark_failed(busy, _("The report stopped unexpectedly."))
        report = Report(organiser=organiser, municipality=municipality, audience=audience,
                        period_start=period.start, period_end=period.end, yearly=yearly,
                        requested_by=actor if getattr(actor, "pk", None) else None)
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # made at the same moment in another request
            existing = Report.objects.filter(organiser=organiser, municipality=municipality, audience=audience,
                                             period_start=period.start, period_end=period.end,
                                             status__in=BUSY_STATUSES).first()
            raise AlreadyRunning(_("This report is being made already; it appears here as soon as it is ready."),
                                 existing=existing) from None
        audit_log(actor=actor, obj=report, organiser=organiser, action="report.request",
                  summary=_("Report asked: %(report)s") % {"report": report},
                  changes={"period_start": period.start, "period_end": period.end, "audience": audience})
        _enqueue(_build_task(), report.pk)
    return report


def report_retry(*, report: Report, actor) -> Report:
    """A failed report (or one whose build stopped unexpectedly) is built again."""
    with transaction.atomic():
        report = Report.objects.select_for_update(no_key=True).get(pk=report.pk)
        if not report.can_retry:
            raise service_error(_("Only a report that failed can be made again."), "not_failed")
        report.status, report.progress, report.step, report.error = BuildStatus.QUEUED, 0, "", ""
        report.started_at = report.finished_at = None
        report.requested_at = timezone.now()
        try:
            with transaction.atomic():
                report.save(update_fields=["status", "progress", "step", "error", "started_at", "finished_at",
                                           "requested_at"])
        except IntegrityError:
            raise service_error(_("This report is being made already; it appears here as soon as it is ready."),
                                "already_running") from None
        audit_log(actor=actor, obj=report, organiser=report.organiser, action="report.retry",
                  summary=_("Report asked again: %(report)s") % {"report": report})
        _enqueue(_build_task(), report.pk)
    return report


def _build_task():
    from .tasks import build_report

    return build_report


# --- building -----------------------------------------------------------------------------------------------------

def _mark_failed(report: Report, message) -> None:
    Report.objects.filter(pk=report.pk).update(status=BuildStatus.FAILED, error=str(message)[:300],
                                               finished_at=timezone.now())


def _start(model, pk: int):
    """Take a waiting build (locked, re-checked): None when it is not waiting (done, failed or running)."""
    with transaction.atomic():
        item = model.objects.select_for_update(no_key=True).get(pk=pk)
        if item.status != BuildStatus.QUEUED:
            return None
        item.status, item.started_at, item.progress = BuildStatus.RUNNING, timezone.now(), 1
        item.attempts += 1
        item.step = str(_("Started"))
        item.save(update_fields=["status", "started_at", "progress", "attempts", "step"])
    return item


def report_build(report_id: int) -> Report:
    """Build a waiting report: its figures, tables, PDF, XLSX and CSV zip. Safe to run twice."""
    report = _start(Report, report_id)
    if report is None:
        return Report.objects.get(pk=report_id)
    try:
        with translation.override("nl"):
            _build(report)
    except Exception:  # noqa: BLE001 - any defect must end as "failed" with a retry button, not "being made"
        logger.exception("Report %s could not be built", report_id)
        with transaction.atomic():
            report = Report.objects.select_for_update(no_key=True).get(pk=report_id)
            _mark_failed(report, FAILED_MESSAGE)
            audit_log(actor=None, obj=report, organiser=report.organiser, action="report.failed",
                      summary=_("Report failed: %(report)s") % {"report": report})
    return Report.objects.get(pk=report_id)


def _build(report: Report) -> None:
    period = Period(report.period_start, report.period_end)
    scope = [report.municipality_id] if report.municipality_id else None
    _progress(Report, report.pk, 5, _("Counting the figures of the period"))
    data_as_of = timezone.now()
    now = report_figures(organiser_id=report.organiser_id, municipality_ids=scope, period=period)
    _progress(Report, report.pk, 35, _("Counting the figures of the previous period"))
    before = report_figures(organiser_id=report.organiser_id, municipality_ids=scope, period=period.previous())
    names = {} if report.municipality_id else municipality_names(
        now.municipality_ids() | set(report.organiser.municipalities.values_list("pk", flat=True)))
    tables = report_tables(now, before, municipality_id=report.municipality_id, mask=report.masks_small_counts,
                           names=names)
    report.data_as_of = data_as_of
    _progress(Report, report.pk, 55, _("Writing the PDF"))
    pdf = render_report_pdf(report, tables)
    storage = report.pdf.field.storage
    folder = f"reports/{report.pk}/"
    with tempfile.TemporaryDirectory() as directory:
        _progress(Report, report.pk, 80, _("Writing the spreadsheet"))
        xlsx_path = Path(directory) / "report.xlsx"
        write_xlsx(tables, xlsx_path, about=_about(report, period))
        _progress(Report, report.pk, 90, _("Writing the CSV files"))
        zip_path = Path(directory) / "report.zip"
        write_csv_zip(tables, zip_path)
        names_stored = {}
        for field_name, content, extension in (("pdf", ContentFile(pdf), "pdf"),
                                               ("xlsx", File(xlsx_path.open("rb")), "xlsx"),
                                               ("csv_zip", File(zip_path.open("rb")), "zip")):
            name = folder + report.file_name(extension)
            storage.delete(name)
            names_stored[field_name] = storage.save(name, content)
            content.close()
    with transaction.atomic():
        locked = Report.objects.select_for_update(no_key=True).get(pk=report.pk)
        if locked.status != BuildStatus.RUNNING:
            return
        for field_name, name in names_stored.items():
            setattr(locked, field_name, name)
        locked.figures = {"tables": tables_to_json(tables)}
        locked.data_as_of = data_as_of
        locked.status, locked.progress, locked.step = BuildStatus.DONE, 100, ""
        locked.finished_at = timezone.now()
        locked.save()
        audit_log(actor=None, obj=locked, organiser=locked.organiser, action="report.ready",
                  summary=_("Report ready: %(report)s") % {"report": locked})
        if locked.yearly and locked.audience == ReportAudience.MUNICIPALITY:
            _notify_municipal_staff(locked)


def _about(report: Report, period: Period) -> list[tuple[str, str]]:
    previous = period.previous()
    about = [
        (_("Report"), report.title),
        (_("Organiser"), report.organiser.name),
        (_("Period"), f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"),
        (_("Compared with"), f"{previous.start:%d/%m/%Y} – {previous.end:%d/%m/%Y}"),
        (_("Data as of"), timezone.localtime(report.data_as_of).strftime("%d/%m/%Y %H:%M")),
    ]
    if report.masks_small_counts:
        about.append(("< 5", _("fewer than 5 persons: the number is not shown")))
        about.append(("×", _("5 persons or more, hidden so that a number of fewer than 5 beside it cannot be "
                             "worked out from the total")))
    return about


def _notify_municipal_staff(report: Report) -> None:
    url = reverse("reports:report_detail", args=[report.pk])
    text = _("The wijk-werken report %(period)s of %(municipality)s is ready to download.") % {
        "period": report.period_label, "municipality": report.municipality.name}
    notifications_send(items=[(user, f"reports.yearly.{report.pk}", text, url)
                              for user in municipal_accounts(report.municipality)],
                       subject=_("Wijk-werken report %(period)s") % {"period": report.period_label})


# --- the yearly run in January ------------------------------------------------------------------------------------

def yearly_documents_run(*, on: datetime.date | None = None) -> dict:
    """Daily in January: for every organiser whose rule set's day has come, the reports of the past year (one per
    municipality for its municipal staff, one of the whole organiser) and its fiscal attests. What exists
    already is not asked again, so running it every day of January (or twice a day) changes nothing."""
    on = on or today()
    if on.month != 1:
        return {"reports": 0, "batches": 0}
    year = on.year - 1
    period = Period.year(year)
    reports = batches = 0
    for organiser in Organiser.objects.order_by("pk"):
        if on.day < rule_set_on(organiser=organiser, on=on).yearly_documents_day:
            continue
        municipalities = list(organiser.municipalities.order_by("pk"))
        wanted = [(m, ReportAudience.MUNICIPALITY) for m in municipalities] + [(None, ReportAudience.ORGANISER)]
        with transaction.atomic():
            existing = set(Report.objects.filter(organiser=organiser, yearly=True, period_start=period.start,
                                                 period_end=period.end).values_list("municipality_id", "audience"))
            for municipality, audience in wanted:
                if (getattr(municipality, "pk", None), audience) in existing:
                    continue
                try:
                    with transaction.atomic():
                        report = Report.objects.create(
                            organiser=organiser, municipality=municipality, audience=audience,
                            period_start=period.start, period_end=period.end, yearly=True)
                except IntegrityError:  # made by a run at the same moment, or being made on request
                    continue
                audit_log(actor=None, obj=report, organiser=organiser, action="report.request",
                          summary=_("Yearly report asked: %(report)s") % {"report": report})
                _enqueue(_build_task(), report.pk)
                reports += 1
        if not AttestBatch.objects.filter(organiser=organiser, year=year).exists():
            try:
                attest_batch_request(organiser=organiser, year=year, actor=None)
                batches += 1
            except ValidationError:
                pass
    return {"reports": reports, "batches": batches}


# --- fiscal attests -------------------------------------------------------------------------------------------------

def attest_year_check(year: int, *, on: datetime.date | None = None) -> None:
    on = on or today()
    if year < WIJK_WERKEN_START.year:
        raise service_error(_("Wijk-werken started in 2018: there are no attests before."), "before_start", "year")
    if year >= on.year:
        raise service_error(_("An attest covers a whole calendar year: the attests of %(year)s can be made from "
                              "1 January %(next)s.") % {"year": year, "next": year + 1}, "year_not_over", "year")


def attest_batch_request(*, organiser: Organiser, year: int, actor) -> AttestBatch:
    """Make the fiscal attests of `year` in the background: for every private client who paid for cheques in
    it and has no attest of that year yet."""
    attest_year_check(year)
    already = _("The attests of %(year)s are being made already.") % {"year": year}
    with transaction.atomic():
        busy = (AttestBatch.objects.select_for_update(no_key=True)
                .filter(organiser=organiser, year=year, status__in=BUSY_STATUSES).first())
        if busy is not None:
            if not busy.is_stale:
                raise AlreadyRunning(already, existing=busy)
            AttestBatch.objects.filter(pk=busy.pk).update(status=BuildStatus.FAILED, finished_at=timezone.now(),
                                                          error=str(_("The batch stopped unexpectedly.")))
        try:
            with transaction.atomic():
                batch = AttestBatch.objects.create(organiser=organiser, year=year,
                                                   requested_by=actor if getattr(actor, "pk", None) else None)
        except IntegrityError:  # asked at the same moment in another request
            existing = AttestBatch.objects.filter(organiser=organiser, year=year, status__in=BUSY_STATUSES).first()
            raise AlreadyRunning(already, existing=existing) from None
        audit_log(actor=actor, obj=batch, organiser=organiser, action="attest_batch.request",
                  summary=_("Fiscal attests of %(year)s asked") % {"year": year})
        _enqueue(_attest_batch_task(), batch.pk)
    return batch


def attest_batch_retry(*, batch: AttestBatch, actor) -> AttestBatch:
    with transaction.atomic():
        batch = AttestBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
        if not batch.can_retry:
            raise service_error(_("Only a batch that failed can be run again."), "not_failed")
        batch.status, batch.progress, batch.step, batch.error = BuildStatus.QUEUED, 0, "", ""
        batch.started_at = batch.finished_at = None
        try:
            with transaction.atomic():
                batch.save(update_fields=["status", "progress", "step", "error", "started_at", "finished_at"])
        except IntegrityError:
            raise service_error(_("The attests of %(year)s are being made already.") % {"year": batch.year},
                                "already_running") from None
        audit_log(actor=actor, obj=batch, organiser=batch.organiser, action="attest_batch.retry",
                  summary=_("Fiscal attests of %(year)s asked again") % {"year": batch.year})
        _enqueue(_attest_batch_task(), batch.pk)
    return batch


def _attest_batch_task():
    from .tasks import run_attest_batch

    return run_attest_batch


def _reduction_percent(organiser, year: int) -> int:
    return rule_set_on(organiser=organiser, on=datetime.date(year, 12, 31)).fiscal_reduction_percent


def attest_batch_run(batch_id: int) -> AttestBatch:
    """Make the batch's attests: the missing ones in one INSERT, then their PDFs one by one (the progress on the
    row). Safe to run twice: a client with a valid attest of the year is skipped, a PDF made is not made again."""
    batch = _start(AttestBatch, batch_id)
    if batch is None:
        return AttestBatch.objects.get(pk=batch_id)
    try:
        with translation.override("nl"):
            _run_batch(batch)
    except Exception:  # noqa: BLE001 - any defect must end as "failed" with a retry button
        logger.exception("Attest batch %s failed", batch_id)
        AttestBatch.objects.filter(pk=batch_id).update(
            status=BuildStatus.FAILED, finished_at=timezone.now(),
            error=str(_("The attests could not all be made. Run the batch again: the attests made are kept.")))
    return AttestBatch.objects.get(pk=batch_id)


def _run_batch(batch: AttestBatch) -> None:
    organiser, year = batch.organiser, batch.year
    _progress(AttestBatch, batch.pk, 2, _("Adding up what each client paid"))
    paid = paid_for_cheques(organiser_id=organiser.pk, year=year)
    with transaction.atomic():
        having = set(FiscalAttest.objects.filter(organiser=organiser, year=year, status=AttestStatus.CURRENT)
                     .values_list("client_id", flat=True))
        percent = _reduction_percent(organiser, year)
        new_ids = bulk_insert(FiscalAttest, (
            {"organiser_id": organiser.pk, "client_id": client_id, "year": year, "version": 1, "cheques": count,
             "amount": amount, "reduction_percent": percent, "status": AttestStatus.CURRENT,
             "batch_id": batch.pk, "pdf": ""}
            for client_id, (count, amount) in sorted(paid.items()) if client_id not in having), with_ids=True)
        if new_ids:
            audit_log(actor=None, obj=batch, organiser=organiser, action="attest_batch.attests",
                      summary=_("%(count)s fiscal attests of %(year)s made") % {"count": len(new_ids), "year": year},
                      changes={"count": len(new_ids)})
    to_render = list(FiscalAttest.objects.filter(batch=batch, pdf="").order_by("pk").values_list("pk", flat=True))
    total = FiscalAttest.objects.filter(batch=batch).count()
    AttestBatch.objects.filter(pk=batch.pk).update(total=total, made=total - len(to_render))
    step = str(_("Writing the attests"))
    for done, attest_id in enumerate(to_render, start=1):
        fiscal_attest_render(attest_id)
        if done % 25 == 0 or done == len(to_render):
            AttestBatch.objects.filter(pk=batch.pk).update(
                made=total - len(to_render) + done, step=step,
                progress=min(99, 5 + int(94 * done / len(to_render))))
    with transaction.atomic():
        locked = AttestBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
        locked.status, locked.progress, locked.step, locked.finished_at = BuildStatus.DONE, 100, "", timezone.now()
        locked.made = locked.total = total
        locked.save(update_fields=["status", "progress", "step", "finished_at", "made", "total"])
        # Every client of the batch, also those of an earlier attempt: a notification's key is sent once.
        _notify_clients(organiser, year, FiscalAttest.objects.filter(batch=batch).values_list("client_id",
                                                                                              flat=True))


def _notify_clients(organiser, year: int, client_ids) -> None:
    url = reverse("cheques:my_wallet")
    text = _("Your fiscal attest %(year)s for the wijk-werkcheques you paid is ready: download it on your "
             "wallet page.") % {"year": year}
    contacts = contact_users_by_client(list(client_ids))
    notifications_send(items=[(user, f"reports.attest.{year}.{client_id}", text, url)
                              for client_id, users in contacts.items() for user in users],
                       subject=_("Fiscal attest %(year)s") % {"year": year})


def fiscal_attest_render(attest_id: int) -> FiscalAttest:
    """Write the attest's PDF once; an attest never changes, so a PDF made stays (safe to run twice)."""
    attest = FiscalAttest.objects.select_related("organiser", "client").get(pk=attest_id)
    if attest.pdf:
        return attest
    with translation.override("nl"):
        pdf = render_attest_pdf(attest)
    storage = attest.pdf.field.storage
    name = f"fiscal_attests/{attest.year}/{attest.file_name()}"
    storage.delete(name)
    stored = storage.save(name, ContentFile(pdf))
    FiscalAttest.objects.filter(pk=attest.pk, pdf="").update(pdf=stored)
    attest.refresh_from_db(fields=["pdf"])
    return attest


def fiscal_attest_regenerate(*, client: Client, year: int, actor) -> FiscalAttest:
    """After a correction: a new version of the client's attest of `year` from what it paid according to the
    books now; the earlier version stays, marked replaced. Organisations get no attest."""
    if client.category != ClientCategory.PARTICULIER:
        raise service_error(_("Only private persons get a fiscal attest; organisations get none."),
                            "not_private", "year")
    attest_year_check(year)
    with transaction.atomic():
        client = Client.objects.select_for_update(no_key=True).get(pk=client.pk)
        versions = list(FiscalAttest.objects.select_for_update(no_key=True).filter(client=client, year=year)
                        .order_by("-version"))
        count, amount = paid_for_cheques(organiser_id=client.organiser_id, year=year,
                                         client_ids=[client.pk]).get(client.pk, (0, Decimal("0.00")))
        if not versions and not amount:
            raise service_error(_("%(client)s paid nothing for cheques in %(year)s: there is no attest to make.")
                                % {"client": client.name, "year": year}, "nothing_paid", "year")
        current = next((attest for attest in versions if attest.status == AttestStatus.CURRENT), None)
        if current is not None:
            current.status, current.replaced_at = AttestStatus.REPLACED, timezone.now()
            current.save(update_fields=["status", "replaced_at"])
        attest = FiscalAttest(organiser_id=client.organiser_id, client=client, year=year,
                              version=(versions[0].version + 1) if versions else 1, cheques=count, amount=amount,
                              reduction_percent=_reduction_percent(client.organiser, year),
                              created_by=actor if getattr(actor, "pk", None) else None)
        attest.full_clean()
        attest.save()
        entries = [(actor, "fiscal_attest.regenerate",
                    _("Fiscal attest %(year)s made again (version %(version)s): %(amount)s") % {
                        "year": year, "version": attest.version, "amount": format_euro(amount)}, attest,
                    {"amount": amount, "count": count})]
        if current is not None:
            entries.append((actor, "fiscal_attest.replace",
                            _("Fiscal attest %(year)s version %(version)s replaced") % {
                                "year": year, "version": current.version}, current, {}))
        audit_log_objects(entries)
        transaction.on_commit(lambda: _render_task().delay(attest.pk))
    return attest


def _render_task():
    from .tasks import render_fiscal_attest

    return render_fiscal_attest
