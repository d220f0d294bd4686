"""Payments (betalingen) of orders: by bank transfer, online (Mollie) or from the client's credit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser

from .orders import ChequeOrder, _money


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "overschrijving", _("bank transfer")
    ONLINE = "online", _("online payment")
    CREDIT = "tegoed", _("from the client's credit")


class Payment(models.Model):
    """Money put on one order: from a bank line (one line may pay several orders) or an online payment.

    Never deleted: the history triggers `history_no_delete` / `history_no_truncate` (migration 0006,
    `wijkwerken.core.history`) refuse it."""

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
        # The money overview's payments of a period: the total from the index alone, a page newest first.
        indexes = [models.Index(fields=["organiser", "-received_on", "-id"], include=["amount", "method"],
                                name="payment_received_idx")]

    def __str__(self):
        return f"{self.order} {self.amount}"


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
