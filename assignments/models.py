"""The demand side: clients (gebruikers), the activity list with its municipal changes, and requests for help.

Glossary: Client = gebruiker, ClientContact = contactpersoon, RegistrationFee = inschrijvingsgeld,
Activity = (sub)activiteit of the activiteitenlijst, MainActivity = hoofdactiviteit,
ActivityRestriction = gemeentelijke beperking, HelpRequest = opdrachtaanvraag.
"""

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
    AANGEVRAAGD = "aangevraagd", _("applied")
    OVEREENKOMST_ONDERTEKEND = "overeenkomst_ondertekend", _("agreement signed")
    ACTIEF = "actief", _("active")
    STOPGEZET = "stopgezet", _("stopped")


class ClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ClientStatus.ACTIEF)


class Client(models.Model):
    """A gebruiker: a private person or an organisation that asks wijk-werkers for help."""

    TRANSITIONS = {
        ClientStatus.AANGEVRAAGD: (ClientStatus.OVEREENKOMST_ONDERTEKEND, ClientStatus.STOPGEZET),
        ClientStatus.OVEREENKOMST_ONDERTEKEND: (ClientStatus.ACTIEF, ClientStatus.STOPGEZET),
        ClientStatus.ACTIEF: (ClientStatus.STOPGEZET,),
        ClientStatus.STOPGEZET: (),
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
        _("status"), max_length=30, choices=ClientStatus.choices, default=ClientStatus.AANGEVRAAGD
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
        indexes = [models.Index(fields=["organiser", "status"], name="client_org_status_idx")]

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
        return self.status != ClientStatus.STOPGEZET

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


class MainActivity(models.Model):
    """A hoofdactiviteit of the Vlaamse activiteitenlijst (shared by every organiser)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # slugify(name): the code `workers` uses for skills and interests by main activity.
    code = models.SlugField(_("code"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("main activity")
        verbose_name_plural = _("main activities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActivityStatus(models.TextChoices):
    OFFICIEEL = "officieel", _("official")
    PRAKTIJKVOORBEELD = "praktijkvoorbeeld", _("example from practice")


class ActivityQuerySet(models.QuerySet):
    def valid_on(self, on):
        return self.filter(Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on))

    def flemish(self):
        return self.filter(municipality__isnull=True)


class Activity(models.Model):
    """A (sub)activity for one client category, valid from `valid_from` up to and including `valid_until`.

    `municipality` empty: on the organiser's copy of the Flemish list. Set: a local extension of that
    municipality. A change on the list ends the row and starts a new one, so history is never rewritten.
    """

    organiser = models.ForeignKey(Organiser, related_name="activities", on_delete=models.PROTECT)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("only in municipality"), related_name="local_activities",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    category = models.CharField(_("client category"), max_length=20, choices=ClientCategory.choices)
    main_activity = models.ForeignKey(
        MainActivity, verbose_name=_("main activity"), related_name="activities", on_delete=models.PROTECT
    )
    name = models.CharField(_("activity"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.OFFICIEEL
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    ex_pwa_only = models.BooleanField(
        _("only for ex-PWA (transitional measure)"), default=False,
        help_text=_("Only ex-PWA clients may ask for it, and only ex-PWA workers may do it."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["category", "main_activity__name", "name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="activity_period_order",
            ),
            models.UniqueConstraint(
                fields=["organiser", "category", "main_activity", "name", "valid_from"],
                condition=Q(municipality__isnull=True), name="activity_flemish_one_version_per_start",
            ),
            models.UniqueConstraint(
                fields=["municipality", "category", "main_activity", "name", "valid_from"],
                condition=Q(municipality__isnull=False), name="activity_local_one_version_per_start",
            ),
        ]
        indexes = [models.Index(fields=["organiser", "category", "valid_from"], name="activity_lookup_idx")]

    def __str__(self):
        return self.name

    @property
    def is_local(self) -> bool:
        return self.municipality_id is not None

    def is_valid_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)


class ActivityRestriction(models.Model):
    """A municipality takes an activity of the Flemish list off its territory from `valid_from`."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="activity_restrictions", on_delete=models.PROTECT
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), related_name="restrictions", on_delete=models.PROTECT
    )
    valid_from = models.DateField(_("not allowed from"))
    valid_until = models.DateField(_("not allowed until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal restriction")
        verbose_name_plural = _("municipal restrictions")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="restriction_period_order",
            ),
            models.UniqueConstraint(
                fields=["municipality", "activity", "valid_from"], name="restriction_one_per_start"
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.activity}"


