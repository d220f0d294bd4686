"""The money coming in: cheque orders, payments, bank imports, online payments and the cheques themselves.

Glossary: ChequeOrder = bestelling, Payment = betaling, ClientCredit = tegoed (overpayments, to use for an
order or to refund), RefundBatch = terugbetaling (a SEPA file giving credit back), BankImport =
rekeninguittreksel, BankLine = bankverrichting, MolliePayment = online betaling,
Cheque = wijk-werkcheque (elektronisch of papier), wallet = portefeuille, Settlement = afrekening (a confirmed
prestatie betaald with cheques, or te betalen while the wallet holds too few).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

from assignments.models import Client, Prestatie, RegistrationFee
from wijkwerken.core.models import Organiser

MIN_ORDER_QUANTITY = 1
MAX_ORDER_QUANTITY = 500


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


def format_structured_communication(value: str) -> str:
    return f"+++{ogm_vcs.format(value)}+++" if value else ""


class OrderStatus(models.TextChoices):
    OPEN = "open", _("open")
    PARTIALLY_PAID = "gedeeltelijk_betaald", _("partially paid")
    PAID = "betaald", _("paid")
    CANCELLED = "geannuleerd", _("cancelled")


OPEN_ORDER_STATUSES = (OrderStatus.OPEN, OrderStatus.PARTIALLY_PAID)


class ChequeOrderQuerySet(models.QuerySet):
    def awaiting_payment(self):
        return self.filter(status__in=OPEN_ORDER_STATUSES)


class ChequeOrder(models.Model):
    """A client's order for `quantity` cheques (plus the yearly registration fee when it was due)."""

    TRANSITIONS = {
        OrderStatus.OPEN: (OrderStatus.PARTIALLY_PAID, OrderStatus.PAID, OrderStatus.CANCELLED),
        OrderStatus.PARTIALLY_PAID: (OrderStatus.PAID, OrderStatus.CANCELLED),
        OrderStatus.PAID: (),
        OrderStatus.CANCELLED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="cheque_orders", on_delete=models.PROTECT)
    client = models.ForeignKey(Client, verbose_name=_("client"), related_name="cheque_orders",
                               on_delete=models.PROTECT)
    structured_communication = models.CharField(_("structured communication"), max_length=12, unique=True)
    quantity = models.PositiveIntegerField(_("number of cheques"))
    cheque_price = _money(_("price per cheque"))
    cheques_amount = _money(_("amount for the cheques"))
    fee = models.ForeignKey(
        RegistrationFee, verbose_name=_("registration fee"), related_name="cheque_orders", on_delete=models.PROTECT,
        null=True, blank=True,
    )
    fee_amount = _money(_("registration fee"), default=Decimal("0.00"))
    total = _money(_("total"))
    amount_paid = _money(_("paid"), default=Decimal("0.00"))
    status = models.CharField(_("status"), max_length=30, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    ordered_on = models.DateField(_("ordered on"))
    due_on = models.DateField(_("pay before"))
    cancel_after = models.DateField(_("cancelled when unpaid after"))
    reminder_sent_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cheques_issued_at = models.DateTimeField(_("cheques issued at"), null=True, blank=True)
    pdf = models.FileField(_("order confirmation"), upload_to="cheque_orders/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    objects = ChequeOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("cheque order")
        verbose_name_plural = _("cheque orders")
        ordering = ["-ordered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=MIN_ORDER_QUANTITY, quantity__lte=MAX_ORDER_QUANTITY),
                name="chequeorder_quantity_range",
            ),
            models.CheckConstraint(condition=Q(cheque_price__gt=0), name="chequeorder_price_positive"),
            models.CheckConstraint(
                condition=Q(total=F("cheques_amount") + F("fee_amount")), name="chequeorder_total_adds_up"
            ),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="chequeorder_paid_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="betaald") | (Q(paid_on__isnull=False) & Q(amount_paid__gte=F("total"))),
                name="chequeorder_paid_in_full",
            ),
            models.CheckConstraint(
                condition=~Q(status="geannuleerd") | Q(cancelled_on__isnull=False),
                name="chequeorder_cancelled_has_date",
            ),
            models.CheckConstraint(
                condition=Q(cheques_issued_at__isnull=True) | Q(status="betaald"),
                name="chequeorder_cheques_only_when_paid",
            ),
            # A year's fee is asked on at most one order that is not cancelled.
            models.UniqueConstraint(fields=["fee"], condition=~Q(status="geannuleerd"),
                                    name="chequeorder_fee_on_one_order"),
        ]
        indexes = [models.Index(fields=["organiser", "status", "ordered_on"], name="chequeorder_org_status_idx")]

    def __str__(self):
        return str(_("Order %(number)s")) % {"number": self.pk}

    @property
    def structured_communication_display(self) -> str:
        return format_structured_communication(self.structured_communication)

    @property
    def outstanding(self) -> Decimal:
        return max(self.total - self.amount_paid, Decimal("0.00"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[OrderStatus(self.status)]

    def can_cancel(self) -> bool:
        return self.status == OrderStatus.OPEN and self.amount_paid == 0


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "overschrijving", _("bank transfer")
    ONLINE = "online", _("online payment")
    CREDIT = "tegoed", _("from the client's credit")


class Payment(models.Model):
    """Money put on one order: from a bank line (one line may pay several orders) or an online payment."""

    organiser = models.ForeignKey(Organiser, related_name="cheque_payments", on_delete=models.PROTECT)
    order = models.ForeignKey(ChequeOrder, related_name="payments", on_delete=models.PROTECT)
    amount = _money(_("amount"))
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    received_on = models.DateField(_("received on"))
    bank_line = models.ForeignKey("BankLine", related_name="payments", on_delete=models.PROTECT,
                                  null=True, blank=True)
    online_payment = models.ForeignKey("MolliePayment", related_name="payments", on_delete=models.PROTECT,
                                       null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method="overschrijving") | Q(bank_line__isnull=False), name="payment_transfer_has_line"
            ),
            models.CheckConstraint(
                condition=~Q(method="online") | Q(online_payment__isnull=False), name="payment_online_has_payment"
            ),
            # One online payment pays its order once, however often the webhook arrives.
            models.UniqueConstraint(fields=["online_payment"], condition=Q(online_payment__isnull=False),
                                    name="payment_one_per_online_payment"),
        ]

    def __str__(self):
        return f"{self.order} {self.amount}"


