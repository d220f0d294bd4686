"""Client credit (tegoed): money received beyond what was ordered, used for a later order or refunded in an
immutable SEPA batch (terugbetaling)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban

from assignments.models import Client
from wijkwerken.core.models import Organiser

from .orders import ChequeOrder, _money


class CreditKind(models.TextChoices):
    OVERPAYMENT = "teveel_betaald", _("paid too much")
    ALREADY_PAID = "reeds_betaald", _("order already paid")
    UNKNOWN_ORDER = "zonder_bestelling", _("payment without an open order")
    USED = "gebruikt", _("used for an order")
    REFUNDED = "terugbetaald", _("refunded")


INCOMING_CREDIT_KINDS = (CreditKind.OVERPAYMENT, CreditKind.ALREADY_PAID, CreditKind.UNKNOWN_ORDER)


class RefundBatch(models.Model):
    """Credit given back to clients in one SEPA credit-transfer file (pain.001.001.03) for the bank.

    Immutable once created: the file is written with the row, and on PostgreSQL the trigger
    `refundbatch_is_final` (function `cheques_refundbatch_is_final`, migration 0003) refuses any UPDATE or
    DELETE; the history triggers `history_no_delete` / `history_no_truncate` (migration 0006,
    `wijkwerken.core.history`) refuse DELETE and TRUNCATE. Its lines are the negative `ClientCredit` rows of kind
    "terugbetaald".
    """

    organiser = models.ForeignKey(Organiser, related_name="refund_batches", on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("number"))
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    execution_date = models.DateField(_("execution date"))
    total = _money(_("total"))
    count = models.PositiveIntegerField(_("number of refunds"))
    file = models.FileField(_("SEPA file"), upload_to="refund_batches/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund batch")
        verbose_name_plural = _("refund batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "number"], name="refundbatch_unique_number"),
            models.CheckConstraint(condition=Q(total__gt=0), name="refundbatch_total_positive"),
            models.CheckConstraint(condition=Q(count__gte=1), name="refundbatch_not_empty"),
        ]

    def __str__(self):
        return str(_("Refund %(number)s")) % {"number": self.number}

    @property
    def file_name(self) -> str:
        return f"terugbetaling-{self.number}.xml"

    def end_to_end_id(self, client_number) -> str:
        """The reference of one transfer, unique within the organiser: the bank reports it back."""
        return f"TB{self.number}-{client_number}"


class ClientCredit(models.Model):
    """The client's money we hold but did not put on an order (positive), or that left the credit: used to pay
    an order (negative, `order`) or refunded (negative, `refund_batch`, to `refund_iban`).

    The balance is the sum; it never goes below zero (the services that take from it lock the client first).
    """

    organiser = models.ForeignKey(Organiser, related_name="client_credits", on_delete=models.PROTECT)
    client = models.ForeignKey(Client, related_name="credits", on_delete=models.PROTECT)
    amount = _money(_("amount"))
    kind = models.CharField(_("kind"), max_length=20, choices=CreditKind.choices)
    bank_line = models.ForeignKey("BankLine", related_name="credits", on_delete=models.PROTECT,
                                  null=True, blank=True)
    order = models.ForeignKey(ChequeOrder, related_name="credits", on_delete=models.PROTECT, null=True, blank=True)
    payer_iban = models.CharField(_("payer's IBAN"), max_length=42, blank=True)
    refund_batch = models.ForeignKey(RefundBatch, verbose_name=_("refund batch"), related_name="credits",
                                     on_delete=models.PROTECT, null=True, blank=True)
    refund_iban = models.CharField(_("refunded to"), max_length=42, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client credit")
        verbose_name_plural = _("client credits")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="clientcredit_amount_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind__in=["teveel_betaald", "reeds_betaald", "zonder_bestelling"]) | Q(amount__gt=0),
                name="clientcredit_incoming_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind="gebruikt") | (Q(amount__lt=0) & Q(order__isnull=False)),
                name="clientcredit_used_for_order",
            ),
            models.CheckConstraint(
                condition=(Q(kind="terugbetaald") & Q(amount__lt=0) & Q(refund_batch__isnull=False)
                           & ~Q(refund_iban=""))
                | (~Q(kind="terugbetaald") & Q(refund_batch__isnull=True) & Q(refund_iban="")),
                name="clientcredit_refund_in_batch",
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.amount}"

    @property
    def end_to_end_id(self) -> str:
        return self.refund_batch.end_to_end_id(self.client.number) if self.refund_batch_id else ""

    @property
    def refund_iban_display(self) -> str:
        return stdnum_iban.format(self.refund_iban) if self.refund_iban else ""

    @property
    def amount_out(self) -> Decimal:
        """What left the credit (used or refunded), as a positive amount."""
        return -self.amount


class CreditBalance(models.Model):
    """A client's credit balance: the sum of their `ClientCredit` rows, kept by the database (triggers, migration
    cheques 0018) and never written by the application. The money overview finds the clients holding credit here
    instead of adding up every credit row of the organiser; a client without credit rows has no balance row."""

    client = models.OneToOneField(Client, primary_key=True, related_name="credit_balance",
                                  on_delete=models.CASCADE)
    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.CASCADE)
    balance = _money(_("credit"), default=Decimal("0.00"))

    class Meta:
        verbose_name = _("credit balance")
        verbose_name_plural = _("credit balances")
        constraints = [
            # The services that take credit lock the client first and never take more than it holds.
            models.CheckConstraint(condition=Q(balance__gte=0), name="creditbalance_not_negative"),
        ]
        indexes = [models.Index(fields=["organiser"], include=["balance"], condition=~Q(balance=0),
                                name="creditbalance_holders_idx")]

    def __str__(self):
        return f"{self.client_id} {self.balance}"
