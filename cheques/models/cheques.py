"""The cheques in a client's wallet (portefeuille) and the settlement (afrekening) of confirmed prestaties with them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assignments.models import Client, Prestatie
from wijkwerken.core.models import Organiser

from .orders import ChequeOrder, _money


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
    check constraint). A cheque is redeemed at most once, ever: on PostgreSQL the trigger
    `cheque_redeemed_is_final` (function `cheques_cheque_redeemed_is_final`, migration 0002) refuses any change
    to a redeemed cheque's status or prestatie, and only available cheques are redeemed. The trigger
    `cheque_pays_own_client` (migration 0004) refuses a cheque paying another client's prestatie. The history
    triggers `history_no_delete` / `history_no_truncate` (migration 0006, `wijkwerken.core.history`) refuse
    deleting a cheque.
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
            # The yearly reports and the money overview count and sum cheques sold, used, expired, refunded and in
            # the wallets in a period: one range of a covering index per figure (the value is in the index, so
            # the table is not read), whatever the number of other years in the table. The issued index's order
            # is the order of the overview's lists of cheques.
            models.Index(fields=["organiser", "-issued_on", "serial"], include=["value"],
                         name="cheque_report_issued_idx"),
            models.Index(fields=["organiser", "redeemed_at"], include=["issued_on", "value"],
                         name="cheque_report_redeemed_idx", condition=Q(status="gebruikt")),
            models.Index(fields=["organiser", "expires_on"], include=["issued_on", "value"],
                         name="cheque_report_expired_idx", condition=Q(status="vervallen")),
            models.Index(fields=["organiser", "status", "issued_on"], include=["value"],
                         name="cheque_report_open_idx",
                         # Two equalities, not IN: PostgreSQL prints an IN list back in a form that it reads as a
                         # different definition, so the index would not come back the same from a dump.
                         condition=Q(status="beschikbaar") | Q(status="terugbetaald")),
            # The expired cheques are the oldest: in the issued index's order a page of them would be found only
            # after every younger cheque.
            models.Index(fields=["organiser", "-issued_on", "serial"], name="cheque_expired_list_idx",
                         condition=Q(status="vervallen")),
        ]

    def __str__(self):
        return self.serial

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[ChequeStatus(self.status)]

    def clean(self):
        if self.client_id and self.organiser_id and self.client.organiser_id != self.organiser_id:
            raise ValidationError(_("This client belongs to another organiser."), code="other_organiser")



def _total(verbose_name):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, default=0)


class ChequeDay(models.Model):
    """Per organiser and day, the cheques that entered and left the clients' wallets, by the rules of the money
    overview (cheques/overview.py): issued that day, and of those the ones refunded since (a refunded cheque leaves
    on the day it was issued); redeemed that day (Brussels time); expired that day (the day after the last valid
    day). So a figure of a period, or the wallets on a day, adds up days instead of the organiser's cheques.

    Kept by the PostgreSQL trigger `cheque_day` on cheques_cheque (migration 0013_cheque_day), never written by the
    application; on another database the overview adds up the cheques themselves.
    `tests/cheques/test_cheque_day.py` compares the two."""

    organiser = models.ForeignKey(Organiser, related_name="+", on_delete=models.CASCADE)
    day = models.DateField()
    issued_count = models.IntegerField(default=0)
    issued_value = _total("issued")
    refunded_count = models.IntegerField(default=0)
    refunded_value = _total("refunded")
    redeemed_count = models.IntegerField(default=0)
    redeemed_value = _total("redeemed")
    expired_count = models.IntegerField(default=0)
    expired_value = _total("expired")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organiser", "day"], name="cheque_day_unique")]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.organiser_id}"

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