class CreditKind(models.TextChoices):
    OVERPAYMENT = "teveel_betaald", _("paid too much")
    ALREADY_PAID = "reeds_betaald", _("order already paid")
    UNKNOWN_ORDER = "zonder_bestelling", _("payment without an open order")
    USED = "gebruikt", _("used for an order")
    REFUNDED = "terugbetaald", _("refunded")


INCOMING_CREDIT_KINDS = (CreditKind.OVERPAYMENT, CreditKind.ALREADY_PAID, CreditKind.UNKNOWN_ORDER)


class RefundBatch(models.Model):
    """Credit given back to clients in one SEPA credit-transfer file (pain.001.001.03) for the bank.

    Immutable once created: the file is written with the row, and on PostgreSQL a trigger refuses any UPDATE
    or DELETE (migration 0003). Its lines are the negative `ClientCredit` rows of kind "terugbetaald".
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
        indexes = [models.Index(fields=["organiser", "status"], name="bankline_org_status_idx")]

    def __str__(self):
        return f"{self.booking_date:%d/%m/%Y} {self.amount} {self.payer_name}"

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[LineStatus(self.status)]


class MollieStatus(models.TextChoices):
    OPEN = "open", _("open")
    PENDING = "pending", _("pending")
    AUTHORIZED = "authorized", _("authorised")
    PAID = "paid", _("paid")
    CANCELED = "canceled", _("cancelled")
    EXPIRED = "expired", _("expired")
    FAILED = "failed", _("failed")


class MolliePayment(models.Model):
    """An online payment at Mollie for one order. Its status is only ever taken from Mollie's API."""

    organiser = models.ForeignKey(Organiser, related_name="mollie_payments", on_delete=models.PROTECT)
    order = models.ForeignKey(ChequeOrder, related_name="online_payments", on_delete=models.PROTECT)
    mollie_id = models.CharField(max_length=40, unique=True)
    amount = _money(_("amount"))
    status = models.CharField(_("status"), max_length=20, choices=MollieStatus.choices, default=MollieStatus.OPEN)
    method = models.CharField(_("method"), max_length=30, blank=True)
    checkout_url = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="molliepayment_amount_positive")]

    def __str__(self):
        return self.mollie_id


class ChequeKind(models.TextChoices):
    ELECTRONIC = "elektronisch", _("electronic")
    PAPER = "papier", _("paper")


class ChequeStatus(models.TextChoices):
    AVAILABLE = "beschikbaar", _("available")
    REDEEMED = "gebruikt", _("used")
    EXPIRED = "vervallen", _("expired")
    REFUNDED = "terugbetaald", _("refunded")


class ChequeQuerySet(models.QuerySet):
    def available(self, on=None):
        queryset = self.filter(status=ChequeStatus.AVAILABLE)
        if on is not None:
            queryset = queryset.filter(expires_on__gte=on)
        return queryset

    def soonest_expiring_first(self):
        return self.order_by("expires_on", "serial")


