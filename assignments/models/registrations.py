"""Online registrations (online inschrijvingen) on their way to becoming a client.

The public form gives the same answer whatever it is sent: a registration is kept here until the person
confirms their e-mail address through the link we mail them, and only then becomes a client. One whose national
register number (or enterprise number) already belongs to a client waits here for a bemiddelaar instead of
becoming a second client.

Glossary: ClientRegistration = online inschrijving (not a gebruiker yet). Never "aanmelding": that is logging in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wijkwerken.core.identity import format_national_number
from wijkwerken.core.models import Municipality, Organiser

from .clients import Client, ClientCategory


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("e-mail address not confirmed")
    REVIEW = "review", _("to check")
    APPROVED = "approved", pgettext_lazy("assignments registration", "approved")
    REJECTED = "rejected", pgettext_lazy("assignments registration", "rejected")


class ClientRegistration(models.Model):
    """An online registration that is not a client (yet). A confirmed one without a matching client becomes a
    client and is deleted; an unconfirmed one is purged when its link has expired."""

    TRANSITIONS = {
        RegistrationStatus.UNCONFIRMED: (RegistrationStatus.REVIEW,),
        RegistrationStatus.REVIEW: (RegistrationStatus.APPROVED, RegistrationStatus.REJECTED),
        RegistrationStatus.APPROVED: (),
        RegistrationStatus.REJECTED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="client_registrations", on_delete=models.PROTECT)
    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), related_name="+",
                                     on_delete=models.PROTECT)
    category = models.CharField(_("client category"), max_length=20, choices=ClientCategory.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation_name = models.CharField(_("name of the organisation"), max_length=200, blank=True)
    contact_position = models.CharField(_("function"), max_length=100, blank=True)
    national_number = models.CharField(_("national register number"), max_length=11, blank=True)
    kbo_number = models.CharField(_("enterprise number (KBO)"), max_length=12, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    city = models.CharField(_("place"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iban = models.CharField(_("IBAN for refunds"), max_length=42, blank=True)
    # The chosen password, hashed as a login's; emptied once the registration is decided.
    password = models.CharField(max_length=128, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.UNCONFIRMED)
    existing_client = models.ForeignKey(
        Client, verbose_name=_("existing client with this number"), related_name="held_registrations",
        on_delete=models.PROTECT, null=True, blank=True)
    confirmed_at = models.DateTimeField(_("e-mail address confirmed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"), related_name="+",
                                    on_delete=models.PROTECT, null=True, blank=True)
    reviewed_at = models.DateTimeField(_("checked on"), null=True, blank=True)
    review_note = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)

    class Meta:
        verbose_name = _("online registration")
        verbose_name_plural = _("online registrations")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organiser", "status"], name="registration_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="review") | Q(existing_client__isnull=False, confirmed_at__isnull=False),
                name="registration_review_has_client",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["unconfirmed", "review"]) | Q(reviewed_at__isnull=False, password=""),
                name="registration_decided_is_checked",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.email})"

    @property
    def is_private(self) -> bool:
        return self.category == ClientCategory.PARTICULIER

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() if self.is_private else self.organisation_name

    @property
    def national_number_display(self) -> str:
        return format_national_number(self.national_number)

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[RegistrationStatus(self.status)]
