from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .validators import validate_bic, validate_iban, validate_kbo

FLEMISH_REGION_NIS = "02000"


class Organiser(models.Model):
    """A wijk-werkorganisatie: it runs wijk-werken for one or more municipalities."""

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"), max_length=4, validators=[RegexValidator(r"^\d{4}$", _("A postcode has 4 digits."))]
    )
    city = models.CharField(_("city"), max_length=100)
    kbo_number = models.CharField(
        _("enterprise number (KBO)"), max_length=12, unique=True, validators=[validate_kbo]
    )
    iban = models.CharField(_("IBAN"), max_length=42, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, validators=[validate_bic])
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    lowest_price_applies = models.BooleanField(
        _("no consensus on the cheque price: the lowest price of our municipalities applies"), default=False
    )
    # On the yearly reports and fiscal attests. Served only through views that check the user's organiser.
    logo = models.ImageField(_("logo"), upload_to="organisers/logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def of_organiser(self, organiser):
        return self.filter(organiser=organiser)


class Municipality(models.Model):
    """A Flemish municipality (Statbel NIS code). Belongs to at most one organiser."""

    nis_code = models.CharField(
        _("NIS code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("A NIS code has 5 digits."), code="invalid_nis")],
    )
    name = models.CharField(_("name"), max_length=100)
    province_nis = models.CharField(_("province"), max_length=5, blank=True)
    # The centre of the municipality (WGS84), for distances between homes and jobs.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        related_name="municipalities",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def centre(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def postcode_list(self):
        return sorted({p.code for p in self.postcodes.all()})


class PostalCode(models.Model):
    """A postcode in a municipality. One postcode can cover parts of several municipalities."""

    code = models.CharField(_("postcode"), max_length=4, db_index=True)
    municipality = models.ForeignKey(Municipality, related_name="postcodes", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "municipality"], name="postalcode_unique_per_municipality")
        ]

    def __str__(self):
        return f"{self.code} {self.municipality.name}"


def _money(verbose_name, default):
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=2, default=Decimal(default),
        validators=[MinValueValidator(Decimal("0"))],
    )


