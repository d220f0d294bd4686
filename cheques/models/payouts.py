"""Payouts (uitbetalingen): the wijk-werker's monthly allowance — the cheques redeemed for their hours times the
allowance per cheque, plus the travel allowance — paid in immutable batches with one SEPA transfer per worker.

A batch (`PayoutBatch`) has one line per worker (`PayoutLine`), and each line the items it pays
(`PayoutItem`): a prestatie paid for the first time, the correction of a prestatie paid before (its kilometres
changed), or a correction staff entered (`PayoutCorrection`, e.g. a dispute upheld after the payment).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban

from assignments.models import Prestatie
from wijkwerken.core.models import Organiser

from .bank import BankImport
from .orders import _money


def _cents(expression):
    """A sum of amounts to the cent: exact on PostgreSQL, and on SQLite (the embedded default, which adds decimals
    as floating point) the same sum without the float's last digits."""
    return Round(expression, 2, output_field=models.DecimalField(max_digits=12, decimal_places=2))


class PayoutBatchStatus(models.TextChoices):
    CONFIRMED = "bevestigd", _("confirmed")
    EXECUTED = "uitgevoerd", _("executed")


class PayoutBatch(models.Model):
    """The payout of one run: a SEPA credit-transfer file (pain.001.001.03) for the organiser's bank and one line
    per worker.

    Final once confirmed: its lines, items and file never change. On PostgreSQL the trigger `payoutbatch_is_final`
    (function `cheques_payoutbatch_is_final`, migration 0006) refuses every DELETE and every UPDATE except the one
    that marks the batch executed (status "bevestigd" → "uitgevoerd" with `executed_on` and the bank import, all
    other columns unchanged); the triggers `payoutline_is_final` and `payoutitem_is_final` refuse any UPDATE or
    DELETE of its lines and items. Later changes are correction items in a later batch.
    """

    TRANSITIONS = {
        PayoutBatchStatus.CONFIRMED: (PayoutBatchStatus.EXECUTED,),
        PayoutBatchStatus.EXECUTED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="payout_batches", on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("number"))
    month = models.DateField(_("work up to the end of"))  # the first day of the month
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    # What the beheerder saw in the preview and confirmed: the same preview is never confirmed twice.
    preview_fingerprint = models.CharField(max_length=129)
    execution_date = models.DateField(_("execution date"))
    count = models.PositiveIntegerField(_("number of transfers"))
    allowance = _money(_("allowances"))
    travel = _money(_("travel allowances"))
    corrections = _money(_("corrections"))
    total = _money(_("total"))
    # What the batch's items count, kept with it so the money overview reads a year of payouts from a dozen
    # batches instead of every item: prestaties paid (items "vergoeding"), those of them with a travel allowance,
    # and the corrections (items "correctie" and "manueel").
    prestaties = models.PositiveIntegerField(_("prestaties paid"), default=0)
    travel_count = models.PositiveIntegerField(_("prestaties with a travel allowance"), default=0)
    correction_count = models.PositiveIntegerField(_("corrections"), default=0)
    file = models.FileField(_("SEPA file"), upload_to="payout_batches/")
    status = models.CharField(_("status"), max_length=12, choices=PayoutBatchStatus.choices,
                              default=PayoutBatchStatus.CONFIRMED)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    executed_by_import = models.ForeignKey(BankImport, verbose_name=_("seen on bank statement"),
                                           related_name="payout_batches_executed", on_delete=models.PROTECT,
                                           null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("confirmed on"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "number"], name="payoutbatch_unique_number"),
            models.UniqueConstraint(fields=["organiser", "preview_fingerprint"],
                                    name="payoutbatch_preview_confirmed_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="payoutbatch_month_starts_on_1"),
            models.CheckConstraint(condition=Q(total__gt=0), name="payoutbatch_total_positive"),
            models.CheckConstraint(condition=Q(count__gte=1), name="payoutbatch_not_empty"),
            models.CheckConstraint(condition=Q(total=_cents(F("allowance") + F("travel") + F("corrections"))),
                                   name="payoutbatch_total_adds_up"),
            models.CheckConstraint(
                condition=(Q(status="bevestigd") & Q(executed_on__isnull=True))
                | (Q(status="uitgevoerd") & Q(executed_on__isnull=False)),
                name="payoutbatch_executed_has_date",
            ),
        ]

    def __str__(self):
        return str(_("Payout %(number)s")) % {"number": self.number}

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[PayoutBatchStatus(self.status)]

    @property
    def is_executed(self) -> bool:
        return self.status == PayoutBatchStatus.EXECUTED

    @property
    def file_name(self) -> str:
        return f"uitbetaling-{self.number}-{self.month:%Y-%m}.xml"

    @property
    def payment_id(self) -> str:
        """The payment information id of the file (and the reference the bank's debit may show)."""
        return f"UB{self.number}"

    def end_to_end_id(self, worker_id) -> str:
        """The reference of one transfer, unique within the organiser: the bank reports it back."""
        return f"UB{self.number}-{worker_id}"


