"""Cheque orders (bestellingen): what a client orders, with its structured communication and status."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from stdnum.be import ogm_vcs

from assignments.models import Client, RegistrationFee
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
        indexes = [
            models.Index(fields=["organiser", "status", "ordered_on"], name="chequeorder_org_status_idx"),
            # The order list, newest first (its default order): a page is read from the index, not sorted.
            models.Index(fields=["organiser", "-ordered_on", "-id"], name="chequeorder_org_ordered_idx"),
        ]

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