class ScheduleKind(models.TextChoices):
    ONCE = "once", _("once")
    RECURRING = "recurring", _("recurring")


class RequestStatus(models.TextChoices):
    NIEUW = "nieuw", _("new")
    IN_BEHANDELING = "in_behandeling", _("in progress")
    TOEGEWEZEN = "toegewezen", _("assigned")
    AFGESLOTEN = "afgesloten", _("closed")
    GEANNULEERD = "geannuleerd", _("cancelled")


OPEN_REQUEST_STATUSES = (RequestStatus.NIEUW, RequestStatus.IN_BEHANDELING)

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
    (5, _("Saturday")), (6, _("Sunday")),
]


class HelpRequest(models.Model):
    """An opdrachtaanvraag: a client asks for help with one allowed activity, once or on a weekly pattern."""

    TRANSITIONS = {
        RequestStatus.NIEUW: (RequestStatus.IN_BEHANDELING, RequestStatus.TOEGEWEZEN, RequestStatus.GEANNULEERD),
        RequestStatus.IN_BEHANDELING: (RequestStatus.TOEGEWEZEN, RequestStatus.GEANNULEERD, RequestStatus.NIEUW),
        RequestStatus.TOEGEWEZEN: (RequestStatus.AFGESLOTEN, RequestStatus.IN_BEHANDELING),
        RequestStatus.AFGESLOTEN: (),
        RequestStatus.GEANNULEERD: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="help_requests", on_delete=models.PROTECT)
    client = models.ForeignKey(Client, verbose_name=_("client"), related_name="requests", on_delete=models.PROTECT)
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), related_name="requests", on_delete=models.PROTECT
    )
    description = models.TextField(_("what needs to be done"))
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4, validators=[postcode_validator])
    city = models.CharField(_("place"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="help_requests", on_delete=models.PROTECT
    )
    schedule = models.CharField(_("when"), max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.ONCE)
    start_date = models.DateField(_("date or first day"))
    end_date = models.DateField(_("last day"))
    weekdays = models.JSONField(_("days"), default=list, blank=True)
    time_from = models.TimeField(_("from"), null=True, blank=True)
    time_until = models.TimeField(_("until"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    special_needs = models.TextField(_("special needs"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NIEUW)
    status_note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="request_period_order"),
            models.CheckConstraint(
                condition=Q(time_from__isnull=True) | Q(time_until__isnull=True)
                | Q(time_until__gt=models.F("time_from")),
                name="request_times_order",
            ),
            models.CheckConstraint(
                condition=Q(schedule="once", end_date=models.F("start_date"))
                | Q(schedule="recurring", hours_per_week__isnull=False),
                name="request_schedule_shape",
            ),
        ]
        indexes = [models.Index(fields=["organiser", "status", "created_at"], name="request_queue_idx")]

    def __str__(self):
        return f"{self.activity.name} — {self.client.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[RequestStatus(self.status)]

    def can_cancel(self) -> bool:
        return self.can_change_to(RequestStatus.GEANNULEERD)

    @property
    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.weekdays or []) if d in names]

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("The last day cannot be before the first day."),
                                                 code="period_order")
        if self.time_from and self.time_until and self.time_until <= self.time_from:
            errors["time_until"] = ValidationError(_("The end time must be after the start time."),
                                                   code="times_order")
        if self.schedule == ScheduleKind.RECURRING:
            if not self.weekdays:
                errors["weekdays"] = ValidationError(_("Choose at least one day."), code="no_weekdays")
            elif any(d not in range(7) for d in self.weekdays):
                errors["weekdays"] = ValidationError(_("Choose valid days."), code="invalid_weekdays")
            if self.hours_per_week is None:
                errors["hours_per_week"] = ValidationError(_("How many hours per week?"), code="no_hours")
        if errors:
            raise ValidationError(errors)


# Assignments and prestaties live in their own module; importing them here lets Django find them.
from .matching_models import WorkerExclusion  # noqa: E402, F401
from .work_models import (  # noqa: E402, F401
    Assignment,
    AssignmentSchedule,
    AssignmentStatus,
    Prestatie,
    PrestatieStatus,
)
