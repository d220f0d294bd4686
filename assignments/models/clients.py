"""Clients (gebruikers), their contact persons and the yearly registration fee.

Glossary: Client = gebruiker, ClientContact = contactpersoon, RegistrationFee = inschrijvingsgeld."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.be import ogm_vcs

from wijkwerken.core.models import Municipality, Organiser

postcode_validator = RegexValidator(r"^\d{4}$", _("A postcode has 4 digits."), code="invalid_postcode")


class ClientCategory(models.TextChoices):
    """The five client categories of the decree; the values are the keys of activiteitenlijst.json."""

    PARTICULIER = "particulier", _("private person")
    LOKAAL_BESTUUR = "lokaal_bestuur", _("local government (municipality, OCMW)")
    ONDERWIJS = "onderwijs", _("educational institution")
    VZW = "vzw", _("non-profit association (vzw)")
    LAND_TUINBOUW = "land_tuinbouw", _("farm or horticultural business")


ORGANISATION_CATEGORIES = tuple(c for c in ClientCategory if c != ClientCategory.PARTICULIER)


class ClientStatus(models.TextChoices):
    APPLIED = "aangevraagd", _("applied")
    AGREEMENT_SIGNED = "overeenkomst_ondertekend", _("agreement signed")
    ACTIVE = "actief", _("active")
    STOPPED = "stopgezet", _("stopped")


class ClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ClientStatus.ACTIVE)


class Client(models.Model):
    """A gebruiker: a private person or an organisation that asks wijk-werkers for help."""

    TRANSITIONS = {
        ClientStatus.APPLIED: (ClientStatus.AGREEMENT_SIGNED, ClientStatus.STOPPED),
        ClientStatus.AGREEMENT_SIGNED: (ClientStatus.ACTIVE, ClientStatus.STOPPED),
        ClientStatus.ACTIVE: (ClientStatus.STOPPED,),
        ClientStatus.STOPPED: (),
    }
    # The first gebruikersnummer handed out; numbers are global so the structured communication is unique.
    FIRST_NUMBER = 100001

    organiser = models.ForeignKey(Organiser, related_name="clients", on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("client number"), unique=True)
    structured_communication = models.CharField(_("structured communication"), max_length=12, unique=True)
    category = models.CharField(_("client category"), max_length=20, choices=ClientCategory.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    national_number = models.CharField(
        _("national register number"), max_length=11, blank=True,
        help_text=_("Needed for the fiscal attest. Also a BIS number is accepted."),
    )
    kbo_number = models.CharField(_("enterprise number (KBO)"), max_length=12, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    city = models.CharField(_("place"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="clients", on_delete=models.PROTECT
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iban = models.CharField(_("IBAN for refunds"), max_length=42, blank=True)
    is_ex_pwa = models.BooleanField(
        _("ex-PWA client"), default=False,
        help_text=_("Was a PWA user on 30 September 2017: may ask for the activities of the transitional measure."),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ClientStatus.choices, default=ClientStatus.APPLIED
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    activated_on = models.DateField(_("active since"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    registered_online = models.BooleanField(_("registered online"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), related_name="+",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    agreement_pdf = models.FileField(_("client agreement"), upload_to="agreements/", blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set once the personal data were anonymised (wijkwerken.privacy); the row stays for the statistics.
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "national_number"], condition=~Q(national_number=""),
                name="client_unique_national_number",
            ),
            models.UniqueConstraint(
                fields=["organiser", "kbo_number"], condition=~Q(kbo_number=""), name="client_unique_kbo",
            ),
            models.CheckConstraint(
                condition=(Q(category="particulier") & ~Q(national_number="") & Q(kbo_number=""))
                | (~Q(category="particulier") & ~Q(kbo_number="") & Q(national_number="")),
                name="client_identifier_matches_category",
            ),
            models.CheckConstraint(condition=Q(number__gte=100001), name="client_number_range"),
            models.CheckConstraint(
                condition=~Q(status__in=["overeenkomst_ondertekend", "actief"]) | Q(agreement_signed_on__isnull=False),
                name="client_signed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopgezet") | Q(stopped_on__isnull=False), name="client_stopped_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["organiser", "status"], name="client_org_status_idx"),
            # The municipality's figures (municipal staff's start page) count its clients per status, from the index
            # alone (it holds the organiser the count is scoped to): 7,000 clients of one municipality are counted
            # without reading the table.
            models.Index(fields=["municipality", "status", "organiser"], name="client_municipality_status_idx"),
            # The retention rule's stopped clients not anonymised yet, by the day they stopped (privacy overview,
            # the nightly anonymisation): only those clients are read.
            models.Index(fields=["organiser", "stopped_on"], name="client_retention_idx",
                         condition=Q(anonymised_at__isnull=True, stopped_on__isnull=False)),
        ]

    def __str__(self):
        return f"{self.name} ({self.number})"

    @property
    def is_private(self) -> bool:
        return self.category == ClientCategory.PARTICULIER

    @property
    def structured_communication_display(self) -> str:
        return f"+++{ogm_vcs.format(self.structured_communication)}+++"

    @property
    def national_number_display(self) -> str:
        n = self.national_number
        return f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}" if len(n) == 11 else n

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[ClientStatus(self.status)]

    def can_request(self) -> bool:
        return self.status != ClientStatus.STOPPED

    def clean(self):
        if self.municipality_id and self.organiser_id and self.municipality.organiser_id != self.organiser_id:
            raise ValidationError(
                {"postcode": ValidationError(_("This address is not in one of our municipalities."),
                                             code="outside_organiser")}
            )


class ClientContact(models.Model):
    """A person who logs in for a client: the private person themself, or a contact person of an organisation."""

    client = models.ForeignKey(Client, related_name="contacts", on_delete=models.CASCADE)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="client_contact", on_delete=models.PROTECT
    )
    position = models.CharField(_("function"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(is_primary=True), name="client_one_primary_contact"),
        ]

    def __str__(self):
        return str(self.user)


class FeeStatus(models.TextChoices):
    DUE = "due", _("due")
    PAID = "paid", _("paid")


class RegistrationFee(models.Model):
    """The yearly registration fee of one client for one calendar year."""

    client = models.ForeignKey(Client, related_name="fees", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(_("status"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.DUE)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration fee")
        verbose_name_plural = _("registration fees")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["client", "year"], name="fee_one_per_client_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative"),
            models.CheckConstraint(
                condition=(Q(status="paid") & Q(paid_on__isnull=False)) | (Q(status="due") & Q(paid_on__isnull=True)),
                name="fee_paid_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.client.name} {self.year}"

    @property
    def is_paid(self) -> bool:
        return self.status == FeeStatus.PAID