class Cheque(models.Model):
    """One wijk-werkcheque in a client's wallet, worth one started hour of work.

    Settlement (flow 6) sets the prestatie it paid, `redeemed_at` and the status `gebruikt`, together (a
    check constraint). A cheque is redeemed at most once, ever: on PostgreSQL a trigger refuses any change
    to a redeemed cheque's status or prestatie (migration 0002), and only available cheques are redeemed.
    """

    TRANSITIONS = {
        ChequeStatus.AVAILABLE: (ChequeStatus.REDEEMED, ChequeStatus.EXPIRED, ChequeStatus.REFUNDED),
        ChequeStatus.REDEEMED: (),
        ChequeStatus.EXPIRED: (),
        ChequeStatus.REFUNDED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="cheques", on_delete=models.PROTECT)
    client = models.ForeignKey(Client, verbose_name=_("client"), related_name="cheques", on_delete=models.PROTECT)
    order = models.ForeignKey(ChequeOrder, related_name="cheques", on_delete=models.PROTECT, null=True, blank=True)
    sequence = models.PositiveIntegerField(_("number within the order"), null=True, blank=True)
    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=ChequeKind.choices, default=ChequeKind.ELECTRONIC)
    value = _money(_("price paid"))
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=15, choices=ChequeStatus.choices,
                              default=ChequeStatus.AVAILABLE)
    redeemed_at = models.DateTimeField(_("used at"), null=True, blank=True)
    prestatie = models.ForeignKey(Prestatie, verbose_name=_("used for"), related_name="redeemed_cheques",
                                  on_delete=models.PROTECT, null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChequeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cheque")
        verbose_name_plural = _("cheques")
        ordering = ["expires_on", "serial"]
        constraints = [
            # Paying an order twice can never issue its cheques twice.
            models.UniqueConstraint(fields=["order", "sequence"], condition=Q(order__isnull=False),
                                    name="cheque_one_per_order_sequence"),
            models.CheckConstraint(
                condition=(Q(kind="elektronisch") & Q(order__isnull=False) & Q(sequence__isnull=False))
                | (Q(kind="papier") & Q(order__isnull=True)),
                name="cheque_electronic_from_order",
            ),
            models.CheckConstraint(condition=Q(expires_on__gte=F("issued_on")), name="cheque_expires_after_issue"),
            models.CheckConstraint(
                condition=(Q(status="gebruikt") & Q(redeemed_at__isnull=False))
                | (~Q(status="gebruikt") & Q(redeemed_at__isnull=True)),
                name="cheque_redeemed_has_time",
            ),
            models.CheckConstraint(
                condition=(Q(status="gebruikt") & Q(prestatie__isnull=False))
                | (~Q(status="gebruikt") & Q(prestatie__isnull=True)),
                name="cheque_redeemed_for_prestatie",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="cheque_value_not_negative"),
        ]
        indexes = [
            models.Index(fields=["client", "status", "expires_on"], name="cheque_wallet_idx"),
        ]

    def __str__(self):
        return self.serial

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[ChequeStatus(self.status)]

    def clean(self):
        if self.client_id and self.organiser_id and self.client.organiser_id != self.organiser_id:
            raise ValidationError(_("This client belongs to another organiser."), code="other_organiser")


class SettlementStatus(models.TextChoices):
    PAID = "betaald", _("paid with cheques")
    WAITING = "te_betalen", _("to pay")


class SettlementQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=SettlementStatus.WAITING)

    def paid(self):
        return self.filter(status=SettlementStatus.PAID)


class Settlement(models.Model):
    """How a confirmed prestatie is paid: with `cheques` cheques from the client's wallet (betaald), or not yet
    because the wallet held too few (te betalen). One per prestatie, ever; the cheques point to the prestatie."""

    TRANSITIONS = {
        SettlementStatus.WAITING: (SettlementStatus.PAID,),
        SettlementStatus.PAID: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="settlements", on_delete=models.PROTECT)
    client = models.ForeignKey(Client, verbose_name=_("client"), related_name="settlements",
                               on_delete=models.PROTECT)
    prestatie = models.OneToOneField(Prestatie, verbose_name=_("prestatie"), related_name="settlement",
                                     on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=12, choices=SettlementStatus.choices)
    cheques = models.PositiveSmallIntegerField(_("cheques"))
    waiting_since = models.DateTimeField(_("waiting for cheques since"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SettlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cheques__gte=1), name="settlement_at_least_one_cheque"),
            models.CheckConstraint(
                condition=(Q(status="betaald") & Q(paid_at__isnull=False))
                | (Q(status="te_betalen") & Q(paid_at__isnull=True)),
                name="settlement_paid_has_time",
            ),
        ]
        indexes = [models.Index(fields=["client", "status"], name="settlement_client_status_idx")]

    def __str__(self):
        return f"{self.prestatie_id} {self.status}"

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[SettlementStatus(self.status)]
