"""Bank statements (rekeninguittreksels, CODA and CAMT.053) and their lines (bankverrichtingen)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assignments.models import Client
from wijkwerken.core.models import Organiser

from .orders import _money


class ImportFormat(models.TextChoices):
    CODA = "coda", "CODA"
    CAMT053 = "camt053", "CAMT.053"


class ImportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("waiting")
    RUNNING = "bezig", _("processing")
    DONE = "klaar", _("done")
    FAILED = "mislukt", _("failed")


class BankImport(models.Model):
    """One uploaded statement file. Parsed completely before anything is written; all or nothing."""

    organiser = models.ForeignKey(Organiser, related_name="bank_imports", on_delete=models.PROTECT)
    file = models.FileField(_("file"), upload_to="bank_imports/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    warnings = models.TextField(_("warnings"), blank=True)  # one per line; the import went through all the same
    account_iban = models.CharField(_("account"), max_length=42, blank=True)
    lines_total = models.PositiveIntegerField(_("lines in the file"), default=0)
    lines_new = models.PositiveIntegerField(_("new lines"), default=0)
    lines_duplicate = models.PositiveIntegerField(_("lines imported before"), default=0)
    lines_matched = models.PositiveIntegerField(_("matched automatically"), default=0)
    lines_unmatched = models.PositiveIntegerField(_("waiting in the queue"), default=0)
    lines_skipped = models.PositiveIntegerField(_("outgoing lines skipped"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def warning_list(self) -> list[str]:
        return [warning for warning in self.warnings.splitlines() if warning.strip()]


class LineStatus(models.TextChoices):
    MATCHED = "gekoppeld", _("matched")
    ALREADY_PAID = "reeds_betaald", _("already paid")
    UNMATCHED = "te_behandelen", _("to handle")
    ASSIGNED = "manueel_gekoppeld", _("assigned by hand")
    DISCARDED = "genegeerd", _("discarded")


class BankLine(models.Model):
    """One incoming transfer on a statement. `checksum` makes a second import of the same line a no-op."""

    TRANSITIONS = {
        LineStatus.UNMATCHED: (LineStatus.ASSIGNED, LineStatus.DISCARDED),
        LineStatus.MATCHED: (),
        LineStatus.ALREADY_PAID: (),
        LineStatus.ASSIGNED: (),
        LineStatus.DISCARDED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="bank_lines", on_delete=models.PROTECT)
    bank_import = models.ForeignKey(BankImport, related_name="lines", on_delete=models.PROTECT)
    checksum = models.CharField(max_length=64)
    booking_date = models.DateField(_("booking date"))
    amount = _money(_("amount"))
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_iban = models.CharField(_("payer's IBAN"), max_length=42, blank=True)
    payer_bic = models.CharField(_("payer's BIC"), max_length=11, blank=True)
    communication = models.CharField(_("communication"), max_length=500, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("line in the file"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=LineStatus.choices, default=LineStatus.UNMATCHED)
    client = models.ForeignKey(Client, related_name="bank_lines", on_delete=models.PROTECT, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bank line")
        verbose_name_plural = _("bank lines")
        ordering = ["-booking_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "checksum"], name="bankline_unique_checksum"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bankline_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["manueel_gekoppeld", "genegeerd"]) | ~Q(note=""),
                name="bankline_handled_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["organiser", "status"], name="bankline_org_status_idx"),
            # The queue (oldest first, a page and the total) and the money overview's sum of it read only the lines
            # that wait, in the queue's order.
            models.Index(fields=["organiser", "booking_date", "id"], include=["amount"], name="bankline_queue_idx",
                         condition=Q(status="te_behandelen")),
        ]

    def __str__(self):
        return f"{self.booking_date:%d/%m/%Y} {self.amount} {self.payer_name}"

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[LineStatus(self.status)]