class PayoutLine(models.Model):
    """One worker's transfer in a batch: what it pays (allowance, travel, corrections) and where it went.
    Final: the trigger `payoutline_is_final` (migration 0006) refuses any UPDATE or DELETE, except the redaction
    of `name` and `iban` when the worker is anonymised (migration privacy 0002)."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    batch = models.ForeignKey(PayoutBatch, verbose_name=_("payout batch"), related_name="lines",
                              on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", verbose_name=_("wijk-werker"), related_name="payout_lines",
                               on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=42)
    prestaties = models.PositiveIntegerField(_("prestaties"))
    cheques = models.PositiveIntegerField(_("cheques"))
    kilometres = models.DecimalField(_("kilometres"), max_digits=8, decimal_places=1)
    allowance = _money(_("allowance"))
    travel = _money(_("travel allowance"))
    corrections = _money(_("corrections"))
    total = _money(_("total"))

    class Meta:
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        ordering = ["batch", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "worker"], name="payoutline_one_per_worker"),
            models.CheckConstraint(condition=Q(total__gt=0), name="payoutline_total_positive"),
            models.CheckConstraint(condition=Q(total=_cents(F("allowance") + F("travel") + F("corrections"))),
                                   name="payoutline_total_adds_up"),
        ]
        indexes = [models.Index(fields=["worker", "batch"], name="payoutline_worker_idx")]

    def __str__(self):
        return f"{self.batch} {self.name}"

    @property
    def iban_display(self) -> str:
        return stdnum_iban.format(self.iban)

    @property
    def end_to_end_id(self) -> str:
        return self.batch.end_to_end_id(self.worker_id)


class PayoutItemKind(models.TextChoices):
    PAYMENT = "vergoeding", _("allowance")
    CORRECTION = "correctie", _("correction of a prestatie paid before")
    MANUAL = "manueel", _("correction by staff")


class PayoutItem(models.Model):
    """What a line pays, one row each: a prestatie's allowance and travel (`vergoeding`, `sequence` 1), a later
    correction of that prestatie (`correctie`, `sequence` 2, 3, ...) or a staff correction (`manueel`).

    A prestatie is paid out at most once: the unique constraint `payoutitem_prestatie_paid_once` holds however many
    runs are confirmed at the same moment, and `payoutitem_one_correction_per_step` does the same for corrections.
    Final: the trigger `payoutitem_is_final` (migration 0006) refuses any UPDATE or DELETE.
    """

    # A run writes an item per prestatie (tens of thousands): no index that another one already covers (the
    # worker's by `payoutitem_worker_idx`, the prestatie's and the correction's by their unique constraints).
    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT, db_index=False)
    line = models.ForeignKey(PayoutLine, related_name="items", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="+", on_delete=models.PROTECT, db_index=False)
    kind = models.CharField(_("kind"), max_length=12, choices=PayoutItemKind.choices)
    prestatie = models.ForeignKey(Prestatie, verbose_name=_("prestatie"), related_name="payout_items",
                                  on_delete=models.PROTECT, null=True, blank=True, db_index=False)
    sequence = models.PositiveSmallIntegerField(null=True, blank=True)
    correction = models.ForeignKey("PayoutCorrection", related_name="items", on_delete=models.PROTECT, null=True,
                                   blank=True, db_index=False)
    date = models.DateField(_("date"))
    cheques = models.PositiveSmallIntegerField(_("cheques"), default=0)
    kilometres = models.DecimalField(_("kilometres"), max_digits=4, decimal_places=1, default=0)
    allowance = _money(_("allowance"))
    travel = _money(_("travel allowance"))
    amount = _money(_("amount"))

    class Meta:
        verbose_name = _("payout item")
        verbose_name_plural = _("payout items")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["prestatie"], condition=Q(kind="vergoeding"),
                                    name="payoutitem_prestatie_paid_once"),
            models.UniqueConstraint(fields=["prestatie", "sequence"], condition=Q(prestatie__isnull=False),
                                    name="payoutitem_one_correction_per_step"),
            models.UniqueConstraint(fields=["correction"], condition=Q(correction__isnull=False),
                                    name="payoutitem_correction_paid_once"),
            models.CheckConstraint(
                condition=(Q(kind="vergoeding") & Q(prestatie__isnull=False) & Q(sequence=1)
                           & Q(correction__isnull=True) & Q(amount__gte=0))
                | (Q(kind="correctie") & Q(prestatie__isnull=False) & Q(sequence__gte=2)
                   & Q(correction__isnull=True))
                | (Q(kind="manueel") & Q(prestatie__isnull=True) & Q(sequence__isnull=True)
                   & Q(correction__isnull=False)),
                name="payoutitem_kind_fields",
            ),
            models.CheckConstraint(condition=Q(amount=_cents(F("allowance") + F("travel"))) | Q(kind="manueel"),
                                   name="payoutitem_amount_adds_up"),
        ]
        indexes = [
            models.Index(fields=["worker", "date"], name="payoutitem_worker_idx"),
            # The money overview lists a period's items of one figure newest first, walking one of these backwards
            # from the period's end: the allowances, those with a travel allowance, the corrections.
            models.Index(fields=["organiser", "date", "id"], condition=Q(kind="vergoeding"),
                         name="payoutitem_payment_idx"),
            models.Index(fields=["organiser", "date", "id"], condition=Q(kind="vergoeding") & ~Q(travel=0),
                         name="payoutitem_travel_idx"),
            models.Index(fields=["organiser", "date", "id"], condition=~Q(kind="vergoeding"),
                         name="payoutitem_correction_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class PayoutCorrection(models.Model):
    """An amount staff add to (or take from) a worker's next payout, with the reason: a dispute upheld after the
    payment, an allowance forgotten. Paid in the first batch after it (its item), never twice."""

    organiser = models.ForeignKey(Organiser, related_name="payout_corrections", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", verbose_name=_("wijk-werker"), related_name="payout_corrections",
                               on_delete=models.PROTECT)
    amount = _money(_("amount"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payout correction")
        verbose_name_plural = _("payout corrections")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="payoutcorrection_not_zero")]

    def __str__(self):
        return f"{self.worker} {self.amount}"


class PayoutStatement(models.Model):
    """A stored PDF for a worker: the statement of one payout line (`line`), or the yearly overview (`year`).
    Rendered on the first download; a yearly overview again when a later batch of that year paid the worker
    (`basis` names the lines it covers). Served only through views scoped to the user."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.PROTECT)
    worker = models.ForeignKey("workers.Worker", related_name="payout_statements", on_delete=models.PROTECT)
    line = models.OneToOneField(PayoutLine, related_name="statement", on_delete=models.PROTECT, null=True,
                                blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    basis = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="payout_statements/")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payout statement")
        verbose_name_plural = _("payout statements")
        constraints = [
            models.CheckConstraint(condition=Q(line__isnull=False, year__isnull=True)
                                   | Q(line__isnull=True, year__isnull=False), name="payoutstatement_line_or_year"),
            models.UniqueConstraint(fields=["worker", "year"], condition=Q(year__isnull=False),
                                    name="payoutstatement_one_per_year"),
        ]

    def __str__(self):
        return self.file.name


class PayoutInputs(models.Model):
    """What a payout preview reads, as one value: `token` is new each time a transaction that changed it commits
    (a prestatie, a wijk-werker's name or IBAN, a payout item or correction, a rule set): triggers, migration cheques
    0019, PostgreSQL. A new random value rather than a count, so that a database restored from a backup or emptied
    by a test never repeats a value the application has seen with other data. Never written by the application."""

    organiser = models.OneToOneField(Organiser, primary_key=True, related_name="+", on_delete=models.CASCADE)
    token = models.UUIDField(editable=False)

    class Meta:
        verbose_name = _("payout inputs")
        verbose_name_plural = _("payout inputs")

    def __str__(self):
        return f"{self.organiser_id}: {self.token}"
