"""Incidents and no-shows on an assignment.

An incident (an accident, damage, a conflict) during a job is reported by the worker, the client or staff. VDAB
insures wijk-werkers against accidents and liability: the organiser declares an accident to the insurer within
INCIDENT_DECLARATION_WORKING_DAYS working days (Monday to Friday, Belgian public holidays skipped), so an
accident carries that deadline until it is marked declared.

A no-show is a day the job did not happen: the worker did not come, or the client sent the worker away at the
door. Both count in the worker's and the client's history.

Glossary: Incident = incident, NoShow = niet-verschenen / afgezegd aan de deur."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Organiser

from .placements import Assignment

# An accident is declared to the insurer (VDAB) within this many working days of the day it happened.
INCIDENT_DECLARATION_WORKING_DAYS = 7


class IncidentKind(models.TextChoices):
    ACCIDENT = "ongeval", _("accident")
    DAMAGE = "schade", _("damage")
    CONFLICT = "conflict", _("conflict")
    OTHER = "ander", _("other")


class IncidentQuerySet(models.QuerySet):
    def to_declare(self):
        """Accidents not yet declared to the insurer, the nearest deadline first."""
        return self.filter(kind=IncidentKind.ACCIDENT, declared_on__isnull=True).order_by(
            "declaration_deadline", "occurred_at")


class Incident(models.Model):
    """Something that went wrong during a job: what, when, where and who was hurt."""

    organiser = models.ForeignKey(Organiser, related_name="incidents", on_delete=models.PROTECT)
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), related_name="incidents", on_delete=models.PROTECT
    )
    # Copied from the assignment, as on a prestatie, so the participants' scoping works the same way.
    worker = models.ForeignKey("workers.Worker", related_name="incidents", on_delete=models.PROTECT)
    client = models.ForeignKey("assignments.Client", related_name="incidents", on_delete=models.PROTECT)
    kind = models.CharField(_("kind of incident"), max_length=10, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("when did it happen?"))
    place = models.CharField(_("where did it happen?"), max_length=200)
    description = models.TextField(_("what happened?"), max_length=2000)
    injured = models.CharField(_("who was hurt?"), max_length=200, blank=True)
    # Set for accidents only: the last working day to declare it to the insurer.
    declaration_deadline = models.DateField(_("declare before"), null=True, blank=True)
    declared_on = models.DateField(_("declared to the insurer on"), null=True, blank=True)
    declaration_reference = models.CharField(_("file number at the insurer"), max_length=100, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    reported_at = models.DateTimeField(_("reported on"), auto_now_add=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ongeval", declaration_deadline__isnull=False)
                | (~Q(kind="ongeval") & Q(declaration_deadline__isnull=True)),
                name="incident_deadline_for_accidents",
            ),
            models.CheckConstraint(
                condition=Q(declared_on__isnull=True) | Q(kind="ongeval"), name="incident_only_accidents_declared"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="incident_has_description"),
        ]
        indexes = [
            models.Index(fields=["organiser"], condition=Q(kind="ongeval", declared_on__isnull=True),
                         name="incident_to_declare_idx"),
            models.Index(fields=["worker", "occurred_at"], name="incident_worker_idx"),
            models.Index(fields=["client", "occurred_at"], name="incident_client_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%d/%m/%Y} — {self.worker}"

    @property
    def needs_declaration(self) -> bool:
        return self.kind == IncidentKind.ACCIDENT and self.declared_on is None


class NoShowKind(models.TextChoices):
    WORKER_ABSENT = "werker_afwezig", _("the wijk-werker did not come")
    CLIENT_CANCELLED = "afgezegd_aan_deur", _("the client cancelled at the door")


class NoShow(models.Model):
    """A planned day the job did not happen, recorded on the assignment."""

    organiser = models.ForeignKey(Organiser, related_name="no_shows", on_delete=models.PROTECT)
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), related_name="no_shows", on_delete=models.PROTECT
    )
    worker = models.ForeignKey("workers.Worker", related_name="no_shows", on_delete=models.PROTECT)
    client = models.ForeignKey("assignments.Client", related_name="no_shows", on_delete=models.PROTECT)
    kind = models.CharField(_("what happened"), max_length=20, choices=NoShowKind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("no-show")
        verbose_name_plural = _("no-shows")
        ordering = ["-date", "-id"]
        constraints = [
            # One record per assignment and day: the job either happened or it did not.
            models.UniqueConstraint(fields=["assignment", "date"], name="no_show_one_per_assignment_day"),
        ]
        indexes = [
            models.Index(fields=["worker", "kind"], name="no_show_worker_idx"),
            models.Index(fields=["client", "kind"], name="no_show_client_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"
