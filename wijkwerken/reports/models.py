"""Reports (rapporten) of a municipality or of the whole organiser over a period, and the yearly fiscal attests
(fiscale attesten) of private clients.

Glossary: Report = rapport (jaarrapport), ReportAudience = voor wie (gemeente: "< 5" for small counts of persons;
organisatie: exact numbers), FiscalAttest = fiscaal attest, AttestBatch = reeks fiscale attesten van een jaar.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assignments.models import Client
from wijkwerken.core.models import Municipality, Organiser


class BuildStatus(models.TextChoices):
    """Where a background build stands (a report or a batch of attests)."""

    QUEUED = "wachtrij", pgettext_lazy("reports", "waiting")
    RUNNING = "bezig", pgettext_lazy("reports", "being made")
    DONE = "klaar", pgettext_lazy("reports", "ready")
    FAILED = "mislukt", pgettext_lazy("reports", "failed")


BUSY_STATUSES = (BuildStatus.QUEUED, BuildStatus.RUNNING)
BUILD_TRANSITIONS = {
    BuildStatus.QUEUED: (BuildStatus.RUNNING, BuildStatus.FAILED),
    BuildStatus.RUNNING: (BuildStatus.DONE, BuildStatus.FAILED),
    BuildStatus.FAILED: (BuildStatus.QUEUED,),
    BuildStatus.DONE: (),
}


# How long the Celery task of a build may run (tasks.py sets these limits on the tasks).
REPORT_TIME_LIMIT = 30 * 60
BATCH_TIME_LIMIT = 3 * 60 * 60


class BuildMixin(models.Model):
    """Status and progress of a build in a Celery task, polled by the page."""

    TRANSITIONS = BUILD_TRANSITIONS
    TIME_LIMIT = REPORT_TIME_LIMIT

    status = models.CharField(_("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.CharField(_("what went wrong"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), related_name="+",
                                     on_delete=models.PROTECT, null=True, blank=True)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[BuildStatus(self.status)]

    @property
    def is_busy(self) -> bool:
        return self.status in BUSY_STATUSES and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """A build that started longer ago than a task may run: its worker died (a hard time limit or a crash
        leaves no chance to record the failure). Shown and retried as failed, never as a spinner forever."""
        limit = datetime.timedelta(seconds=self.TIME_LIMIT + 60)
        moment = self.started_at or self.requested_at
        return self.status in BUSY_STATUSES and moment is not None and timezone.now() - moment > limit

    @property
    def has_failed(self) -> bool:
        return self.status == BuildStatus.FAILED or self.is_stale

    @property
    def can_retry(self) -> bool:
        return self.has_failed


class ReportAudience(models.TextChoices):
    MUNICIPALITY = "gemeente", _("municipal staff (fewer than 5 persons shown as “< 5”)")
    ORGANISER = "organisatie", _("our own staff (exact numbers)")


class Report(BuildMixin):
    """A report of one municipality (or of the whole organiser, `municipality` empty) over a period, built in the
    background as PDF, XLSX and CSV (a zip). `figures` keeps the tables as the files show them, for the page.

    The same report (scope, audience and period) is never built twice at once: a unique constraint over the
    reports that are waiting or being made. A yearly report (made by the January job) exists once per scope,
    audience and year.
    """

    organiser = models.ForeignKey(Organiser, related_name="reports", on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), related_name="reports",
                                     on_delete=models.PROTECT, null=True, blank=True)
    audience = models.CharField(_("for"), max_length=12, choices=ReportAudience.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("up to and including"))
    yearly = models.BooleanField(_("yearly report"), default=False, editable=False)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True, editable=False)
    pdf = models.FileField(upload_to="reports/", blank=True, editable=False)
    xlsx = models.FileField(upload_to="reports/", blank=True, editable=False)
    csv_zip = models.FileField(upload_to="reports/", blank=True, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_order"),
            models.CheckConstraint(condition=~Q(audience="gemeente") | Q(municipality__isnull=False),
                                   name="report_municipal_audience_has_municipality"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_range"),
            models.CheckConstraint(
                condition=~Q(status="klaar") | (Q(finished_at__isnull=False) & Q(data_as_of__isnull=False)
                                                & ~Q(pdf="") & ~Q(xlsx="") & ~Q(csv_zip="")),
                name="report_ready_has_files",
            ),
            models.UniqueConstraint(
                fields=["organiser", "municipality", "audience", "period_start", "period_end"],
                condition=Q(status__in=["wachtrij", "bezig"], municipality__isnull=False),
                name="report_one_build_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["organiser", "audience", "period_start", "period_end"],
                condition=Q(status__in=["wachtrij", "bezig"], municipality__isnull=True),
                name="report_organiser_one_build_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["organiser", "municipality", "audience", "period_start", "period_end"],
                condition=Q(yearly=True, municipality__isnull=False), name="report_one_yearly",
            ),
            models.UniqueConstraint(
                fields=["organiser", "audience", "period_start", "period_end"],
                condition=Q(yearly=True, municipality__isnull=True), name="report_organiser_one_yearly",
            ),
        ]
        indexes = [models.Index(fields=["organiser", "municipality", "-requested_at"], name="report_list_idx")]

    def __str__(self):
        return f"{self.title} — {self.period_label}"

    @property
    def scope_name(self) -> str:
        return self.municipality.name if self.municipality_id else self.organiser.name

    @property
    def title(self) -> str:
        if self.municipality_id:
            return _("Wijk-werken in %(municipality)s") % {"municipality": self.municipality.name}
        return _("%(organiser)s: all municipalities") % {"organiser": self.organiser.name}

    @property
    def is_whole_year(self) -> bool:
        return (self.period_start.month, self.period_start.day) == (1, 1) and \
            (self.period_end.month, self.period_end.day) == (12, 31) and \
            self.period_start.year == self.period_end.year

    @property
    def period_label(self) -> str:
        if self.is_whole_year:
            return str(self.period_start.year)
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"

    @property
    def masks_small_counts(self) -> bool:
        return self.audience == ReportAudience.MUNICIPALITY

    @property
    def is_ready(self) -> bool:
        return self.status == BuildStatus.DONE

    def file_name(self, extension: str) -> str:
        scope = (self.municipality.name if self.municipality_id else "organisatie").lower().replace(" ", "-")
        period = str(self.period_start.year) if self.is_whole_year else \
            f"{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"
        return f"rapport-wijkwerken-{scope}-{period}.{extension}"


class AttestBatch(BuildMixin):
    """The fiscal attests of one year for every private client of the organiser who paid for cheques in it.
    Running it again adds the attests still missing and changes none."""

    TIME_LIMIT = BATCH_TIME_LIMIT

    organiser = models.ForeignKey(Organiser, related_name="attest_batches", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.PositiveIntegerField(_("attests to make"), default=0)
    made = models.PositiveIntegerField(_("attests made"), default=0)

    class Meta:
        verbose_name = _("batch of fiscal attests")
        verbose_name_plural = _("batches of fiscal attests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year"], condition=Q(status__in=["wachtrij", "bezig"]),
                                    name="attestbatch_one_at_a_time"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="attestbatch_progress_range"),
            models.CheckConstraint(condition=Q(made__lte=F("total")), name="attestbatch_made_within_total"),
        ]

    def __str__(self):
        return str(_("Fiscal attests %(year)s")) % {"year": self.year}


class AttestStatus(models.TextChoices):
    CURRENT = "geldig", _("valid")
    REPLACED = "vervangen", _("replaced")


class FiscalAttest(models.Model):
    """What a private client paid for wijk-werkcheques in one calendar year, for the tax reduction.

    One valid attest per client and year (a partial unique constraint). A correction makes a new version; the
    earlier one stays, with its PDF, marked replaced. Amounts are fixed when the attest is made.
    """

    TRANSITIONS = {AttestStatus.CURRENT: (AttestStatus.REPLACED,), AttestStatus.REPLACED: ()}

    organiser = models.ForeignKey(Organiser, related_name="fiscal_attests", on_delete=models.PROTECT)
    client = models.ForeignKey(Client, verbose_name=_("client"), related_name="fiscal_attests",
                               on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    cheques = models.PositiveIntegerField(_("cheques paid"))
    amount = models.DecimalField(_("amount paid"), max_digits=10, decimal_places=2)
    reduction_percent = models.PositiveSmallIntegerField(_("tax reduction (%)"))
    status = models.CharField(_("status"), max_length=10, choices=AttestStatus.choices,
                              default=AttestStatus.CURRENT)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    batch = models.ForeignKey(AttestBatch, related_name="attests", on_delete=models.PROTECT, null=True,
                              blank=True)
    pdf = models.FileField(upload_to="fiscal_attests/", blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT,
                                   null=True, blank=True)
    created_at = models.DateTimeField(_("made on"), auto_now_add=True)

    class Meta:
        verbose_name = _("fiscal attest")
        verbose_name_plural = _("fiscal attests")
        ordering = ["-year", "client__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "year"], condition=Q(status="geldig"),
                                    name="fiscalattest_one_valid_per_year"),
            models.UniqueConstraint(fields=["client", "year", "version"], name="fiscalattest_unique_version"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fiscalattest_amount_not_negative"),
            models.CheckConstraint(
                condition=(Q(status="vervangen") & Q(replaced_at__isnull=False))
                | (Q(status="geldig") & Q(replaced_at__isnull=True)),
                name="fiscalattest_replaced_has_time",
            ),
        ]
        indexes = [models.Index(fields=["organiser", "year", "status"], name="fiscalattest_list_idx")]

    def __str__(self):
        return str(_("Fiscal attest %(year)s")) % {"year": self.year}

    @property
    def number(self) -> str:
        """The attest's reference: year, client number and version (2025-100123-1)."""
        return f"{self.year}-{self.client.number}-{self.version}"

    @property
    def reduction(self):
        from wijkwerken.core.money import round_money

        return round_money(self.amount * self.reduction_percent / 100)

    @property
    def is_current(self) -> bool:
        return self.status == AttestStatus.CURRENT

    def file_name(self) -> str:
        return f"fiscaal-attest-{self.year}-{self.client.number}-v{self.version}.pdf"
