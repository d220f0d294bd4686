"""Placements: assignments (wijk-werkplaatsen), one worker doing one request's activity for one client.

Glossary: Assignment = opdracht / wijk-werkplaats."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Municipality, Organiser

from .requests import WEEKDAYS


class AssignmentStatus(models.TextChoices):
    ACTIVE = "actief", _("active")
    PAUSED = "gepauzeerd", _("paused")
    ENDED = "beeindigd", _("ended")


class AssignmentSchedule(models.TextChoices):
    ONCE = "once", _("once")
    WEEKLY = "weekly", _("weekly")


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=AssignmentStatus.ENDED)

    def covering(self, day):
        return self.filter(start_date__lte=day, end_date__gte=day)


class Assignment(models.Model):
    """A wijk-werkplaats: one worker doing one request's activity for one client, on a schedule."""

    TRANSITIONS = {
        AssignmentStatus.ACTIVE: (AssignmentStatus.PAUSED, AssignmentStatus.ENDED),
        AssignmentStatus.PAUSED: (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED),
        AssignmentStatus.ENDED: (),
    }

    organiser = models.ForeignKey(Organiser, related_name="assignments", on_delete=models.PROTECT)
    request = models.ForeignKey(
        "assignments.HelpRequest", verbose_name=_("request"), related_name="assignments", on_delete=models.PROTECT
    )
    worker = models.ForeignKey(
        "workers.Worker", verbose_name=_("wijk-werker"), related_name="assignments", on_delete=models.PROTECT
    )
    client = models.ForeignKey(
        "assignments.Client", verbose_name=_("client"), related_name="assignments", on_delete=models.PROTECT
    )
    activity = models.ForeignKey(
        "assignments.Activity", verbose_name=_("activity"), related_name="assignments", on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="assignments", on_delete=models.PROTECT
    )
    schedule = models.CharField(_("schedule"), max_length=10, choices=AssignmentSchedule.choices)
    weekdays = models.JSONField(_("days"), default=list, blank=True)
    time_from = models.TimeField(_("from"), null=True, blank=True)
    time_until = models.TimeField(_("until"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    # What the wijk-werker should bring or know (keys, tools, the dog, where to park), kept up by the client and
    # staff; the request's special needs are shown beside it.
    instructions = models.TextField(_("what to bring or know"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ACTIVE)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    handed_over_from = models.ForeignKey(
        "self", verbose_name=_("taken over from"), related_name="handed_over_to", on_delete=models.PROTECT,
        null=True, blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="assignment_period_order"),
            models.CheckConstraint(
                condition=Q(time_from__isnull=True) | Q(time_until__isnull=True)
                | Q(time_until__gt=models.F("time_from")),
                name="assignment_times_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="beeindigd") | ~Q(end_reason=""), name="assignment_end_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "status", "end_date"], name="assignment_worker_idx"),
            models.Index(fields=["client", "worker"], name="assignment_client_worker_idx"),
            # The assignment list: newest first, per status or all, a page at a time.
            models.Index(fields=["organiser", "status", "-start_date", "-id"], name="assignment_list_status_idx"),
            models.Index(fields=["organiser", "-start_date", "-id"], name="assignment_list_idx"),
        ]

    def __str__(self):
        return f"{self.activity} — {self.client} ({self.worker})"

    def can_change_to(self, status) -> bool:
        return status in self.TRANSITIONS[AssignmentStatus(self.status)]

    @property
    def is_open(self) -> bool:
        return self.status != AssignmentStatus.ENDED

    def is_planned_on(self, day) -> bool:
        """Whether the schedule plans work on `day` (a one-off on its date, a weekly job on its weekdays)."""
        if not (self.start_date <= day <= self.end_date):
            return False
        if self.schedule == AssignmentSchedule.ONCE:
            return day == self.start_date
        return day.weekday() in (self.weekdays or [])

    @property
    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.weekdays or []) if d in names]

    def clean(self):
        # Every problem at once, each next to its field.
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("The last day cannot be before the first day."), code="period_order")
        if self.time_from and self.time_until and self.time_until <= self.time_from:
            errors["time_until"] = ValidationError(_("The end time must be after the start time."), code="times_order")
        if self.schedule == AssignmentSchedule.WEEKLY and not self.weekdays:
            errors["weekdays"] = ValidationError(_("Choose at least one day."), code="no_weekdays")
        if errors:
            raise ValidationError(errors)