class RuleSet(models.Model):
    """Every number of the wijk-werken rules, versioned by `valid_from`.

    Defaults are the legal values (Decreet 7 juli 2017, BVR 29 september 2017). A prestatie is judged by the
    version valid on its date; a new version never rewrites an older one.
    """

    organiser = models.ForeignKey(Organiser, related_name="rule_sets", on_delete=models.PROTECT)
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)

    trajectory_planned_months = models.PositiveSmallIntegerField(_("planned trajectory length (months)"), default=6)
    trajectory_max_months = models.PositiveSmallIntegerField(_("maximum trajectory length (months)"), default=12)
    evaluation_interval_months = models.PositiveSmallIntegerField(_("evaluation every (months)"), default=6)
    trajectory_end_warning_days = models.PositiveSmallIntegerField(
        _("warn before the trajectory ends (days)"), default=30
    )
    max_hours_per_month = models.PositiveSmallIntegerField(_("maximum hours per calendar month"), default=60)
    max_hours_per_year = models.PositiveSmallIntegerField(_("maximum hours per calendar year"), default=630)
    minutes_per_cheque = models.PositiveSmallIntegerField(
        _("minutes per cheque (one cheque per started period)"), default=60
    )
    cheque_price_min = _money(_("minimum cheque price (€)"), "5.95")
    cheque_price_max = _money(_("maximum cheque price (€)"), "7.45")
    cheque_price_step = _money(_("cheque price step (€)"), "0.50")
    worker_allowance_per_cheque = _money(_("worker allowance per cheque (€)"), "4.10")
    travel_allowance_per_km = _money(_("travel allowance per km (€)"), "0.15")
    travel_allowance_min_km = models.PositiveSmallIntegerField(
        _("travel allowance from a round trip of more than (km)"), default=10
    )
    # The organiser's choice, not a law: pay the worker for confirmed hours whose client has not paid them with
    # cheques yet, and bear the risk that the client never does.
    advance_waiting_hours = models.BooleanField(
        _("pay confirmed hours out before the client's cheques pay them"), default=False
    )
    registration_fee = _money(_("registration fee per calendar year (€)"), "7.50")
    cheque_validity_months = models.PositiveSmallIntegerField(_("cheque validity (months)"), default=12)
    cheque_expiry_reminder_days = models.PositiveSmallIntegerField(
        _("remind before cheques expire (days)"), default=30
    )
    interim_max_days = models.PositiveSmallIntegerField(_("maximum interim days per period"), default=10)
    interim_period_days = models.PositiveSmallIntegerField(_("interim period (days)"), default=28)
    incident_report_working_days = models.PositiveSmallIntegerField(
        _("report incidents within (working days)"), default=7
    )
    auto_validate_working_days = models.PositiveSmallIntegerField(
        _("hours validated automatically after (working days)"), default=5
    )
    auto_confirm_days = models.PositiveSmallIntegerField(_("hours confirmed automatically after (days)"), default=7)
    confirm_reminder_days = models.PositiveSmallIntegerField(
        _("remind the client before automatic confirmation (days)"), default=2
    )
    order_payment_days = models.PositiveSmallIntegerField(_("orders are due after (days)"), default=14)
    order_grace_days = models.PositiveSmallIntegerField(
        _("grace period for bank delays after the due date (days)"), default=10
    )
    # How often the organiser imports its statements is its own practice, not a law: a file older than this
    # is most likely the wrong one (it is imported all the same, with a warning).
    bank_statement_warning_days = models.PositiveSmallIntegerField(
        _("warn when an imported bank statement is older than (days)"), default=60
    )
    fiscal_reduction_percent = models.PositiveSmallIntegerField(_("tax reduction for private clients (%)"), default=20)
    # Not a law: late December hours are validated and confirmed in the first days of January, so the yearly
    # reports and fiscal attests of the past year wait until this day of January.
    yearly_documents_day = models.PositiveSmallIntegerField(
        _("day in January on which the yearly reports and fiscal attests are made"), default=15,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    # GDPR art. 5(1)(e): personal data are kept no longer than needed. Five years covers the period in which the
    # tax authorities may question a fiscal attest (three years after the tax year, art. 354 WIB 92) and in which
    # VDAB or the OCMW follow a trajectory up; the payout and refund files the bank received and the bank
    # statements stay whole for the ten years of bookkeeping law (art. III.88 WER). See wijkwerken.privacy.
    retention_years = models.PositiveSmallIntegerField(
        _("anonymise personal data after (years)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Counted from the end of a wijk-werker's last trajectory and from the day a client stopped. "
                    "Names, national numbers, addresses, contact details, IBANs, notes and documents are then "
                    "anonymised; hours, cheques, categories, municipality and outflow stay for the reports. "
                    "Five years is the usual Belgian term."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Every field that holds a rule (for forms, comparisons and display).
    RULE_FIELDS = (
        "trajectory_planned_months",
        "trajectory_max_months",
        "evaluation_interval_months",
        "trajectory_end_warning_days",
        "max_hours_per_month",
        "max_hours_per_year",
        "minutes_per_cheque",
        "cheque_price_min",
        "cheque_price_max",
        "cheque_price_step",
        "worker_allowance_per_cheque",
        "travel_allowance_per_km",
        "travel_allowance_min_km",
        "advance_waiting_hours",
        "registration_fee",
        "cheque_validity_months",
        "cheque_expiry_reminder_days",
        "interim_max_days",
        "interim_period_days",
        "incident_report_working_days",
        "auto_validate_working_days",
        "auto_confirm_days",
        "confirm_reminder_days",
        "order_payment_days",
        "order_grace_days",
        "bank_statement_warning_days",
        "fiscal_reduction_percent",
        "yearly_documents_day",
        "retention_years",
    )

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-valid_from"]
        get_latest_by = "valid_from"
        constraints = [
            models.UniqueConstraint(fields=["organiser", "valid_from"], name="ruleset_one_version_per_day"),
            models.CheckConstraint(
                condition=Q(trajectory_planned_months__lte=models.F("trajectory_max_months")),
                name="ruleset_planned_within_max",
            ),
            models.CheckConstraint(
                condition=Q(max_hours_per_month__gt=0, max_hours_per_month__lte=models.F("max_hours_per_year")),
                name="ruleset_month_cap_within_year_cap",
            ),
            models.CheckConstraint(
                condition=Q(cheque_price_min__gt=0, cheque_price_min__lte=models.F("cheque_price_max")),
                name="ruleset_price_range",
            ),
            models.CheckConstraint(condition=Q(cheque_price_step__gt=0), name="ruleset_price_step_positive"),
            models.CheckConstraint(condition=Q(minutes_per_cheque__gt=0), name="ruleset_minutes_per_cheque_positive"),
            models.CheckConstraint(
                condition=Q(confirm_reminder_days__lt=models.F("auto_confirm_days")),
                name="ruleset_reminder_before_auto_confirm",
            ),
            models.CheckConstraint(
                condition=Q(yearly_documents_day__gte=1, yearly_documents_day__lte=31),
                name="ruleset_yearly_documents_day_in_january",
            ),
        ]

    def __str__(self):
        return str(_("Rules from %(date)s")) % {"date": self.valid_from.strftime("%d/%m/%Y")}

    def clean(self):
        errors = {}
        if self.trajectory_planned_months > self.trajectory_max_months:
            errors["trajectory_planned_months"] = ValidationError(
                _("The planned length cannot be longer than the maximum length."), code="planned_over_max"
            )
        if self.max_hours_per_month and self.max_hours_per_month > self.max_hours_per_year:
            errors["max_hours_per_month"] = ValidationError(
                _("The monthly cap cannot be higher than the yearly cap."), code="month_over_year"
            )
        if self.cheque_price_min > self.cheque_price_max:
            errors["cheque_price_min"] = ValidationError(
                _("The minimum price cannot be higher than the maximum price."), code="price_range"
            )
        if self.cheque_price_step <= 0:
            errors["cheque_price_step"] = ValidationError(_("The price step must be positive."), code="price_step")
        if self.confirm_reminder_days >= self.auto_confirm_days:
            errors["confirm_reminder_days"] = ValidationError(
                _("The reminder must come before the automatic confirmation."), code="reminder_after_confirm"
            )
        if errors:
            raise ValidationError(errors)

    def allowed_cheque_prices(self) -> list[Decimal]:
        """The legal price steps: minimum, raised by the step, up to the maximum (5.95/6.45/6.95/7.45)."""
        prices = []
        price = self.cheque_price_min
        while price <= self.cheque_price_max and self.cheque_price_step > 0:
            prices.append(price)
            price += self.cheque_price_step
        return prices

    def rule_values(self) -> dict:
        return {name: getattr(self, name) for name in self.RULE_FIELDS}


class PayoutDate(models.Model):
    """The organiser's payment calendar: the day the allowances for the work of `month` are paid out (the
    execution date of that month's payout batch). Published per year; workers see the next date."""

    organiser = models.ForeignKey(Organiser, related_name="payout_dates", on_delete=models.PROTECT)
    month = models.DateField(_("work of the month"))  # the first day of the month
    pays_on = models.DateField(_("payment date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment date")
        verbose_name_plural = _("payment calendar")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "month"], name="payoutdate_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="payoutdate_month_starts_on_1"),
            models.CheckConstraint(condition=Q(pays_on__gt=models.F("month")), name="payoutdate_after_month_start"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y}: {self.pays_on:%d/%m/%Y}"


class ChequePrice(models.Model):
    """A municipality's decision on the cheque price. It applies from 1 January of the following year."""

    municipality = models.ForeignKey(Municipality, related_name="cheque_prices", on_delete=models.PROTECT)
    price = models.DecimalField(_("cheque price"), max_digits=10, decimal_places=2)
    decided_on = models.DateField(_("date of the decision"))
    valid_from = models.DateField(_("valid from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cheque price")
        verbose_name_plural = _("cheque prices")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="chequeprice_one_per_start_date"),
            models.CheckConstraint(condition=Q(price__gt=0), name="chequeprice_positive"),
            models.CheckConstraint(
                condition=Q(valid_from__month=1, valid_from__day=1), name="chequeprice_starts_on_1_january"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__gt=models.F("decided_on")), name="chequeprice_starts_after_decision"
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.price} ({self.valid_from:%d/%m/%Y})"


# Labels for keys of recorded changes that are not a field of the changed object's model.
_CHANGE_LABELS = {
    "amount": pgettext_lazy("audit", "amount"),
    "count": pgettext_lazy("audit", "number"),
    "serials": pgettext_lazy("audit", "serial numbers"),
    "valid_until": pgettext_lazy("audit", "valid until"),
    "credit_before": pgettext_lazy("audit", "credit before"),
    "credit_after": pgettext_lazy("audit", "credit after"),
    "reason": pgettext_lazy("audit", "reason"),
    "code": pgettext_lazy("audit", "error code"),
    "line": pgettext_lazy("audit", "line in the file"),
    "order": pgettext_lazy("audit", "order"),
    "client": pgettext_lazy("audit", "client"),
    "iban": pgettext_lazy("audit", "IBAN"),
    "refund_batch": pgettext_lazy("audit", "refund"),
    "cancelled_requests": pgettext_lazy("audit", "cancelled requests"),
    "trajectory": pgettext_lazy("audit", "trajectory"),
    "start_date": pgettext_lazy("audit", "start date"),
    "hours": pgettext_lazy("audit", "hours"),
    "mollie_id": pgettext_lazy("audit", "Mollie payment"),
    "status": pgettext_lazy("audit", "status"),
    "pays_on": pgettext_lazy("audit", "payment date"),
    "dates": pgettext_lazy("audit", "payment dates"),
    "kilometres": pgettext_lazy("audit", "kilometres"),
    "workers": pgettext_lazy("audit", "wijk-werkers"),
    "bank_line": pgettext_lazy("audit", "bank line"),
    "payout_batch": pgettext_lazy("audit", "payout"),
}


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value)
    return str(value)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """Who did what to which object. Append-only: the model and the database both refuse changes.

    Database triggers `core_auditentry_no_update` (PostgreSQL: also refuses DELETE; function
    `core_auditentry_append_only`) and on SQLite `core_auditentry_no_update` / `core_auditentry_no_delete`
    (migration 0003_audit_append_only); the history triggers `history_no_delete` / `history_no_truncate`
    (migration 0009, `wijkwerken.core.history`) also refuse TRUNCATE. The one UPDATE allowed is the redaction of
    `summary`, `object_repr` and the values of `changes` when a person is anonymised (migration privacy 0002).
    """

    organiser = models.ForeignKey(
        Organiser, related_name="+", on_delete=models.PROTECT, null=True, blank=True, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(max_length=60, db_index=True)
    summary = models.CharField(max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def change_rows(self) -> list[dict]:
        """The recorded changes for the history panel: the field's label where the object's model has that
        field, and "old → new" for [old, new] pairs (diff_fields) or the plain value otherwise."""
        model = self.content_type.model_class() if self.content_type_id else None
        rows = []
        for key, value in (self.changes or {}).items():
            choices = {}
            try:
                field = model._meta.get_field(key)
                label, choices = str(field.verbose_name), dict(field.flatchoices or ())
            except (AttributeError, FieldDoesNotExist):  # no model, or a key that is not one of its fields
                label = str(_CHANGE_LABELS.get(key, key.replace("_", " ")))
            pair = isinstance(value, list) and len(value) == 2 and not isinstance(value[0], list)
            old, new = (value[0], value[1]) if pair else (None, value)
            if choices:  # "gedeeltelijk betaald", not its code
                old, new = (choices.get(v, v) if isinstance(v, str) else v for v in (old, new))
            rows.append({"label": label[:1].upper() + label[1:], "old": _display(old), "new": _display(new),
                         "has_old": pair and old is not None})
        return rows


class Notification(models.Model):
    """An in-app message for one user. `key` makes sending idempotent: a scheduled job may run twice.

    A message that asks for something (confirm these hours, order cheques) names what it is about: `about_kind`
    says which check tells whether it is still true, `about_id` the object. Once the thing is done the message
    no longer counts as new and moves to the archive (wijkwerken.core.notifications).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="notifications", on_delete=models.CASCADE)
    key = models.CharField(max_length=120)
    text = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    about_kind = models.CharField(max_length=60, blank=True)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="core_notification_unique_key"),
            models.CheckConstraint(condition=models.Q(about_kind="") | models.Q(about_id__isnull=False),
                                   name="core_notification_about_names_object"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.text
