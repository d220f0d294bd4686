"""Requests for help (opdrachtaanvragen) a client makes for an allowed activity.

Glossary: HelpRequest = opdrachtaanvraag."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Municipality, Organiser

from .activities import Activity
from .clients import Client, postcode_validator


class ScheduleKind(models.TextChoices):
    ONCE = "once", _("once")
    RECURRING = "recurring", _("recurring")


class RequestStatus(models.TextChoices):
    NEW = "nieuw", _("new")
    IN_PROGRESS = "in_behandeling", _("in progress")
    ASSIGNED = "toegewezen", _("assigned")
    CLOSED = "afgesloten", _("closed")
    CANCELLED = "geannuleerd", _("cancelled")


OPEN_REQUEST_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS)


WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
    (5, _("Saturday")), (6, _("Sunday")),
]


class HelpRequest(models.Model):
    """An opdrachtaanvraag: a client asks for help with one allowed activity, once or on a weekly pattern."""

    TRANSITIONS = {
        RequestStatus.NEW: (RequestStatus.IN_PROGRESS, RequestStatus.ASSIGNED, RequestStatus.CANCELLED),
        RequestStatus.IN_PROGRESS: (RequestStatus.ASSIGNED, RequestStatus.CANCELLED, RequestStatus.NEW),
        RequestStatus.ASSIGNED: (RequestStatus.CLOSED, RequestStatus.IN_PROGRESS),
        RequestStatus.CLOSED: (),
        RequestStatus.CANCELLED: (),
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
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
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
        return self.can_change_to(RequestStatus.CANCELLED)

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
